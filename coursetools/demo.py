"""The main job on a fresh machine: for each assignment, regenerate and verify the release, grade the
bundled sample submissions, write feedback, export a CSV and print the score table (``make demo``:
``python -m coursetools.demo [ASSIGNMENT ...] --workdir DIR``, with every setting flag of
``python -m autograder``)."""

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from autograder import cli
from autograder.core.config import THREAD_ENV, Limits
from autograder.core.course import Course
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.judge.scoring import ReferenceCell
from autograder.outputs.export import export
from autograder.outputs.feedback import write_feedback
from autograder.outputs.report import write_report
from autograder.release.generate import write_release
from autograder.release.verify import verify
from autograder.run.reference import load_reference
from autograder.run.worker import worker_init
from autograder.tools.fixtures import judge_outcome
from autograder.tools.samples import write_assignment_samples


def demo(course: Course, assignments: list[str], workdir: Workdir, options: GradeOptions) -> int:
    """Returns 0 when every release verifies and every sample gets the grade it declares.

    No core waits for another: one background process writes every release and runs every reference
    solution, in order, ahead of the grading; another verifies each release (the reference and the
    untouched release run and scored) as soon as its reference is known; the main process grades each
    assignment's samples on the workers as soon as its reference is ready.
    """
    failures = 0
    limits, workers = options.run.limits, options.workers
    context = get_context("forkserver")
    with (ProcessPoolExecutor(1, mp_context=context, initializer=worker_init) as ahead,
          ProcessPoolExecutor(1, mp_context=context, initializer=worker_init) as background):
        prepared = [ahead.submit(prepare, course, assignment, workdir, limits) for assignment in assignments]
        for assignment, preparing in zip(assignments, prepared):
            started = time.perf_counter()
            print(f"\n=== {assignment} ===")
            reference = preparing.result()
            verifying = background.submit(verify, course, assignment, reference, limits,
                                          options.run.sandbox)

            samples_dir = workdir.folder("samples", assignment)
            if samples_dir.exists():
                shutil.rmtree(samples_dir)
            samples = write_assignment_samples(course, assignment, samples_dir)
            results = grade_assignment(course, assignment, samples_dir, workdir, replace(options, force=True))
            by_student = {r.student_id: r for r in results}
            for sample in samples:
                outcome = judge_outcome(sample, by_student[sample.name])
                if not outcome.ok:
                    failures += 1
                    print(outcome.line())
            feedback = write_feedback(workdir, assignment, late=options.late, workers=workers or 1)
            csv_path = workdir.folder("exports") / f"{assignment}.csv"
            export(workdir.db_url, assignment, csv_path, late=options.late)
            text, png, page = write_report(workdir, assignment, options.late)
            print(text)
            violations = verifying.result()
            for violation in violations:
                print(f"  FAIL {violation}")
            print(f"release/{assignment}: {'verified' if not violations else 'FAILED verification'}")
            failures += len(violations)
            print(f"feedback: {len(feedback)} pages in {workdir.folder('feedback')}\nCSV: {csv_path}\n"
                  f"report: {page}\n{assignment} took {time.perf_counter() - started:.1f} s")
    print("\nall releases verified and every sample graded as expected" if not failures
          else f"\n{failures} problems (see FAIL lines above)")
    return 0 if not failures else 1


def prepare(course: Course, assignment: str, workdir: Workdir, limits: Limits) -> dict[str, dict[str, ReferenceCell]]:
    """Write ``release/<assignment>/`` from ``source/`` and run its reference solution (in a background
    process): the reference records grading and verification need."""
    write_release(course, assignment)
    return load_reference(course, assignment, workdir, limits)


def cmd_demo(args: argparse.Namespace, course: Course) -> int:
    """The demo of the parsed command line's assignments (default: every one) in its ``--workdir``."""
    workdir = Workdir(Path(args.workdir))
    return demo(course, args.assignments or course.assignments(), workdir, GradeOptions.from_settings(args.settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="default: every assignment")
    parser.add_argument("--workdir", default="grading", help="grading state folder (default: %(default)s)")
    parser.add_argument("--debug", action="store_true", help="show the traceback when the demo fails")
    cli.setting_flags(parser)
    parser.set_defaults(run=cmd_demo)
    for key, value in THREAD_ENV.items():
        os.environ.setdefault(key, value)
    return cli.run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
