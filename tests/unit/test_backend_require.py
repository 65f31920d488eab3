"""``Template.require`` (``autograder.run.backends``): bubblewrap's checks, root, then the folders a kernel is
given, found once (``sandbox.python_dirs`` asks the interpreter and resolves every package) and checked for
what a forked kernel's fresh /tmp cannot give back."""

import os
from pathlib import Path

import pytest

from autograder.run import backends, sandbox


@pytest.fixture
def found(monkeypatch):
    """Every call of ``sandbox.python_dirs`` (its ``packages``), answering a folder the template cannot bind."""
    calls = []

    def python_dirs(python=None, packages=None):
        calls.append(packages)
        return [Path("/tmp")]

    monkeypatch.setattr(sandbox, "require", lambda *args, **kwargs: None)
    monkeypatch.setattr(sandbox, "python_dirs", python_dirs)
    return calls


def test_the_template_finds_the_kernels_folders_once_and_checks_those(monkeypatch, found):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(sandbox.SandboxUnavailable, match="cannot run from /tmp"):
        backends.Template(packages=("dlcourse",)).require()
    assert found == [("dlcourse",)]


def test_without_root_the_template_refuses_after_bubblewraps_checks(monkeypatch, found):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(sandbox.SandboxUnavailable, match="needs root"):
        backends.Template().require()
    assert found == [None]


def test_bubblewrap_finds_the_kernels_folders_once(found):
    backends.Bubblewrap(packages=("dlcourse",)).require()
    assert found == [("dlcourse",)]
