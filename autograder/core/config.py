"""Every setting of the harness, declared once: the ``Autograder`` traitlets class.

Each setting is a trait with its help text and default. Its value comes, in this order, from that default,
the course's ``nbgrader_config.py`` (section ``Autograder``, as nbgrader's own settings are written), and
the command line, whose flags are generated from the traits (``python -m autograder --help-all`` lists
them all)::

    c.Autograder.cell_seconds = 30          # in nbgrader_config.py
    python -m autograder grade a1 --submissions subs --cell-timeout 20    # wins over both

``Limits``, what the code passes to workers (it pickles), is a view of the traits tagged ``limit``: its
fields, types and defaults are generated from them, never written twice. ``THREAD_ENV`` is the thread
environment of every kernel the harness starts (one BLAS/torch thread).
"""

import sys
from dataclasses import field, make_dataclass, replace
from pathlib import Path

from traitlets import Bool, Dict, Enum, Float, Int, List, TraitError, Unicode
from traitlets.config import Configurable
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from autograder.core.errors import UserError

THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _limit(trait, help: str, flag: str = "", mib: bool = False):
    """A per-submission cap: part of ``Limits``. ``flag`` overrides the generated flag's name; with ``mib``
    the flag takes MiB rather than bytes."""
    trait.help = help
    return trait.tag(config=True, limit=True, flag=flag, mib=mib)


def _setting(trait, help: str, flag: str = ""):
    trait.help = help
    return trait.tag(config=True, flag=flag)


class Autograder(Configurable):
    """The ``c.Autograder`` section of ``nbgrader_config.py``: every setting of the harness."""

    # limits: caps on one submission's grading (per kernel where it says so)
    cell_seconds = _limit(Float(60.0), "wall-clock seconds per cell", flag="cell-timeout")
    notebook_seconds = _limit(Float(600.0), "wall-clock seconds per notebook", flag="timeout")
    output_bytes = _limit(Int(2 << 20), "bytes of output (text and images) a student sees per notebook")
    record_bytes = _limit(Int(64 << 20), "bytes of values checks hand to the grader")
    memory_bytes = _limit(Int(2 << 30), "memory per kernel (the course's notebooks peak well under 1 GiB); "
                          "the flag takes MiB", flag="memory-mib", mib=True)
    processes = _limit(Int(128), "processes per kernel: a fork bomb stops here")
    open_files = _limit(Int(512), "open files per kernel")
    file_bytes = _limit(Int(256 << 20), "largest file a kernel may write")
    notebook_bytes = _limit(Int(20 << 20), "largest submitted notebook")
    folder_bytes = _limit(Int(200 << 20), "the student's other files, copied beside the notebook, in all")
    restarts = _limit(Int(2), "fresh kernels after a cell hangs, crashes or hits the memory cap, per notebook "
                      "(0: the first such cell ends the run)")
    cpu_cores = _limit(Float(1.0), "CPU per kernel, in cores (a cgroup quota: a student's 60 spinning processes "
                       "share it and leave the other kernels theirs)")
    disk_bytes = _limit(Int(512 << 20), "bytes a kernel may store in its work folder (a size-capped tmpfs; "
                        "counted in its memory too)")
    disk_files = _limit(Int(20_000), "files and folders a kernel may create in its work folder (the tmpfs's "
                        "inodes)")
    max_zip_bytes = _limit(Int(2 << 30), "largest unpacked size of a zip of submissions")
    kernel_start_seconds = _limit(Float(60.0), "seconds a kernel may take to start and answer")
    worker_grace_seconds = _limit(Float(120.0), "seconds a grading worker may take beyond its notebooks' time "
                                  "limits before its submission is a grader-side crash")
    cluster_retries = _limit(Int(2), "times a Dask cluster runs a task again whose worker was lost (grading is "
                             "idempotent)")

    # how and where grading runs (the defaults of sandbox and late_method are the words of run.backends.SandboxMode
    # and intake.lateness.LateMethodName: config imports no step above it; tests/unit/test_enums.py holds them equal)
    sandbox = _setting(Unicode("bwrap"), "the sandbox backend around student kernels: bwrap (bubblewrap), template "
                       "(bubblewrap kernels forked from a per-worker template that imported the given code once; "
                       "needs root), none (no isolation: only for code you trust), or an importable subclass of "
                       "autograder.core.plugins.SandboxBackend as package.module.Class")
    allow_weaker_sandbox = _setting(Bool(False), "grade even where no cgroup can cap a kernel's processes and "
                                    "memory (prlimit caps them)")
    workers = _setting(Int(0), "submissions graded at once, one kernel each (0: the machine's cores)")
    scheduler = _setting(Unicode(""), "run on a Dask distributed cluster: tcp://HOST:PORT of its scheduler "
                         "(empty: this machine)")
    kernel_packages = _setting(List(Unicode()), "importable packages (or modules) of the grader's installation "
                               "a kernel may import besides the harness, e.g. the course's helper package: each "
                               "is bound into every kernel read-only, on its own, wherever it is installed (an "
                               "editable install's folder lies outside the Python environment, which kernels see "
                               "whole); a name not listed is not importable there unless installed into the "
                               "environment; the flag takes names separated by commas")
    keep_figures = _setting(Bool(False), "render plots while grading (slower; the graded notebooks then show "
                            "them)")
    judge = _setting(Unicode("autograder.judge.records.RecordJudge"), "how a check's recorded value is judged against "
                     "the reference's: an importable subclass of autograder.core.plugins.Judge")

    # deadlines and late work
    due = _setting(Dict(), "assignment -> due time (ISO 8601; UTC without a zone); the flag takes JSON")
    extensions = _setting(Dict(), "assignment -> {student id: extra hours}; the flag takes JSON")
    late_method = _setting(Unicode("none"), "the late policy: none, per_hour, per_day, nbgrader (the "
                           "LateSubmissionPlugin class of c.AssignLatePenalties.plugin_class, as nbgrader's "
                           "Formgrader uses it), or an importable subclass of autograder.core.plugins.LateMethod")
    late_rate = _setting(Float(0.0), "share of the maximum score per hour or day begun")
    late_cap = _setting(Float(1.0), "largest share taken for lateness")
    late_cutoff_hours = _setting(Float(0.0), "hours after the deadline from which a submission earns 0 (0: none)")

    # grading on submit (python -m autograder serve)
    serve_shows = _setting(Enum(["visible", "visible_and_hidden_count"], "visible"),
                           "what a student's page shows before the student's deadline: visible (the visible "
                           "tests' results) or visible_and_hidden_count (also how many hidden tests pass); never "
                           "hidden code, values or messages. After the deadline: the whole feedback page, as "
                           "`feedback` writes it")
    serve_per_hour = _setting(Int(0), "submissions of one student graded per hour by `serve`; one past it is "
                              "not graded and its page says when the next one will be (0: no limit)")
    serve_poll_seconds = _setting(Float(5.0), "seconds between two looks of `serve` at the exchange's inbox")
    serve_any_owner = _setting(Bool(False), "`serve` grades a submission whatever Unix account owns its folder "
                               "in the inbox (by default only when the account is named like the student: on "
                               "one machine, as in `make lab`, one account submits for everyone)")

    # outputs and release
    export_format = _setting(Unicode("autograder"), "CSV layout of `export`: autograder (with status and reason), "
                             "canvas, moodle, nbgrader, or an importable subclass of autograder.core.plugins."
                             "ExportFormat", flag="format")
    strict_release = _setting(Bool(False), "release verification holds this course to the harness's own "
                              "conventions (given cells never call input(), answers' names defined outside "
                              "solution regions, no solution or hidden line inside a visible one): those fail "
                              "`release` instead of warning")

    def limits(self) -> "Limits":
        """The limits of these settings, as workers get them."""
        return Limits(**{name: getattr(self, name) for name in LIMIT_NAMES})


def flag_name(name: str) -> str:
    """The command-line flag of setting ``name`` (without the dashes)."""
    return Autograder.class_traits()[name].metadata.get("flag") or name.replace("_", "-")


def settings_traits() -> dict:
    """Every setting, in the order of its declaration."""
    traits = Autograder.class_traits(config=True)
    order = list(Autograder.__dict__)
    return {name: traits[name] for name in sorted(traits, key=order.index)}


LIMIT_NAMES = [name for name, trait in settings_traits().items() if trait.metadata.get("limit")]


def _with_overrides(self, **values) -> "Limits":
    """These limits with every value that is not None replaced."""
    return replace(self, **{key: value for key, value in values.items() if value is not None})


Limits = make_dataclass(
    "Limits", [(name, type(settings_traits()[name].default_value),
                field(default=settings_traits()[name].default_value)) for name in LIMIT_NAMES],
    frozen=True, namespace={"with_overrides": _with_overrides,
                            "__doc__": "Caps on one submission's grading: a view of ``Autograder``'s limits."})
Limits.__module__ = __name__  # pickles by name to workers

DEFAULTS = Limits()


def _load(course_root: Path | None):
    """The course's traitlets configuration (None without an ``nbgrader_config.py``)."""
    if course_root is None or not (Path(course_root) / "nbgrader_config.py").is_file():
        return None
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(course_root))
    folder = str(Path(course_root).resolve())
    if folder not in sys.path:  # the course's plugin modules beside its nbgrader_config.py (autograder.core.plugins)
        sys.path.append(folder)
    try:
        return loader.load_config()
    except ConfigFileNotFound:
        return None
    except Exception as error:
        raise UserError(f"{Path(course_root) / 'nbgrader_config.py'} does not run: {type(error).__name__}: "
                        f"{error}. Fix the file, or run from another folder.") from None


def course_settings(course_root: Path | None) -> Autograder:
    """The defaults with the course's ``c.Autograder`` settings applied (``nbgrader_config.py`` in
    ``course_root``, if there is one). A name that is not a setting, or a value of the wrong type, stops
    with a sentence."""
    config = _load(course_root)
    if config is None:
        return Autograder()
    known = settings_traits()
    unknown = sorted(set(config.get("Autograder", {})) - set(known))
    if unknown:
        raise UserError(f"nbgrader_config.py sets c.Autograder.{unknown[0]}, which is not a setting of the grader; "
                        f"the settings are: {', '.join(known)} (python -m autograder --help-all describes them)")
    try:
        settings = Autograder(config=config)
        for name in known:
            getattr(settings, name)
    except TraitError as error:
        raise UserError(f"nbgrader_config.py: a c.Autograder setting has a value of the wrong type ({error}); "
                        "python -m autograder --help-all says what each one takes") from None
    return settings  # settings.config: the whole file, for plugins that read other sections (nbgrader's)


def course_strict_release(course_root: Path | None) -> bool:
    """Whether release verification holds the course to this harness's conventions (``c.Autograder.
    strict_release``); a foreign course is held only to what breaks an nbgrader release."""
    return bool(course_settings(course_root).strict_release)


def course_limits(course_root: Path | None) -> Limits:
    """The defaults with the course's ``c.Autograder`` settings applied."""
    return course_settings(course_root).limits()

