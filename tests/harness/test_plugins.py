"""A course adds its own sandbox backend, late method and export format, each one class (in
``tests/files/courses/plugins/course_plugins.py``) and one line of its ``nbgrader_config.py``, without
editing the harness; ``grade`` and ``export`` use them."""

import csv
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.core.config import course_settings
from autograder.core.errors import UserError
from autograder.core.plugins import ExportFormat, LateMethod, SandboxBackend, resolve
from autograder.intake.lateness import LatePolicy

COURSE = Path(__file__).resolve().parents[1] / "files" / "courses" / "plugins"
A = "hw1"
WRONG = 'def add(a, b):\n    """The sum of the numbers ``a`` and ``b``."""\n    return a - b'
RIGHT = 'def add(a, b):\n    """The sum of the numbers ``a`` and ``b``."""\n    return a + b'


def _hand_in(folder: Path, answer: str, when: datetime) -> None:
    source = nbformat.read(COURSE / "source" / A / f"{A}.ipynb", 4)
    for cell in source.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "add":
            cell.source = answer
    folder.mkdir(parents=True)
    nbformat.write(source, folder / f"{A}.ipynb")
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    monkeypatch.chdir(root)  # Course.find searches upward from here; its settings name the plugins
    monkeypatch.setenv("COURSE_PLUGINS_LOG", str(tmp_path / "launched.txt"))
    monkeypatch.syspath_prepend(str(root))
    return root


def test_the_course_names_its_own_plugins(course):
    settings = course_settings(course)
    backend = resolve(settings.sandbox, SandboxBackend, {}, "sandbox")
    assert type(backend).__name__ == "RecordingSandbox" and not backend.isolated
    assert type(LatePolicy.from_settings(settings).method).__name__ == "HalfOff"
    assert isinstance(resolve(settings.export_format, ExportFormat, {}, "export_format"), ExportFormat)
    assert isinstance(LatePolicy.from_settings(settings).method, LateMethod)


def test_grading_runs_in_the_courses_sandbox_and_exports_in_its_layout_with_its_late_method(course, tmp_path):
    subs, work = tmp_path / "subs", tmp_path / "work"
    _hand_in(subs / "ann" / A, RIGHT, datetime(2026, 12, 1, 11, tzinfo=UTC))  # on time
    _hand_in(subs / "bob" / A, RIGHT, datetime(2026, 12, 2, 11, tzinfo=UTC))  # a day late: half off
    _hand_in(subs / "cid" / A, WRONG, datetime(2026, 12, 1, 11, tzinfo=UTC))
    assert main(["grade", A, "--submissions", str(subs), "--workdir", str(work), "--workers", "1", "--quiet"]) == 0
    launched = (tmp_path / "launched.txt").read_text().splitlines()
    assert len(launched) >= 3 and all(line.startswith("launch ") for line in launched), launched
    out = tmp_path / "grades.csv"
    assert main(["export", A, "--workdir", str(work), "--out", str(out)]) == 0
    with open(out, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["SID", "Total Score"]
    assert dict(rows[1:]) == {"ann": "2", "bob": "1", "cid": "0"}
    # a flag still picks a built-in layout over the course's
    assert main(["export", A, "--workdir", str(work), "--out", str(out), "--format", "nbgrader"]) == 0
    assert next(csv.reader(open(out, newline="")))[0] == "assignment"


def test_a_plugin_name_that_is_not_one_is_a_sentence(course):
    with pytest.raises(UserError, match="cannot be imported"):
        resolve("course_plugins.Nothing", ExportFormat, {}, "export_format")
    with pytest.raises(UserError, match="not a subclass of autograder.core.plugins.ExportFormat"):
        resolve("course_plugins.HalfOff", ExportFormat, {}, "export_format")
    with pytest.raises(UserError, match="use one of bwrap, none"):
        from autograder.run.backends import backend

        backend("podman")
    assert os.environ["COURSE_PLUGINS_LOG"]
