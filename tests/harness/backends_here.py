"""What the sandbox tests share: whether a backend can run on this machine, and a course installed in a
virtual environment of its own (as a clone elsewhere would be)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.run import sandbox
from autograder.run.backends import Template

ROOT = Path(__file__).resolve().parents[2]


def need_backend(mode: str) -> None:
    """Fail when bubblewrap is missing (``make setup`` installs it); skip, with the backend's own sentence,
    when ``mode`` is the template and it cannot run here (not root, or installed in /tmp itself)."""
    if sandbox.bwrap_path() is None:
        pytest.fail("bubblewrap is not installed: run `make setup` (as root it installs it)")
    if mode == "template":
        try:
            Template().require()
        except sandbox.SandboxUnavailable as why:
            pytest.skip(str(why))


def install_course(course: Path, venv: Path) -> Path:
    """Copies of the harness and ``dlcourse`` in ``course``, and a virtual environment at ``venv`` whose
    ``.pth`` names ``course`` and this interpreter's site-packages folders (an old-style editable install
    of ``course``): returns the environment's python."""
    for package in ("autograder", "dlcourse"):
        shutil.copytree(ROOT / package, course / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    ours = [entry for entry in sys.path if entry.endswith("site-packages") and Path(entry).is_dir()]
    Path(purelib, "course.pth").write_text("\n".join([str(course), *ours]) + "\n")
    return python
