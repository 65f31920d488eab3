"""``python -m autograder``: release, validate, grade, serve, rescore, history, similarity, mutants, migrate, doctor,
feedback, export, report, fixtures.

Every command takes a flag for every setting of ``autograder.core.config.Autograder`` (generated from its traits:
``--help-all`` lists them); a flag wins over the course's ``nbgrader_config.py``, which wins over the default.
"""

import argparse
import json
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from traitlets import Bool, Dict, List, TraitError

from autograder.core.config import THREAD_ENV, Autograder, Limits, course_settings, flag_name, settings_traits
from autograder.core.course import Course
from autograder.core.errors import UserError
from autograder.core.plugins import SandboxBackend
from autograder.run.backends import SandboxMode


def _limits(args) -> Limits:
    """The limits for this command: defaults, the course's ``c.Autograder`` settings, then the flags."""
    return args.settings.limits()


def _resolve_settings(args, course: Course | None) -> Autograder:
    """The settings for this command: defaults, the course's ``c.Autograder`` settings, then the flags."""
    settings = course_settings(course.root if course else None)
    for name, trait in settings_traits().items():
        value = getattr(args, f"set_{name}", None)
        if value is None:
            continue
        try:
            if trait.metadata.get("mib"):
                value = int(value) << 20
            elif isinstance(trait, Dict):
                value = json.loads(value)
            elif isinstance(trait, List):
                value = [part.strip() for part in value.split(",") if part.strip()]
            elif isinstance(value, str):
                value = trait.from_string(value)
            setattr(settings, name, value)
        except (TraitError, ValueError, SyntaxError) as error:
            raise UserError(f"--{flag_name(name)} {value}: not a value of c.Autograder.{name} ({error}); "
                            "python -m autograder --help-all says what each setting takes") from None
    return settings


def _resolve_limits(args, course: Course | None) -> Limits:
    return _resolve_settings(args, course).limits()


def _late(args):
    """The course's deadlines, extensions and late policy (nbgrader_config.py's c.Autograder, then flags)."""
    from autograder.intake.lateness import LatePolicy

    return LatePolicy.from_settings(args.settings)


def _sandbox(args):
    """The sandbox backend of this command's settings (``autograder.run.backends``)."""
    from autograder.run.backends import backend

    return backend(args.settings.sandbox).with_packages(tuple(args.settings.kernel_packages))


def _workers(args) -> int:
    return args.settings.workers or os.cpu_count() or 1


def _grade_options(args, **values):
    from autograder.grade import GradeOptions

    return GradeOptions.from_settings(args.settings, **values)


def _workdir(args, graded: bool = False):
    """The ``--workdir``; with ``graded`` (every command but ``grade``) it must hold a gradebook."""
    from autograder.core.workdir import Workdir

    return Workdir(Path(args.workdir), db_url=getattr(args, "db_url", "") or "", must_exist=graded)


def _graded_runs(workdir, assignment: str) -> None:
    """Refuse (a sentence) a gradebook that holds no graded submission of ``assignment``."""
    from autograder.store import gradebook

    if not gradebook.previous_runs(workdir.db_url, assignment):
        raise UserError(f"the gradebook at {workdir.db_url.removeprefix('sqlite:///')} holds no graded submission "
                        f"of {assignment}; grade them first (python -m autograder grade {assignment} "
                        "--submissions ...) or pass the --workdir they were graded into")


def _assignments(course: Course, names: list[str]) -> list[str]:
    return names or course.assignments()


def cmd_release(args, course: Course) -> int:
    """Generate and verify (or only check) each assignment's release; several assignments are verified
    in parallel, one per worker process, and reported in course order."""
    names = _assignments(course, args.assignments)
    jobs = [ReleaseJob(course, name, args.check, args.no_verify, args.workdir, _limits(args), _sandbox(args))
            for name in names]
    workers = min(_workers(args), len(jobs))
    if workers > 1 and not args.check:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        from autograder.run.worker import worker_init

        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=worker_init) as pool:
            outcomes = list(pool.map(_release_one, jobs))
    else:
        outcomes = [_release_one(job) for job in jobs]
    for lines, _ in outcomes:
        print("\n".join(lines))
    return 1 if any(failed for _, failed in outcomes) else 0


@dataclass(frozen=True)
class ReleaseJob:
    """One assignment to release: generate (unless only ``check``ing), then verify (unless ``no_verify``)
    with these limits and sandbox backend; ``workdir`` keeps the reference cache (None: a scratch folder)."""

    course: Course
    assignment: str
    check: bool
    no_verify: bool
    workdir: str | None
    limits: Limits
    sandbox: SandboxBackend


def _release_one(job: ReleaseJob) -> tuple[list[str], bool]:
    """One assignment: (lines to print, whether it failed)."""
    from autograder.core.workdir import Workdir
    from autograder.judge.scoring import trust_counts
    from autograder.release.generate import write_release
    from autograder.release.verify import check_in_sync, verify
    from autograder.run.reference import load_reference

    course, assignment, workdir_path = job.course, job.assignment, job.workdir
    check, no_verify, limits, sandbox_mode = job.check, job.no_verify, job.limits, job.sandbox
    lines, counts = [], ""
    if check:
        violations = check_in_sync(course, assignment)
    else:
        write_release(course, assignment)
        lines.append(f"{assignment}: release/{assignment}/ generated")
        if no_verify:
            return lines, False
        with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
            workdir = Workdir(Path(workdir_path) if workdir_path else Path(scratch))
            reference = load_reference(course, assignment, workdir, limits)
            violations = verify(course, assignment, reference, limits, sandbox_mode)
            totals = [trust_counts(cells) for cells in reference.values()]
            counts = (f"{sum(t['checks'] for t in totals)} checks cells, "
                      f"{sum(t['bound'] for t in totals)} bound cells (a number from the kernel), "
                      f"{sum(t['kernel'] for t in totals)} kernel-verdict cells")
    errors = [violation for violation in violations if not violation.warning]
    warnings = [violation for violation in violations if violation.warning]
    lines += [f"  FAIL {violation}" for violation in errors]
    lines += [f"  WARN {violation}" for violation in warnings]
    if warnings:
        lines.append(f"  ({len(warnings)} warning{'s' * (len(warnings) > 1)}: nbgrader releases this, but it breaks "
                     "this harness's conventions; c.Autograder.strict_release = True makes them fail)")
    lines.append(f"{assignment}: {'FAILED' if errors else 'verified'}"
                 + (f" ({len(errors)} problems)" if errors else (f" ({counts})" if counts else "")))
    return lines, bool(errors)


def cmd_validate(args, course: Course | None) -> int:
    from autograder.release.validate import render, validate

    checks, problem = validate(Path(args.notebook), _limits(args))
    print(render(checks, problem))
    return 0 if checks and all(c.passed for c in checks) and not problem else 1


def cmd_grade(args, course: Course) -> int:
    from autograder.grade import grade_assignment
    from autograder.intake.submissions import read_times
    from autograder.outputs.report import table

    roster = Path(args.roster).read_text().split() if args.roster else []
    workdir = _workdir(args)
    if args.force:  # every stored run is about to be replaced (they stay in the history, the file too)
        from autograder.store.gradebook import backup

        print(_backup_note(backup(workdir.db_url, workdir.folder("backups")), workdir))
    options = _grade_options(args, roster=tuple(roster), force=args.force, progress=not args.quiet,
                             times=read_times(Path(args.timestamps)) if args.timestamps else {})
    print(f"sandbox: {_sandbox(args).summary(options.run.limits)}")
    results = grade_assignment(course, args.assignment, Path(args.submissions), workdir, options)
    from autograder.store import gradebook

    print(table(gradebook.rows(workdir.db_url, args.assignment, options.late)))
    print(f"graded {len(results)} submissions now (unchanged ones are kept from earlier runs; runs replaced "
          f"are listed by: python -m autograder history {args.assignment})")
    return 0


def _backup_note(copy: Path | None, workdir) -> str:
    """Where the copy of the gradebook made before a command replaced grades is (or why there is none)."""
    if copy is not None:
        database = workdir.db_url.removeprefix("sqlite:///")
        return f"backup of the gradebook: {copy} (copy it back over {database} to undo)"
    if workdir.db_url.startswith("sqlite:///"):
        return "no backup of the gradebook: there was none yet"
    return f"no backup made of {workdir.db_url} (not a SQLite file): back that database up yourself"


def cmd_history(args, course: Course) -> int:
    from datetime import UTC, datetime

    from autograder.store import gradebook

    workdir = _workdir(args, graded=True)
    runs = gradebook.history(workdir.db_url, args.assignment, args.student)
    if not runs:
        raise UserError(f"no run of {args.assignment}" + (f" for {args.student}" if args.student else "")
                        + f" in {workdir.db_url.removeprefix('sqlite:///')}; check the assignment, --student "
                          "and --workdir")

    def when(seconds: float) -> str:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")

    print(f"{'student':<24} {'graded (UTC)':<19}  {'status':<8} {'score':>11}  {'handed in':<25} "
          "replaced (UTC) / reason")
    for run in runs:
        print(f"{run.student_id:<24} {when(run.graded_at):<19}  {run.status:<8} "
              f"{run.score:>5g} / {run.max_score:<3g}  {run.timestamp or '-':<25} "
              f"{when(run.replaced_at) if run.replaced_at is not None else 'current'}"
              + (f"  {run.reason[:80]}" if run.reason else ""))
    return 0


def cmd_rescore(args, course: Course) -> int:
    from autograder.tools.rescore import apply, rescore

    workdir = _workdir(args, graded=True)
    found = rescore(course, args.assignment, workdir, args.question or None, _limits(args),
                    _grade_options(args).run.judge)
    print(found.preview())
    if not args.apply:
        print("nothing written: run again with --apply to store these scores")
        return 0
    copy = apply(found, workdir, course, args.assignment)
    print(_backup_note(copy, workdir))
    print(f"stored {len(found.results)} rescored submissions (the runs they replace are kept: python -m "
          f"autograder history {args.assignment})"
          + (f"; re-run the others with: python -m autograder grade {args.assignment} --submissions ..."
             if found.rerun else ""))
    return 0


def cmd_similarity(args, course: Course) -> int:
    from autograder.tools.similarity import similarity_report

    pairs, page = similarity_report(_workdir(args, graded=True), course, args.assignment, args.top)
    for pair in pairs[:10]:
        print(f"{pair.score:5.0%}  {pair.first} and {pair.second}")
    print(f"wrote {page} ({len(pairs)} pairs): similar code is for a person to read, not proof of copying")
    return 0


def cmd_mutants(args, course: Course) -> int:
    from autograder.core.workdir import Workdir
    from autograder.run.reference import load_reference
    from autograder.tools.mutants import Selection, equivalent, run_mutants, summary

    with tempfile.TemporaryDirectory(prefix="mutants-") as scratch:
        reference = load_reference(course, args.assignment, Workdir(Path(args.workdir or scratch)), _limits(args))
        verdicts = run_mutants(course, args.assignment, reference, _grade_options(args).run, _workers(args),
                               Selection(cells=args.cell or None,
                                         limit=args.limit))
    text, killed = summary(verdicts, equivalent(course, args.assignment))
    print(text)
    return 0 if killed >= args.min_killed else 1


def cmd_doctor(args, course: Course | None) -> int:
    from autograder.tools.doctor import main as doctor

    return doctor(_limits(args), _sandbox(args))


def cmd_feedback(args, course: Course) -> int:
    from autograder.outputs.feedback import write_feedback

    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    paths = write_feedback(workdir, args.assignment, args.students or None, _late(args), workers=_workers(args))
    print(f"wrote {len(paths)} feedback pages under {workdir.folder('feedback')}")
    return 0


def cmd_export(args, course: Course) -> int:
    from autograder.outputs.export import export, read_roster

    roster = read_roster(Path(args.roster)) if args.roster else None
    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    layout = args.settings.export_format
    rows = export(workdir.db_url, args.assignment, Path(args.out), layout, roster, _late(args))
    missing = [row.student_id for row in rows if row.status == "missing"]
    print(f"wrote {len(rows)} rows ({layout} layout) to {args.out}"
          + (f"; {len(missing)} without a submission: {', '.join(missing[:10])}" if missing else ""))
    return 0


def cmd_report(args, course: Course) -> int:
    from autograder.outputs.report import write_report

    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    text, png, page = write_report(workdir, args.assignment, _late(args))
    print(text)
    print(f"figure: {png}\nreport: {page}")
    return 0


def cmd_fixtures(args, course: Course) -> int:
    from autograder.tools.fixtures import check_fixtures

    failed = False
    for assignment in _assignments(course, args.assignments):
        outcomes = check_fixtures(course, assignment, Path(args.workdir) if args.workdir else None,
                                  _grade_options(args, progress=False))
        for outcome in outcomes:
            print(outcome.line())
        failed |= any(not o.ok for o in outcomes)
    return 1 if failed else 0


def cmd_serve(args, course: Course) -> int:
    from autograder.serve.cli import serve

    return serve(args, course, _workdir(args))


def cmd_migrate(args, course: Course | None) -> int:
    from autograder.tools.migrate import run

    text, written = run(Path(args.notebook), Path(args.out) if args.out else None, args.write)
    print(text)
    print(f"wrote {written}" if written else "nothing written: run again with --out PATH or --write to save this")
    return 0


def describe_settings() -> str:
    """Every setting: its flag, its ``c.Autograder`` name and default, its help (``--help-all``)."""
    lines = ["Every setting of the grader. Set it for the course in nbgrader_config.py (c.Autograder.NAME = VALUE)",
             "or for one command with its flag (the flag wins):", ""]
    for name, trait in settings_traits().items():
        unit = " MIB" if trait.metadata.get("mib") else ("" if isinstance(trait, Bool) else " VALUE")
        lines.append(f"--{flag_name(name)}{unit}")
        lines.append(f"    c.Autograder.{name} = {trait.default_value!r}")
        lines.append(f"    {trait.help}")
    lines.append("--unsafe-no-sandbox")
    lines.append("    the same as --sandbox none: run student code without isolation (only for code you trust)")
    return "\n".join(lines)


class _HelpAll(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="list every setting, its flag, default and help")

    def __call__(self, parser, namespace, values, option_string=None):
        print(describe_settings())
        parser.exit()


def setting_flags(p: argparse.ArgumentParser) -> None:
    """A flag for every setting of ``autograder.core.config.Autograder`` (values are checked by its traits)."""
    group = p.add_argument_group("settings (each also c.Autograder.NAME in nbgrader_config.py; --help-all)")
    for name, trait in settings_traits().items():
        flag, text = f"--{flag_name(name)}", trait.help.replace("%", "%%")
        if isinstance(trait, Bool):
            group.add_argument(flag, dest=f"set_{name}", action="store_const", const=True, default=None, help=text)
        else:
            group.add_argument(flag, dest=f"set_{name}", default=None,
                               metavar="MIB" if trait.metadata.get("mib") else name.upper(),
                               help=f"{text} (default: {trait.default_value!r})")
    group.add_argument("--unsafe-no-sandbox", dest="set_sandbox", action="store_const", const=SandboxMode.NONE.value,
                       help="the same as --sandbox none: run student code without isolation (only for code you "
                            "trust)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="autograder", description=__doc__)
    top.add_argument("--debug", action="store_true", help="show the traceback when a command fails")
    top.add_argument("--help-all", action=_HelpAll)
    sub = top.add_subparsers(dest="command", required=True)

    def limit_flags(p):
        """Every setting a command line may override (nbgrader_config.py's c.Autograder sets them too)."""
        setting_flags(p)

    def common(p, workdir_default: str | None = "grading"):
        p.add_argument("--workdir", default=workdir_default, help="grading state folder (default: %(default)s)")
        setting_flags(p)

    p = sub.add_parser("release", help="generate release/ from source/ and verify it")
    p.add_argument("assignments", nargs="*", help="default: every assignment")
    p.add_argument("--check", action="store_true", help="only check that release/ is in sync with source/")
    p.add_argument("--no-verify", action="store_true", help="generate without running the checks")
    common(p, workdir_default=None)
    p.set_defaults(run=cmd_release)

    p = sub.add_parser("validate", help="run a notebook and report its visible tests (exit 1 on failure)")
    p.add_argument("notebook")
    limit_flags(p)
    p.set_defaults(run=cmd_validate, needs_course=False)

    p = sub.add_parser("grade", help="autograde a folder or zip of submissions")
    p.add_argument("assignment")
    p.add_argument("--submissions", required=True, help="nbgrader layout, flat folder or zip")
    p.add_argument("--roster", help="file of student ids (whitespace-separated): absent ones are 'missing'")
    p.add_argument("--timestamps", help="CSV with student_id and timestamp (ISO 8601): when each handed in, "
                                        "over timestamp.txt files and zip times")
    p.add_argument("--db-url", default="", help="SQLAlchemy URL of the gradebook (default: WORKDIR/gradebook.db)")
    p.add_argument("--force", action="store_true",
                   help="re-grade submissions graded before (the gradebook is copied to WORKDIR/backups/ first)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    common(p)
    p.set_defaults(run=cmd_grade)

    p = sub.add_parser("rescore", help="judge stored submissions again after a change of points, tolerance "
                                       "or reference solution, without running student code")
    p.add_argument("assignment")
    p.add_argument("--question", nargs="*", help="only these grade ids (default: every question)")
    p.add_argument("--apply", action="store_true", help="store the new scores (default: only show them; the "
                                                        "gradebook is copied to WORKDIR/backups/ first)")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
    limit_flags(p)
    p.set_defaults(run=cmd_rescore)

    p = sub.add_parser("history", help="every run of each submission, the current one and those a regrade or "
                                       "rescore replaced (nothing is erased)")
    p.add_argument("assignment")
    p.add_argument("--student", help="only this student")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
    setting_flags(p)
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("similarity", help="the most similar pairs of submissions, answer cell by answer cell "
                                          "(names, comments, layout and starter code ignored), as HTML")
    p.add_argument("assignment")
    p.add_argument("--top", type=int, default=20, help="pairs in the page (default: %(default)s)")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
    setting_flags(p)
    p.set_defaults(run=cmd_similarity)

    p = sub.add_parser("mutants", help="grade single-point changes of the reference solution and list the ones "
                                       "that still earn full marks (where hidden tests are weak)")
    p.add_argument("assignment")
    p.add_argument("--cell", nargs="*", help="only these answer cells (grade ids)")
    p.add_argument("--limit", type=int, help="at most this many mutants per notebook, spread over its cells")
    p.add_argument("--min-killed", type=float, default=0.9, help="exit 1 below this share killed (default 0.9)")
    common(p, workdir_default=None)
    p.set_defaults(run=cmd_mutants)

    p = sub.add_parser("migrate", help="rewrite the plain asserts of a notebook's test cells into checks "
                                       "(prints the plan; --out or --write saves it)")
    p.add_argument("notebook")
    p.add_argument("--out", help="write the converted notebook here")
    p.add_argument("--write", action="store_true", help="overwrite NOTEBOOK with the converted version")
    setting_flags(p)
    p.set_defaults(run=cmd_migrate, needs_course=False)

    p = sub.add_parser("doctor", help="what isolation grading gets on this host (exit 1 if less than promised)")
    limit_flags(p)
    p.set_defaults(run=cmd_doctor, needs_course=False)

    for name, func, text in (("feedback", cmd_feedback, "write HTML feedback per student"),
                             ("report", cmd_report, "score table, histogram PNG and HTML report")):
        p = sub.add_parser(name, help=text)
        p.add_argument("assignment")
        p.add_argument("--workdir", default="grading")
        p.add_argument("--db-url", default="")
        if name == "feedback":
            p.add_argument("--students", nargs="*")
        setting_flags(p)
        p.set_defaults(run=func)

    p = sub.add_parser("export", help="grades as CSV with status and reason")
    p.add_argument("assignment")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--roster", help="CSV with student_id and any of name, lms_id, sis_user_id, sis_login_id, "
                                    "section, email: LMS ids and names, and missing students listed")
    setting_flags(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("serve", help="grade each submission as it arrives in the nbgrader exchange and hand "
                                     "its feedback back there (grading on submit; docs/live-course.md)")
    p.add_argument("assignment")
    p.add_argument("--exchange", help="the exchange's root (default: nbgrader's Exchange.root)")
    p.add_argument("--once", action="store_true", help="grade what is in the inbox now, then exit")
    p.add_argument("--db-url", default="", help="SQLAlchemy URL of the gradebook (default: WORKDIR/gradebook.db)")
    common(p)
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("fixtures", help="grade the sample submissions and compare with their expectations")
    p.add_argument("assignments", nargs="*")
    common(p, workdir_default=None)
    p.set_defaults(run=cmd_fixtures)

    return top


def main(argv: list[str] | None = None) -> int:
    for key, value in THREAD_ENV.items():
        os.environ.setdefault(key, value)
    return run(parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed command (``args.run``, with ``args.debug`` and the setting flags): the course found, its
    settings resolved, unknown assignments refused, and every failure one sentence with exit 2."""
    try:
        course = None if getattr(args, "needs_course", True) is False else Course.find()
        args.settings = _resolve_settings(args, course if course else _course_here())
        for name in [getattr(args, "assignment", None), *(getattr(args, "assignments", None) or [])]:
            if name is not None and course is not None:
                course.notebook_names(name)  # an unknown assignment stops here, with the list of known ones
        return args.run(args, course)
    except KeyboardInterrupt:
        print("autograder: interrupted (grading resumes where it stopped when run again)", file=sys.stderr)
        return 130
    except Exception as error:  # every failure is a sentence; --debug shows where it came from
        if args.debug:
            traceback.print_exc()
        print(f"autograder: {explain(error)}", file=sys.stderr)
        return 2


def explain(error: BaseException) -> str:
    """One or two lines saying what is wrong and what to do."""
    import sqlalchemy.exc

    from autograder.judge.scoring import ReferenceError as SolutionFails

    if isinstance(error, (UserError, FileNotFoundError)):
        return str(error)
    if isinstance(error, SolutionFails):
        return f"{error}. Fix the reference solution or the test in source/, then run the command again."
    if isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return (f"the gradebook cannot be read or written ({type(error).__name__}: {str(error).splitlines()[0]}). "
                "Check --workdir / --db-url; a damaged gradebook.db can be moved aside and the batch re-graded.")
    if type(error).__name__ == "NbGraderException":
        return (f"nbgrader could not process the assignment: {error}. Check that source/<assignment>/ holds "
                "the notebooks and that their nbgrader cell metadata is valid.")
    if isinstance(error, PermissionError):
        return (f"permission denied: {error.filename or error}. Run as a user who may write there, or pick another "
                "--workdir.")
    return (f"unexpected error: {type(error).__name__}: {error}. Run the command again with --debug for the "
            "traceback, and report it with that output.")


def _course_here() -> Course | None:
    """The course around the current folder, for its settings, when a command does not need one."""
    try:
        return Course.find()
    except FileNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
