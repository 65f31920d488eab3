"""Where the course's nbgrader exchange is, read from nbgrader's own configuration.

nbgrader reads ``nbgrader_config.py`` from every Jupyter configuration folder (``jupyter --paths``: the
environment's, ``/etc/jupyter``, ``JUPYTER_CONFIG_DIR``) and then from the course folder, later files
winning; ``Exchange.root`` (default ``/srv/nbgrader/exchange``) and ``CourseDirectory.course_id`` come from
there, as ``make lab`` and a JupyterHub deployment write them. The layout (nbgrader 0.9.6)::

    <root>/<course>/outbound/<assignment>/          released assignments (fetch)
    <root>/<course>/inbound/<student>+<assignment>+<timestamp>+<random>/   submissions (submit)
    <root>/<course>/feedback/<md5(secret + notebook)>.html                   feedback (fetch feedback)
"""

import os
from dataclasses import dataclass
from pathlib import Path

from autograder.core.errors import UserError

DEFAULT_ROOT = "/srv/nbgrader/exchange"  # nbgrader's Exchange.root default


@dataclass(frozen=True)
class CourseExchange:
    """One course's folders in an nbgrader exchange."""

    root: Path
    course_id: str

    @property
    def course(self) -> Path:
        return self.root / self.course_id

    @property
    def inbound(self) -> Path:
        return self.course / "inbound"

    @property
    def outbound(self) -> Path:
        return self.course / "outbound"

    @property
    def feedback(self) -> Path:
        return self.course / "feedback"

    def require_inbound(self) -> Path:
        """The inbox, or a sentence saying it is missing and what to do."""
        if not self.inbound.is_dir():
            raise UserError(f"the exchange has no inbox at {self.inbound}: release an assignment there first "
                            "(nbgrader release_assignment, or python -m autograder.lab release), or pass the "
                            "exchange's root with --exchange (nbgrader's Exchange.root)")
        return self.inbound

    def ensure_feedback(self) -> Path:
        """The feedback folder, made as nbgrader's release_feedback makes it (0711: students reach their
        own page by its secret name and cannot list the others)."""
        if not self.feedback.is_dir():
            self.feedback.mkdir(parents=True)
            self.feedback.chmod(0o711)
        return self.feedback


def nbgrader_config(course_root: Path):
    """nbgrader's merged configuration, read as nbgrader reads it: every Jupyter configuration folder, then
    the course folder."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    merged = Config()
    for folder in [*reversed(jupyter_config_path()), str(course_root)]:
        if not os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            continue
        try:
            merged.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
        except ConfigFileNotFound:
            continue
        except Exception as error:
            raise UserError(f"{folder}/nbgrader_config.py does not run ({type(error).__name__}: {error}); fix it, "
                            "since nbgrader reads it too") from None
    return merged


def find_exchange(course_root: Path, root: str | None = None) -> CourseExchange:
    """The course's exchange: ``root`` (a flag) or nbgrader's ``Exchange.root``, and its course id."""
    config = nbgrader_config(course_root)
    course_id = config.get("CourseDirectory", {}).get("course_id", "")
    if not course_id:
        raise UserError(f"no course id: set c.CourseDirectory.course_id in {course_root}/nbgrader_config.py, as "
                        "nbgrader's exchange needs one")
    found = root or config.get("Exchange", {}).get("root", "") or DEFAULT_ROOT
    return CourseExchange(Path(found).resolve(), str(course_id))
