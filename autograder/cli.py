"""``python -m autograder``: release, validate, grade, rescore, history, similarity, mutants, migrate, doctor,
feedback, export, report, fixtures, demo."""

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from autograder import sandbox
from autograder.config import THREAD_ENV, Limits, course_limits
from autograder.course import Course
from autograder.errors import UserError


def _limits(args) -> Limits:
    """The limits for this command: defaults, the course's ``c.Autograder`` settings, then the flags."""
    return args.limits


def _resolve_limits(args, course: Course | None) -> Limits:
    mib = getattr(args, "memory_mib", None)
    return course_limits(course.root if course else None).with_overrides(
        cell_seconds=getattr(args, "cell_timeout", None), notebook_seconds=getattr(args, "timeout", None),
        memory_bytes=None if mib is None else int(mib) << 20, processes=getattr(args, "processes", None))


def _late(course: Course | None):
    """The course's deadlines, extensions and late policy (nbgrader_config.py's c.Autograder)."""
    from autograder.config import course_late_policy

    return course_late_policy(course.root if course else None)


def _sandbox_mode(args) -> str:
    return sandbox.NONE if getattr(args, "unsafe_no_sandbox", False) else sandbox.BWRAP


def _workdir(args, graded: bool = False):
    """The ``--workdir``; with ``graded`` (every command but ``grade`` and ``demo``) it must hold a gradebook."""
    from autograder.workdir import Workdir

    return Workdir(Path(args.workdir), db_url=getattr(args, "db_url", "") or "", must_exist=graded)


def _graded_runs(workdir, assignment: str) -> None:
    """Refuse (a sentence) a gradebook that holds no graded submission of ``assignment``."""
    from autograder import gradebook

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
    jobs = [(course, name, args.check, args.no_verify, args.workdir, _limits(args), _sandbox_mode(args))
            for name in names]
    workers = min(args.workers or os.cpu_count() or 1, len(jobs))
    if workers > 1 and not args.check:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        from autograder.worker import worker_init

        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=worker_init) as pool:
            outcomes = list(pool.map(_release_one, jobs))
    else:
        outcomes = [_release_one(job) for job in jobs]
    for lines, _ in outcomes:
        print("\n".join(lines))
    return 1 if any(failed for _, failed in outcomes) else 0


def _release_one(job: tuple) -> tuple[list[str], bool]:
    """One assignment: (lines to print, whether it failed)."""
    from autograder.generate import write_release
    from autograder.reference import load_reference
    from autograder.scoring import trust_counts
    from autograder.verify import check_in_sync, verify
    from autograder.workdir import Workdir

    course, assignment, check, no_verify, workdir_path, limits, sandbox_mode = job
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
    from autograder.validate import render, validate

    checks, problem = validate(Path(args.notebook), _limits(args))
    print(render(checks, problem))
    return 0 if checks and all(c.passed for c in checks) and not problem else 1


def cmd_grade(args, course: Course) -> int:
    from autograder.grade import grade_assignment
    from autograder.report import table
    from autograder.submissions import read_times

    roster = Path(args.roster).read_text().split() if args.roster else []
    workdir = _workdir(args)
    if args.force:  # every stored run is about to be replaced (they stay in the history, the file too)
        from autograder.gradebook import backup

        print(_backup_note(backup(workdir.db_url, workdir.folder("backups")), workdir))
    if _sandbox_mode(args) == sandbox.BWRAP:
        print(f"sandbox: bubblewrap; {sandbox.caps_summary(_limits(args))} (details: python -m autograder doctor)")
    else:
        print("sandbox: NONE (--unsafe-no-sandbox): student code runs with this user's rights")
    results = grade_assignment(course, args.assignment, Path(args.submissions), workdir,
                               workers=args.workers, limits=_limits(args), roster=roster,
                               sandbox_mode=_sandbox_mode(args), force=args.force, progress=not args.quiet,
                               scheduler=args.scheduler, figures=args.keep_figures,
                               allow_weaker=args.allow_weaker_sandbox, late=_late(course),
                               times=read_times(Path(args.timestamps)) if args.timestamps else None)
    from autograder import gradebook

    print(table(gradebook.rows(workdir.db_url, args.assignment, _late(course))))
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

    from autograder import gradebook

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
    from autograder.rescore import apply, rescore

    workdir = _workdir(args, graded=True)
    found = rescore(course, args.assignment, workdir, args.question or None, _limits(args))
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
    from autograder.similarity import similarity_report

    pairs, page = similarity_report(_workdir(args, graded=True), course, args.assignment, args.top)
    for pair in pairs[:10]:
        print(f"{pair.score:5.0%}  {pair.first} and {pair.second}")
    print(f"wrote {page} ({len(pairs)} pairs): similar code is for a person to read, not proof of copying")
    return 0


def cmd_mutants(args, course: Course) -> int:
    from autograder.mutants import equivalent, run_mutants, summary
    from autograder.reference import load_reference
    from autograder.workdir import Workdir

    with tempfile.TemporaryDirectory(prefix="mutants-") as scratch:
        reference = load_reference(course, args.assignment, Workdir(Path(args.workdir or scratch)), _limits(args))
        verdicts = run_mutants(course, args.assignment, reference, _limits(args), _sandbox_mode(args),
                               workers=args.workers or os.cpu_count() or 1, cells=args.cell or None,
                               limit=args.limit)
    text, killed = summary(verdicts, equivalent(course, args.assignment))
    print(text)
    return 0 if killed >= args.min_killed else 1


def cmd_doctor(args, course: Course | None) -> int:
    from autograder.doctor import main as doctor

    return doctor(_limits(args))


def cmd_feedback(args, course: Course) -> int:
    from autograder.feedback import write_feedback

    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    paths = write_feedback(workdir, args.assignment, args.students or None, _late(course),
                           workers=args.workers or os.cpu_count() or 1)
    print(f"wrote {len(paths)} feedback pages under {workdir.folder('feedback')}")
    return 0


def cmd_export(args, course: Course) -> int:
    from autograder.export import export, read_roster

    roster = read_roster(Path(args.roster)) if args.roster else None
    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    rows = export(workdir.db_url, args.assignment, Path(args.out), args.format, roster, _late(course))
    missing = [row.student_id for row in rows if row.status == "missing"]
    print(f"wrote {len(rows)} rows ({args.format} layout) to {args.out}"
          + (f"; {len(missing)} without a submission: {', '.join(missing[:10])}" if missing else ""))
    return 0


def cmd_report(args, course: Course) -> int:
    from autograder.report import write_report

    workdir = _workdir(args, graded=True)
    _graded_runs(workdir, args.assignment)
    text, png, page = write_report(workdir, args.assignment, _late(course))
    print(text)
    print(f"figure: {png}\nreport: {page}")
    return 0


def cmd_fixtures(args, course: Course) -> int:
    from autograder.fixtures import check_fixtures

    failed = False
    for assignment in _assignments(course, args.assignments):
        outcomes = check_fixtures(course, assignment, Path(args.workdir) if args.workdir else None,
                                  workers=args.workers, limits=_limits(args), sandbox_mode=_sandbox_mode(args))
        for outcome in outcomes:
            print(outcome.line())
        failed |= any(not o.ok for o in outcomes)
    return 1 if failed else 0


def cmd_demo(args, course: Course) -> int:
    from autograder.demo import demo

    return demo(course, _assignments(course, args.assignments), _workdir(args), workers=args.workers,
                limits=_limits(args), sandbox_mode=_sandbox_mode(args))


def cmd_migrate(args, course: Course | None) -> int:
    from autograder.migrate import run

    text, written = run(Path(args.notebook), Path(args.out) if args.out else None, args.write)
    print(text)
    print(f"wrote {written}" if written else "nothing written: run again with --out PATH or --write to save this")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="autograder", description=__doc__)
    top.add_argument("--debug", action="store_true", help="show the traceback when a command fails")
    sub = top.add_subparsers(dest="command", required=True)

    defaults = Limits()

    def limit_flags(p):
        """Every limit a command line may override (nbgrader_config.py's c.Autograder sets them too)."""
        p.add_argument("--cell-timeout", type=float, help=f"seconds per cell (default: {defaults.cell_seconds:g})")
        p.add_argument("--timeout", type=float, help=f"seconds per notebook (default: {defaults.notebook_seconds:g})")
        p.add_argument("--memory-mib", type=int, help=f"memory per kernel (default: {defaults.memory_bytes >> 20})")
        p.add_argument("--processes", type=int, help=f"processes per kernel (default: {defaults.processes})")

    def common(p, workdir_default: str | None = "grading"):
        p.add_argument("--workdir", default=workdir_default, help="grading state folder (default: %(default)s)")
        limit_flags(p)
        p.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="run student code without isolation (only for code you trust)")
        p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: CPU cores)")

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
    p.add_argument("--scheduler", help="run on a Dask distributed cluster: tcp://HOST:PORT of its scheduler")
    p.add_argument("--keep-figures", action="store_true",
                   help="render plots while grading (slower; the graded notebooks then show them)")
    p.add_argument("--allow-weaker-sandbox", action="store_true",
                   help="grade even where no cgroup can cap a kernel's processes and memory (prlimit caps them)")
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
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("similarity", help="the most similar pairs of submissions, answer cell by answer cell "
                                          "(names, comments, layout and starter code ignored), as HTML")
    p.add_argument("assignment")
    p.add_argument("--top", type=int, default=20, help="pairs in the page (default: %(default)s)")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
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
            p.add_argument("--workers", type=int, default=None, help="processes rendering pages (default: cores)")
        p.set_defaults(run=func)

    p = sub.add_parser("export", help="grades as CSV with status and reason")
    p.add_argument("assignment")
    p.add_argument("--workdir", default="grading")
    p.add_argument("--db-url", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--format", default="autograder", choices=["autograder", "canvas", "moodle", "nbgrader"],
                   help="column layout: this harness's (with status and reason), or the one an LMS imports")
    p.add_argument("--roster", help="CSV with student_id and any of name, lms_id, sis_user_id, sis_login_id, "
                                    "section, email: LMS ids and names, and missing students listed")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("fixtures", help="grade the sample submissions and compare with their expectations")
    p.add_argument("assignments", nargs="*")
    common(p, workdir_default=None)
    p.set_defaults(run=cmd_fixtures)

    p = sub.add_parser("demo", help="release, verify, grade the samples, feedback, export and report")
    p.add_argument("assignments", nargs="*")
    common(p)
    p.set_defaults(run=cmd_demo)
    return top


def main(argv: list[str] | None = None) -> int:
    for key, value in THREAD_ENV.items():
        os.environ.setdefault(key, value)
    args = parser().parse_args(argv)
    try:
        course = None if getattr(args, "needs_course", True) is False else Course.find()
        args.limits = _resolve_limits(args, course if course else _course_here())
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

    from autograder.scoring import ReferenceError as SolutionFails

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
