"""The harness's plugin points: small base classes a course subclasses and names in ``nbgrader_config.py``.

Each is chosen by one setting of ``autograder.core.config.Autograder``, by a built-in name or by an importable
dotted name (``package.module.Class``), as nbgrader's ``ExportPlugin`` and ``LateSubmissionPlugin`` are::

    c.Autograder.sandbox = "mycourse.grading.Podman"          # a SandboxBackend
    c.Autograder.late_method = "mycourse.grading.HalfOff"     # a LateMethod
    c.Autograder.export_format = "mycourse.grading.Gradescope"  # an ExportFormat
    c.Autograder.judge = "mycourse.grading.Lenient"           # a Judge

A plugin class must be importable wherever it runs: a sandbox backend and a judge travel to the grading
workers (by name, as pickles do), so a course installs its module or keeps it beside ``nbgrader_config.py``
(the course folder is put on ``sys.path`` when its settings are read, and worker processes inherit it).
Plugins are frozen dataclasses: instances compare equal by their class and fields, and pickle.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from autograder.core.errors import UserError


def resolve(value, base: type, builtins: dict[str, type], setting: str):
    """An instance of the plugin ``value`` names: an instance of ``base`` as it is, a built-in name, or an
    importable dotted name of a subclass of ``base``. Anything else stops with a sentence."""
    if isinstance(value, base):
        return value
    if isinstance(value, type) and issubclass(value, base):
        return value()
    name = str(value)
    if name in builtins:
        return builtins[name]()
    if "." not in name:
        raise UserError(f"c.Autograder.{setting} is {name!r}; use one of {', '.join(builtins)}, or the importable "
                        f"name (package.module.Class) of a subclass of {base.__module__}.{base.__name__}")
    from traitlets.utils.importstring import import_item

    try:
        found = import_item(name)
    except Exception as error:
        raise UserError(f"c.Autograder.{setting} names {name!r}, which cannot be imported ({type(error).__name__}: "
                        f"{error}); install its package, or put its module beside nbgrader_config.py") from None
    if not (isinstance(found, type) and issubclass(found, base)):
        raise UserError(f"c.Autograder.{setting} names {name!r}, which is not a subclass of "
                        f"{base.__module__}.{base.__name__}")
    return found()


@dataclass(frozen=True)
class LateMethod:
    """How lateness costs points (``c.Autograder.late_method``). ``penalty`` is called only for a submission
    after the student's deadline and before any cutoff; the policy's cap is applied to what it returns."""

    name: ClassVar[str] = ""

    def penalty(self, lateness: "LateCase") -> float:
        """Points taken off ``lateness.score`` (the cap and the score itself bound it afterwards)."""
        raise NotImplementedError

    def describe(self, policy) -> str:
        """The rule in words, after the hours late on a feedback page or in the CSV ("" for none)."""
        return ""


@dataclass(frozen=True)
class LateCase:
    """One late submission, as a ``LateMethod`` sees it."""

    student: str
    assignment: str
    hours: float  # after the student's deadline (with any extension)
    score: float
    max_score: float
    rate: float  # c.Autograder.late_rate


@dataclass(frozen=True)
class ExportFormat:
    """A CSV layout of ``export`` (``c.Autograder.export_format`` or ``--format``)."""

    name: ClassVar[str] = ""

    def write(self, writer, table: "ExportTable") -> None:
        """Write ``table`` with ``writer`` (a ``csv.writer``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class ExportTable:
    """What an export format writes: one assignment's rows (roster students without a run included as
    missing), the roster by student id (``autograder.outputs.export.Person``) and the maximum score."""

    assignment: str
    rows: list
    roster: dict
    max_score: float


@dataclass(frozen=True)
class SandboxBackend:
    """What isolates a student's kernel (``c.Autograder.sandbox``). ``launch`` starts a kernel (an
    ``autograder.run.sandbox.Kernel``) and returns without waiting for it to boot; ``probe`` runs a command in
    a sandbox made exactly as a kernel's, for ``doctor``."""

    name: ClassVar[str] = ""
    isolated: ClassVar[bool] = True  # False: student code runs with the grader's rights
    # True: a kernel's imports are paid once per worker (a template), so its kernels also import the modules
    # the reference's cells imported (``autograder.run.reference``); a kernel that pays its own imports gets
    # the given code's only (the reference also imported what grading skips: Pillow for figures not drawn)
    shares_imports: ClassVar[bool] = False

    def require(self, allow_weaker: bool = True) -> None:
        """Raise ``autograder.run.sandbox.SandboxUnavailable`` (a sentence with the fix) when this backend cannot
        isolate kernels here."""

    def sweep(self) -> None:
        """Clean up what a killed grader left (cgroups, mounts) before a batch."""

    def summary(self, limits) -> str:
        """One line for ``grade``: what isolates and caps a kernel."""
        return self.name

    def with_packages(self, packages: tuple[str, ...]) -> "SandboxBackend":
        """This backend letting kernels import ``packages`` (``c.Autograder.kernel_packages``) of the grader's
        installation besides the harness; a course's own backend decides that itself (itself, unchanged)."""
        return self

    def kernel_root(self, root: Path) -> Path:
        """Where a kernel's fresh folder is made (``root``, the batch's scratch folder, unless the backend needs
        its own)."""
        return root

    def launch(self, folder: Path, env: dict[str, str], limits, owns_folder: bool = False):
        raise NotImplementedError

    def probe(self, command: list[str], limits, timeout: float = 60):
        """An ``autograder.run.probe.Probe``: ``command`` run in a sandbox made as a grading kernel's is."""
        raise NotImplementedError


@dataclass(frozen=True)
class Judge:
    """How a check's record is judged against the reference's, outside the kernel (``c.Autograder.judge``)."""

    def judge(self, reference: dict, student) -> str | None:
        """None when ``student`` (the record the student's kernel handed over) passes against ``reference``
        (the solution's record of the same check), else the message the student reads."""
        raise NotImplementedError
