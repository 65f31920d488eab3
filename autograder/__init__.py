"""The course's grading harness: release generation and verification, validation, sandboxed and
parallel autograding, feedback, grade export and reports, and the checks test cells call."""

import os as _os
import sys as _sys
import warnings as _warnings

# nbgrader's Gradebook runs the `alembic` command it installs beside this interpreter: make sure that
# folder is on PATH even when the environment was not activated (python -m autograder from a venv).
_bin = _os.path.dirname(_sys.executable)
if _bin not in _os.environ.get("PATH", "").split(_os.pathsep):
    _os.environ["PATH"] = _bin + _os.pathsep + _os.environ.get("PATH", "")

# SQLAlchemy 2.x warns about nbgrader 0.9.6's session use on a student's first grading; harmless (measured).
_warnings.filterwarnings("ignore", message=".*not in session.*")
