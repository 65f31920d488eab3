"""What the browser tests share besides fixtures: where the course is, where screenshots go."""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "test-artifacts"))
COURSE_PARTS = ["nbgrader_config.py", "source", "release", "notebooks"]


def artifact(name: str) -> Path:
    """A path in the screenshot folder (created on first use)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def copy_course(into: Path) -> Path:
    """The course as an instructor checks it out (no .venv, grading state or git)."""
    into.mkdir(parents=True, exist_ok=True)
    for part in COURSE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, into / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif source.exists():
            shutil.copyfile(source, into / part)
    return into
