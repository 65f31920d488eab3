"""The wheel outside this repository: built offline, installed into a fresh virtual environment, it
releases and grades (sandboxed) a course folder that is not this repository.

The fresh environment gets the wheel alone (``--no-deps --no-index``) and its dependencies through a
``.pth`` file listing this environment's site-packages: ``site`` appends that folder to ``sys.path``
without processing the ``.pth`` files inside it, so this repository's editable install is not picked
up, and ``autograder`` must resolve inside the new environment. The sandboxed kernel then imports numpy
and ipykernel from a folder outside both the new environment and the interpreter, which the sandbox
must bind (``sandbox.python_dirs``). The course is ``tests/files/courses/plain`` (nbgrader's own style,
kernel-verdict cells); the expected scores are those ``test_plain_course.py`` holds.
"""

import csv
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import Course, read_notebook
from tests.harness.test_plain_course import FIRST_COLUMN, NO_CHECK, _answered

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PLAIN = REPO / "tests" / "files" / "courses" / "plain"
A = "ps1"
# student -> answers by notebook (None: the release untouched) and the score test_plain_course asserts
STUDENTS = {
    "ref": ({"problem1": {}, "problem2": {}}, 5.0),
    "untouched": ({"problem1": None, "problem2": None}, 0.0),
    "wrong": ({"problem1": {"squares": NO_CHECK}, "problem2": {}}, 4.0),
    "partial": ({"problem1": {}, "problem2": {"column_mean": FIRST_COLUMN}}, 4.0),
}


def _run(argv: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{argv}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """(the new environment's python, the environment to run it in), the wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    project = tmp / "project"  # a copy: building leaves build/ and *.egg-info beside pyproject.toml
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, project / name)
    for package in ("autograder", "coursetools", "dlcourse"):
        shutil.copytree(REPO / package, project / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8", "PIP_NO_INDEX": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}  # offline: no index, no cache
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", tmp / "dist", project], tmp, env)
    wheels = list((tmp / "dist").glob("dlcourse-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheels[0]], tmp, env)
    site_packages = Path(_run([python, "-c", "import site; print(site.getsitepackages()[0])"], tmp, env).stdout.strip())
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # the dependencies' commands (nbgrader runs `alembic`) live beside this environment's python
    env["PATH"] = f"{venv / 'bin'}:{Path(sys.executable).parent}:{env['PATH']}"
    return python, env


def test_the_new_environment_imports_its_own_copy(installed, tmp_path):
    python, env = installed
    out = _run([python, "-c", "import autograder, dlcourse, numpy; print(autograder.__file__); "
                "print(dlcourse.__file__); print(numpy.__file__)"], tmp_path, env).stdout.split()
    venv = python.parent.parent
    assert Path(out[0]).is_relative_to(venv) and Path(out[1]).is_relative_to(venv), out
    assert not Path(out[0]).is_relative_to(REPO / "autograder"), out
    assert Path(out[2]).is_relative_to(sysconfig.get_paths()["purelib"]), out  # a dependency, through the .pth


def test_the_wheel_holds_every_step_and_its_templates(installed, tmp_path):
    """Every step folder of the harness, its page templates and offline page, and the course's tooling."""
    python, env = installed
    code = ("import autograder.cli, autograder.outputs.pages as p, autograder.outputs.mathjax as m, coursetools.demo; "
            "print(len(list(p.FOLDER.glob('*.j2'))), (m.TEMPLATES / 'offline' / 'conf.json').is_file())")
    count, found = _run([python, "-c", code], tmp_path, env).stdout.split()
    assert int(count) > 0 and found == "True", (count, found)


def test_release_and_sandboxed_grading_of_a_course_elsewhere(installed, tmp_path, sandbox_mode):
    python, env = installed
    assert sandbox_mode == "bwrap"  # grade's default: the fixture fails here when bubblewrap is missing
    root = tmp_path / "course"
    shutil.copytree(PLAIN, root)
    _run([python, "-m", "autograder", "release", A], root, env)
    course = Course(root)
    subs = tmp_path / "submissions"
    for student, (notebooks, _) in STUDENTS.items():
        folder = subs / student / A
        folder.mkdir(parents=True)
        for name, answers in notebooks.items():
            source, release = (read_notebook(p(A, name)) for p in (course.source_path, course.release_path))
            nbformat.write(release if answers is None else _answered(source, release, answers),
                           folder / f"{name}.ipynb")
    work = tmp_path / "work"
    _run([python, "-m", "autograder", "grade", A, "--submissions", subs, "--workdir", work, "--workers", "2",
          "--quiet"], root, env)
    _run([python, "-m", "autograder", "export", A, "--workdir", work, "--out", work / "grades.csv"], root, env)
    rows = {row["student_id"]: row for row in csv.DictReader(open(work / "grades.csv"))}
    assert {student: (rows[student]["status"], float(rows[student]["score"])) for student in STUDENTS} == {
        student: ("graded", score) for student, (_, score) in STUDENTS.items()}
