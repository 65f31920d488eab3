"""The main job on a fresh machine: for each assignment, regenerate and verify the release, grade the
bundled sample submissions, write feedback, export a CSV and print the score table (``make demo``:
``python -m coursetools.demo [ASSIGNMENT ...] --workdir DIR``, with every setting flag of
``python -m autograder``)."""

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

from autograder import cli
from autograder.core.config import THREAD_ENV, Autograder, Limits
from autograder.core.course import Course
from autograder.core.plugins import SandboxBackend
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.judge.scoring import ReferenceCell
from autograder.outputs.export import export
from autograder.outputs.feedback import write_feedback
from autograder.outputs.report import write_report
from autograder.release.generate import write_release
from autograder.release.verify import REFERENCE_LOSES, RELEASE_EARNS, Rules, Violation, verify
from autograder.run.backends import Bubblewrap, Template, backend
from autograder.run.reference import load_reference
from autograder.run.sandbox import SandboxUnavailable
from autograder.run.worker import worker_init
from autograder.tools.fixtures import Outcome, judge_outcome
from autograder.tools.samples import REFERENCE, UNTOUCHED, write_assignment_samples

# release verification's rules 4 and 5, which the demo judges from two of the samples it grades (verify leaves
# them out): the sample's name -> (rule number, the violation's rule, what the rule asks)
SCORE_RULES = {REFERENCE.name: (4, REFERENCE_LOSES, "the reference solution, graded as a student hands it in, "
                                                    "must earn every point"),
               UNTOUCHED.name: (5, RELEASE_EARNS, "the untouched release must earn no point")}


@dataclass(frozen=True)
class Prepared:
    """An assignment's release written and its reference solution run (in the background process): the
    reference records grading and verification need, and the seconds both took there."""

    reference: dict[str, dict[str, ReferenceCell]]
    seconds: float


@dataclass(frozen=True)
class Verified:
    """An assignment's release verification without rules 4 and 5 (in the background process): its violations
    and its seconds."""

    violations: list[Violation]
    seconds: float


@dataclass
class Timing:
    """Where one assignment's time went: release and reference (``prepare``, in the process ahead), release
    verification's rules 2-3 (in the background process), grading its samples (wall time in this process, and
    the sum of the workers' seconds per submission), and its feedback, CSV and report (in the process ahead,
    beside the next assignment's grading)."""

    assignment: str
    prepare: float = 0.0
    verify: float = 0.0
    waited: float = 0.0  # this process waiting for the reference
    grading: float = 0.0
    worker: float = 0.0
    samples: int = 0
    outputs: float = 0.0

    def line(self) -> str:
        per = self.worker / self.samples if self.samples else 0.0
        return (f"{self.assignment:<18} {self.prepare:7.1f} {self.verify:7.1f} {self.waited:7.1f} {self.grading:8.1f} "
                f"{self.worker:8.1f} {self.samples:4d} {per:6.2f} {self.outputs:7.1f}")


TIMING_HEADER = (f"{'assignment':<18} {'release':>7} {'verify':>7} {'waited':>7} {'grading':>8} {'worker':>8} "
                 f"{'n':>4} {'per':>6} {'outputs':>7}\n{'':<18} {'+ref s':>7} {'s':>7} {'s':>7} {'wall s':>8} "
                 f"{'s':>8} {'':>4} {'sub s':>6} {'s':>7}")


def demo(course: Course, assignments: list[str], workdir: Workdir, options: GradeOptions) -> int:
    """Returns 0 when every release verifies and every sample gets the grade it declares.

    No core waits for another: one background process writes every release and runs every reference
    solution, in order, ahead of the grading, then writes each graded assignment's feedback, CSV and report
    while the next one is graded; another verifies each release (rules 2-3: no secrets, it runs; rule 1,
    in sync, holds by construction: the release was just generated from ``source/``) as soon as its
    reference is known; the main process grades each assignment's samples on the workers as soon as its
    reference is ready, ``reference`` and ``untouched`` among them, whose judged outcomes are rules 4 and 5
    (no notebook is run twice), and goes on to the next assignment without waiting for a verification or
    the outputs (each is reported when it is done, the last ones at the end). A table of where each
    assignment's time went ends the output.
    """
    failures = 0
    limits = options.run.limits
    context = get_context("forkserver")
    timings: list[Timing] = []
    pending: list[tuple[str, Future]] = []
    written: list[tuple[str, float, Future]] = []  # feedback, CSV and report being written, in order
    scored: dict[str, list[Violation]] = {}  # rules 4 and 5 by assignment, from its graded samples
    begun = time.perf_counter()

    def report_verified(wait: bool) -> int:
        """Print the verifications that are done (all of them with ``wait``); the number of violations."""
        found = 0
        while pending and (wait or pending[0][1].done()):
            assignment, verifying = pending.pop(0)
            verified = verifying.result()
            next(t for t in timings if t.assignment == assignment).verify = verified.seconds
            for violation in verified.violations:
                print(f"  FAIL {violation}")
            sound = not verified.violations and not scored[assignment]
            print(f"release/{assignment}: {'verified' if sound else 'FAILED verification'} (rules 2-3 in "
                  f"{verified.seconds:.1f} s in the background, 4-5 by the samples {REFERENCE.name} and "
                  f"{UNTOUCHED.name})")
            found += len(verified.violations)  # rules 4-5 were counted with the samples
        return found

    def report_written(wait: bool) -> None:
        """Print the feedback, CSV and report that are written (all of them with ``wait``), in order."""
        while written and (wait or written[0][2].done()):
            assignment, started, writing = written.pop(0)
            done = writing.result()
            next(t for t in timings if t.assignment == assignment).outputs = done.seconds
            print(f"\n--- {assignment}: outputs ---\n{done.text}")
            print(f"feedback: {done.pages} pages in {workdir.folder('feedback')}\nCSV: {done.csv}\n"
                  f"report: {done.page}\n{assignment} took {time.perf_counter() - started:.1f} s with its outputs")

    with (ProcessPoolExecutor(1, mp_context=context, initializer=worker_init) as ahead,
          ProcessPoolExecutor(1, mp_context=context, initializer=worker_init) as background):
        prepared = [ahead.submit(prepare, course, assignment, workdir, limits) for assignment in assignments]
        for assignment, preparing in zip(assignments, prepared):
            started = time.perf_counter()
            timing = Timing(assignment)
            timings.append(timing)
            print(f"\n=== {assignment} ===")
            ready = preparing.result()
            timing.prepare, timing.waited = ready.seconds, time.perf_counter() - started
            pending.append((assignment, background.submit(verify_timed, course, assignment, ready.reference, limits,
                                                          options.run.sandbox)))
            print(f"{assignment}: release written and reference run in {ready.seconds:.1f} s in the background")

            samples_dir = workdir.folder("samples", assignment)
            if samples_dir.exists():
                shutil.rmtree(samples_dir)
            samples = write_assignment_samples(course, assignment, samples_dir, reference=True)
            grading = time.perf_counter()
            results = grade_assignment(course, assignment, samples_dir, workdir, replace(options, force=True))
            timing.grading = time.perf_counter() - grading
            timing.worker, timing.samples = sum(r.seconds for r in results), len(results)
            by_student = {r.student_id: r for r in results}
            scored[assignment] = []
            for sample in samples:
                outcome = judge_outcome(sample, by_student[sample.name])
                if not outcome.ok:
                    failures += 1
                    print(outcome.line())
                for violation in score_violations(assignment, outcome):
                    scored[assignment].append(violation)
                    print(f"  FAIL {violation}")
            written.append((assignment, started, ahead.submit(write_outputs, workdir, assignment, options.late)))
            report_written(wait=False)
            failures += report_verified(wait=False)
        report_written(wait=True)
        failures += report_verified(wait=True)
    print(f"\nwhere the time went ({time.perf_counter() - begun:.1f} s in all; release+ref and outputs, and verify "
          "(rules 2-3), ran in two background processes, beside the grading, which holds rules 4-5's two samples):")
    print(TIMING_HEADER)
    for timing in timings:
        print(timing.line())
    print("\nall releases verified and every sample graded as expected" if not failures
          else f"\n{failures} problems (see FAIL lines above)")
    return 0 if not failures else 1


def score_violations(assignment: str, outcome: Outcome) -> list[Violation]:
    """Release verification's rule 4 or 5 broken, when ``outcome`` is the judged sample ``reference`` or
    ``untouched`` and it failed: one violation naming the rule, the tests the sample loses (rule 4) and its
    problems; nothing for any other sample. ``judge_outcome`` is at least as strict as ``check_scores``:
    ``full`` fails on any auto-graded test below its points, ``zero`` on any point earned (scores are never
    negative), and both on a submission that was not graded to the end."""
    if outcome.ok or outcome.sample.name not in SCORE_RULES:
        return []
    number, rule, asks = SCORE_RULES[outcome.sample.name]
    cells = " ".join(outcome.failing) if outcome.sample.name == REFERENCE.name and outcome.failing else "-"
    return [Violation(assignment, cells, rule,
                      f"rule {number} of release verification: {asks}; {'; '.join(outcome.problems)}")]


@dataclass(frozen=True)
class Written:
    """An assignment's outputs written (in the background process, beside the next assignment's grading): the
    score table's text, how many feedback pages, the CSV, the report page, and the seconds they took."""

    text: str
    pages: int
    csv: Path
    page: Path
    seconds: float


def write_outputs(workdir: Workdir, assignment: str, late) -> Written:
    """Feedback for every graded sample, the CSV and the report of ``assignment`` (in a background process,
    one page after another: the grading workers have the other cores)."""
    started = time.perf_counter()
    feedback = write_feedback(workdir, assignment, late=late, workers=1)
    csv_path = workdir.folder("exports") / f"{assignment}.csv"
    export(workdir.db_url, assignment, csv_path, late=late)
    text, _, page = write_report(workdir, assignment, late)
    return Written(text, len(feedback), csv_path, page, time.perf_counter() - started)


_GRADEBOOK: list[tempfile.TemporaryDirectory] = []  # the releases' scratch gradebook, made by the first prepare


def prepare(course: Course, assignment: str, workdir: Workdir, limits: Limits) -> Prepared:
    """Write ``release/<assignment>/`` from ``source/`` and run its reference solution (in a background
    process): the reference records grading and verification need. Every release of the process records its
    cells in one scratch gradebook (a new one per release would cost an ``alembic`` process each)."""
    started = time.perf_counter()
    if not _GRADEBOOK:  # removed when the process ends
        _GRADEBOOK.append(tempfile.TemporaryDirectory(prefix="demo-gradebook-"))
    write_release(course, assignment, f"sqlite:///{_GRADEBOOK[0].name}/gradebook.db")
    reference = load_reference(course, assignment, workdir, limits)
    return Prepared(reference, time.perf_counter() - started)


def verify_timed(course: Course, assignment: str, reference: dict[str, dict[str, ReferenceCell]], limits: Limits,
                 sandbox: SandboxBackend | str) -> Verified:
    """``autograder.release.verify.verify`` without rule 1 (``prepare`` has just generated the release) and
    rules 4 and 5 (the demo grades the reference solution and the untouched release with the samples), in a
    background process, timed."""
    started = time.perf_counter()
    violations = verify(course, assignment, reference, limits, sandbox, Rules(scores=False, sync=False))
    return Verified(violations, time.perf_counter() - started)


def choose_sandbox(settings: Autograder, explicit: bool) -> tuple[SandboxBackend, str]:
    """The sandbox backend the demo grades with, and one line saying which and why: the one the course or the
    command line set (``explicit``), else the best isolated one this machine offers. That is the template
    backend when its ``require`` passes (its kernels are forked from a template that imported the given code
    once: 0.3-0.6 instead of 2 core-seconds per kernel for the topics that import torch), else bubblewrap.
    Both isolate every kernel; only the start-up differs (docs/template-kernels.md)."""
    packages = tuple(settings.kernel_packages)  # the course's, whichever backend is chosen
    if explicit:
        chosen = backend(settings.sandbox).with_packages(packages)
        return chosen, f"sandbox: {chosen.name or settings.sandbox} (set by --sandbox or nbgrader_config.py)"
    template = Template(packages=packages)
    try:
        template.require(settings.allow_weaker_sandbox)
    except SandboxUnavailable as why:
        return Bubblewrap(packages=packages), f"sandbox: bwrap (the faster template backend cannot run here: {why})"
    return template, ("sandbox: template (as root with bubblewrap: each worker forks every kernel from a sandboxed "
                      "template that imported the given code once; --sandbox bwrap to start each kernel afresh)")


def cmd_demo(args: argparse.Namespace, course: Course) -> int:
    """The demo of the parsed command line's assignments (default: every one) in its ``--workdir``."""
    workdir = Workdir(Path(args.workdir))
    options = GradeOptions.from_settings(args.settings)
    explicit = args.set_sandbox is not None or "sandbox" in args.settings.config.get("Autograder", {})
    chosen, why = choose_sandbox(args.settings, explicit)
    print(why, flush=True)
    options = replace(options, run=replace(options.run, sandbox=chosen))
    return demo(course, args.assignments or course.assignments(), workdir, options)


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
