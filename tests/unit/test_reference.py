"""The reference cache: computed once per source and format, read back as the same typed cells, and a cache
of an older format (or one that cannot be read) computed again rather than misread."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from autograder.core.config import Limits
from autograder.core.course import Course
from autograder.core.workdir import Workdir
from autograder.judge.records import FORMAT_VERSION, make_record
from autograder.judge.scoring import ReferenceCell
from autograder.run import reference

PLAIN = Path(__file__).resolve().parents[1] / "files" / "courses" / "plain"
CELLS = {"test_checked": ReferenceCell.of([make_record("close", np.array([1.0, 2.0]), "f(x)", rtol=1e-6)]),
         "test_bound": ReferenceCell.of([make_record("at_least", 0.9, "accuracy", bound=0.9)]),
         "test_plain": ReferenceCell.of([])}
MODULES = ("colorsys", "torch._dynamo")


@pytest.fixture
def counted(monkeypatch):
    """The reference run replaced by CELLS and MODULES, counting its calls (no kernel)."""
    calls = []

    def run(source, limits=None, kernel_name="python3", files=None):
        calls.append(source)
        return reference.ReferenceRun(dict(CELLS), MODULES)

    monkeypatch.setattr(reference, "reference_run", run)
    return calls


@pytest.fixture
def course(tmp_path) -> Course:
    shutil.copytree(PLAIN, tmp_path / "course")
    return Course(tmp_path / "course")


def _cache(workdir: Workdir, name: str) -> Path:
    return workdir.folder("reference", "ps1") / f"{name}.json"


def test_the_cache_is_computed_once_and_read_back_as_the_same_cells(course, tmp_path, counted):
    workdir = Workdir(tmp_path / "work")
    first = reference.load_reference(course, "ps1", workdir, Limits())
    assert len(counted) == 2 and set(first) == {"problem1", "problem2"}
    again = reference.load_reference(course, "ps1", workdir, Limits())
    assert len(counted) == 2 and again == first and again["problem1"] == CELLS  # read, not recomputed
    assert {cell.trust for cell in again["problem1"].values()} == {"checks", "bound", "kernel"}
    assert json.loads(_cache(workdir, "problem1").read_text())["format"] == FORMAT_VERSION
    runs = reference.load_reference_runs(course, "ps1", workdir, Limits())
    assert len(counted) == 2 and runs["problem1"].modules == MODULES and runs["problem1"].cells == CELLS


@pytest.mark.parametrize("older", [
    {"format": 3, "records": {"test_checked": {"trust": "checks", "records": []}}},  # the previous layout
    {"format": 2, "records": {"test_checked": []}},  # bare record lists
    {"format": FORMAT_VERSION, "cells": {"test_checked": []}},  # this version's number on a bare list
    {"format": FORMAT_VERSION, "cells": {"test_checked": {"trust": "kernel", "records": []}}},  # no modules
    {"format": FORMAT_VERSION, "cells": {}, "modules": [1, 2]},  # modules that are not names
    "half a file {",
], ids=["format-3", "format-2", "bare-list", "no-modules", "bad-modules", "unreadable"])
def test_a_cache_of_another_format_is_recomputed_not_misread(course, tmp_path, counted, older):
    workdir = Workdir(tmp_path / "work")
    reference.load_reference(course, "ps1", workdir, Limits())
    cache = _cache(workdir, "problem1")
    digest = json.loads(cache.read_text())["source_sha256"]
    cache.write_text(json.dumps({"source_sha256": digest, **older}) if isinstance(older, dict) else older)
    loaded = reference.load_reference(course, "ps1", workdir, Limits())
    assert len(counted) == 3 and loaded["problem1"] == CELLS  # problem1 again; problem2 from its cache
    assert json.loads(cache.read_text())["modules"] == list(MODULES)
    assert json.loads(cache.read_text())["format"] == FORMAT_VERSION  # and the cache rewritten


def test_a_changed_source_is_recomputed(course, tmp_path, counted):
    workdir = Workdir(tmp_path / "work")
    reference.load_reference(course, "ps1", workdir, Limits())
    path = course.source_path("ps1", "problem2")
    path.write_text(path.read_text().replace("}", "} ", 1))
    reference.load_reference(course, "ps1", workdir, Limits())
    assert len(counted) == 3
