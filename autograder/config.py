"""One configuration for every limit of grading, with one set of defaults.

``Limits`` is what the code passes around (it pickles to workers). Its values come, in this order, from
the defaults below, the course's ``nbgrader_config.py`` (section ``Autograder``, as nbgrader's own
settings are written), and the command line::

    c.Autograder.cell_seconds = 30          # in nbgrader_config.py
    python -m autograder grade a1 --submissions subs --cell-timeout 20    # wins over both

``THREAD_ENV`` is the thread environment of every kernel the harness starts (one BLAS/torch thread).
"""

from dataclasses import dataclass, fields, replace
from pathlib import Path

from traitlets import Bool, Dict, Float, Int, Unicode
from traitlets.config import Configurable
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from autograder.errors import UserError

THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Limits:
    """Caps on one submission's grading (per kernel where it says so)."""

    cell_seconds: float = 60.0  # wall clock per cell
    notebook_seconds: float = 600.0  # wall clock per notebook
    output_bytes: int = 2 << 20  # text and images shown to the student
    record_bytes: int = 64 << 20  # values handed to the grader by checks
    memory_bytes: int = 2 << 30  # per kernel; the course's notebooks peak well under 1 GiB
    processes: int = 128  # per kernel: a fork bomb stops here
    open_files: int = 512
    file_bytes: int = 256 << 20  # largest file a kernel may write
    notebook_bytes: int = 20 << 20  # largest submitted notebook
    folder_bytes: int = 200 << 20  # the student's other files, copied beside the notebook
    restarts: int = 2  # fresh kernels after a cell hangs, crashes or hits the memory cap, per notebook
    cpu_cores: float = 1.0  # per kernel: its CPU quota (cgroup), in cores, however many processes it starts
    disk_bytes: int = 512 << 20  # per kernel: its work folder (a sized tmpfs where the grader may mount one)
    disk_files: int = 20_000  # per kernel: files and folders in its work folder

    def with_overrides(self, **values) -> "Limits":
        """These limits with every value that is not None replaced."""
        return replace(self, **{key: value for key, value in values.items() if value is not None})


DEFAULTS = Limits()


class Autograder(Configurable):
    """The ``c.Autograder`` section of ``nbgrader_config.py``: the same names and defaults as ``Limits``."""

    cell_seconds = Float(DEFAULTS.cell_seconds, help="wall-clock seconds per cell").tag(config=True)
    notebook_seconds = Float(DEFAULTS.notebook_seconds, help="wall-clock seconds per notebook").tag(config=True)
    output_bytes = Int(DEFAULTS.output_bytes, help="bytes of output a student sees").tag(config=True)
    record_bytes = Int(DEFAULTS.record_bytes, help="bytes of values checks hand to the grader").tag(config=True)
    memory_bytes = Int(DEFAULTS.memory_bytes, help="memory per kernel").tag(config=True)
    processes = Int(DEFAULTS.processes, help="processes per kernel").tag(config=True)
    open_files = Int(DEFAULTS.open_files, help="open files per kernel").tag(config=True)
    file_bytes = Int(DEFAULTS.file_bytes, help="largest file a kernel may write").tag(config=True)
    notebook_bytes = Int(DEFAULTS.notebook_bytes, help="largest submitted notebook").tag(config=True)
    folder_bytes = Int(DEFAULTS.folder_bytes, help="the student's other files, in all").tag(config=True)
    cpu_cores = Float(DEFAULTS.cpu_cores, help="CPU per kernel, in cores (a cgroup quota: a student's 60 spinning "
                      "processes share it and leave the other kernels theirs)").tag(config=True)
    disk_bytes = Int(DEFAULTS.disk_bytes, help="bytes a kernel may store in its work folder (a size-capped tmpfs; "
                     "counted in its memory too)").tag(config=True)
    disk_files = Int(DEFAULTS.disk_files, help="files and folders a kernel may create in its work folder "
                     "(the tmpfs's inodes)").tag(config=True)
    due = Dict(help="assignment -> due time (ISO 8601; UTC without a zone)").tag(config=True)
    extensions = Dict(help="assignment -> {student id: extra hours}").tag(config=True)
    late_method = Unicode("none", help="none, per_hour or per_day").tag(config=True)
    late_rate = Float(0.0, help="share of the maximum score per hour or day begun").tag(config=True)
    late_cap = Float(1.0, help="largest share taken for lateness").tag(config=True)
    late_cutoff_hours = Float(0.0, help="hours after the deadline from which a submission earns 0 (0: none)"
                              ).tag(config=True)
    strict_release = Bool(False, help="release verification holds this course to the harness's own conventions "
                                      "(given cells never call input(), answers' names defined outside solution "
                                      "regions, no solution or hidden line inside a visible one): those fail "
                                      "`release` instead of warning").tag(config=True)
    restarts = Int(DEFAULTS.restarts, help="fresh kernels after a cell hangs, crashes or hits the memory cap, "
                                           "per notebook (0: the first such cell ends the run)").tag(config=True)


def _load(course_root: Path | None):
    """The course's traitlets configuration (None without an ``nbgrader_config.py``)."""
    if course_root is None or not (Path(course_root) / "nbgrader_config.py").is_file():
        return None
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(course_root))
    try:
        return loader.load_config()
    except ConfigFileNotFound:
        return None
    except Exception as error:
        raise UserError(f"{Path(course_root) / 'nbgrader_config.py'} does not run: {type(error).__name__}: "
                        f"{error}. Fix the file, or run from another folder.") from None


_LATE = ("due", "extensions", "late_method", "late_rate", "late_cap", "late_cutoff_hours")
_OTHER = ("strict_release",)


def course_strict_release(course_root: Path | None) -> bool:
    """Whether release verification holds the course to this harness's conventions (``c.Autograder.
    strict_release``); a foreign course is held only to what breaks an nbgrader release."""
    config = _load(course_root)
    return bool(Autograder(config=config).strict_release) if config is not None else False


def course_late_policy(course_root: Path | None):
    """The course's deadlines, extensions and late policy (``autograder.lateness``)."""
    from autograder.lateness import LatePolicy

    config = _load(course_root)
    settings = Autograder(config=config) if config is not None else Autograder()
    return LatePolicy.from_settings(settings.due, settings.extensions, settings.late_method, settings.late_rate,
                                    settings.late_cap, settings.late_cutoff_hours)


def course_limits(course_root: Path | None) -> Limits:
    """The defaults with the course's ``c.Autograder`` settings applied (``nbgrader_config.py`` in
    ``course_root``, if there is one). A setting that is not a limit stops with a sentence."""
    config = _load(course_root)
    if config is None:
        return DEFAULTS
    section = config.get("Autograder", {})
    unknown = sorted(set(section) - {field.name for field in fields(Limits)} - set(_LATE) - set(_OTHER))
    if unknown:
        raise UserError(f"nbgrader_config.py sets c.Autograder.{unknown[0]}, which is not a setting of the grader; "
                        f"the limits are: {', '.join(field.name for field in fields(Limits))}; the late policy: "
                        f"{', '.join(_LATE)}; and {', '.join(_OTHER)}")
    settings = Autograder(config=config)
    return Limits(**{field.name: getattr(settings, field.name) for field in fields(Limits)})
