"""``make bench``: wall time and key numbers of every notebook, grading throughput against plain
nbgrader, ``rescore`` and ``similarity`` on a synthetic class of 800 (``tests/bench/synthetic.py``) and the
mutants score of every assignment. Prints tables and writes ``bench-results.json``. Targets are reported,
never asserted here.

    python -m tests.bench.run_bench [--skip-notebooks] [--notebooks GLOB] [--skip-grading] [--submissions 200]
                                    [--mutants 20] [--class-size 800]
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.config import Limits
from autograder.core.course import Course, read_notebook
from autograder.core.results import SubmissionResult
from autograder.core.workdir import Workdir
from autograder.run.execute import run_notebook
from dlcourse.metrics import METRIC_MIME
from tests.bench import mnist1d_table, targets

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_TARGET_SECONDS = 60.0  # each notebook, on one thread: met by its wall time or, on a busy machine, its CPU time
COURSE_TARGET_SECONDS = 7 * 60.0  # every lecture, one after the other
ASSIGNMENT = "01_perceptron"  # the assignment the grading, rescore and similarity steps use
# ... of the frozen test course (the 01 before the course rewrote it): its samples and the "predict" answer
# the hostile kinds of build_batch replace, so the grading figures do not change with the course's content
GRADED_COURSE = ROOT / "tests" / "files" / "courses" / "perceptron"
GRADING_LIMITS = Limits(cell_seconds=30, notebook_seconds=120)
SMALL_BATCH = 28  # graded for the synthetic class when grading is skipped: twice every kind of build_batch


def bench_notebooks(course: Course, pattern: str = "*") -> list[dict]:
    """Execute every lecture and reference notebook whose name matches ``pattern`` in a fresh kernel, as
    nbval does."""
    paths = (sorted((ROOT / "notebooks").glob(f"{pattern}.ipynb"))
             + sorted((ROOT / "source").glob(f"*/{pattern}.ipynb")))
    rows = []
    for path in paths:
        notebook = read_notebook(path)
        with tempfile.TemporaryDirectory() as scratch:
            started, cpu_before = time.perf_counter(), _children_cpu_seconds()
            run = run_notebook(notebook, Path(scratch), env={}, limits=Limits(cell_seconds=600, notebook_seconds=900))
            seconds = time.perf_counter() - started
            cpu_seconds = _children_cpu_seconds() - cpu_before
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for c in run.notebook.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        metrics = {o["data"][METRIC_MIME]["name"]: _metric(o["data"][METRIC_MIME])
                   for c in run.notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
                   if METRIC_MIME in o.get("data", {})}
        rows.append({"notebook": str(path.relative_to(ROOT)), "seconds": round(seconds, 2),
                     "cpu_seconds": round(cpu_seconds, 2), "status": run.status,
                     "errors": errors[:3], "metrics": metrics,
                     "within_target": min(seconds, cpu_seconds) <= NOTEBOOK_TARGET_SECONDS})
        outcome = "ok" if not errors else "ERROR " + errors[0][:60]
        print(f"{rows[-1]['notebook']:<52} {seconds:7.1f} s  {cpu_seconds:7.1f} cpu s  {outcome}", flush=True)
    return rows


def _children_cpu_seconds() -> float:
    """CPU seconds (user + system) of every finished child process, the notebook's kernel among them: on a
    machine busy with other work the wall time of a one-thread notebook grows, its CPU time hardly does."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _metric(data: dict) -> float | dict:
    """A reported number, or an estimate with its interval (``dlcourse.metrics.report_interval``)."""
    if "low" in data:
        return {key: data[key] for key in ("value", "low", "high", "n")}
    return data["value"]


def _show_metric(value: float | dict) -> str:
    if isinstance(value, dict):
        return f"{value['value']:.4g} [{value['low']:.4g}, {value['high']:.4g}] (n = {value['n']})"
    return f"{value:.4g}"


def print_notebook_table(rows: list[dict]) -> None:
    print(f"\n{'notebook':<52} {'wall s':>7} {'cpu s':>7}  {'≤60 s':<5} key numbers (intervals: 95 % over seeds)")
    for row in rows:
        numbers = ", ".join(f"{k} = {_show_metric(v)}" for k, v in row["metrics"].items())
        print(f"{row['notebook']:<52} {row['seconds']:>7.1f} {row['cpu_seconds']:>7.1f}  "
              f"{'yes' if row['within_target'] else 'NO':<5} {numbers}")
    lectures = [row for row in rows if row["notebook"].startswith("notebooks/")]
    wall, cpu = sum(row["seconds"] for row in lectures), sum(row["cpu_seconds"] for row in lectures)
    within = "yes" if min(wall, cpu) <= COURSE_TARGET_SECONDS else "NO"
    print(f"{'all lectures':<52} {wall:>7.1f} {cpu:>7.1f}  {within:<5} "
          f"(the whole course within {COURSE_TARGET_SECONDS / 60:.0f} minutes)")


HOSTILE_CELLS = {
    "exit": "import os\nos._exit(1)",
    "systemexit": "raise SystemExit(3)",
    "noisy": "import warnings\nfor i in range(2000):\n    print('noise', i)\nwarnings.warn('careful')",
}


def build_batch(course: Course, count: int, folder: Path) -> None:
    """``count`` submissions of 01_perceptron cycling through the samples (correct, wrong, untouched) and
    a few hostile ones (a kernel that exits, SystemExit, a flood of output)."""
    from autograder.tools.samples import Sample, build, read_sample, sample_files

    assignment = ASSIGNMENT
    source = read_notebook(course.source_path(assignment, assignment))
    release = read_notebook(course.release_path(assignment, assignment))
    kinds = [read_sample(p) for p in sample_files(course.root, assignment)]
    kinds.append(Sample("untouched", "", "zero", None, "release"))
    for name, code in HOSTILE_CELLS.items():
        kinds.append(Sample(f"hostile_{name}", "", "partial", None, "solution", {"predict": code}))
    for index in range(count):
        sample = kinds[index % len(kinds)]
        target = folder / f"s{index:03d}" / assignment
        target.mkdir(parents=True)
        nbformat.write(build(sample, source, release), target / f"{assignment}.ipynb")


@dataclass
class GradedBatch:
    """A batch graded for real, kept for the steps that follow: its work directory and its results."""

    workdir: Workdir
    results: list[SubmissionResult]


def grade_batch(course: Course, folder: Path, workdir: Workdir, workers: int) -> GradedBatch:
    """``autograder grade`` (sandboxed, parallel) on every submission in ``folder`` (``prepare`` first, for a
    caller that times only the batch)."""
    from autograder.grade import GradeOptions, grade_assignment
    from autograder.run.worker import RunSettings

    results = grade_assignment(course, ASSIGNMENT, folder, workdir,
                               GradeOptions(RunSettings(limits=GRADING_LIMITS, sandbox="bwrap"),
                                            workers=workers, force=True, progress=False))
    return GradedBatch(workdir, results)


def bench_grading(course: Course, count: int, workers: int, scratch: Path) -> tuple[dict, GradedBatch]:
    """Grade the same batch with ``autograder grade`` (sandboxed, parallel) and plain ``nbgrader
    autograde`` (one process, one CLI call for all students). The graded batch is kept in ``scratch``."""
    build_batch(course, count, scratch / "subs")
    workdir = Workdir(scratch / "work")
    one_off = prepare(course, ASSIGNMENT, workdir)
    started = time.perf_counter()
    graded = grade_batch(course, scratch / "subs", workdir, workers)
    ours = time.perf_counter() - started
    results = graded.results
    cell_time = sum(r.cell_seconds for r in results)
    per_submission_overhead = (ours * workers - cell_time) / count
    phases: dict[str, float] = {}
    for result in results:
        for phase, seconds in result.phases.items():
            phases[phase] = phases.get(phase, 0.0) + seconds
    in_workers = sum(r.seconds for r in results)
    phases["worker, outside the run"] = max(in_workers - sum(phases.values()), 0.0)  # intake, scoring, copies
    phases["grader process (plan, store, pool)"] = max(ours * workers - in_workers, 0.0)

    plain = _plain_nbgrader(course, scratch, ASSIGNMENT)
    out = {"submissions": count, "workers": workers, "one_off_seconds": one_off, "autograder_seconds": round(ours, 1),
           "autograder_per_second": round(count / ours, 3),
           "cell_seconds_per_submission": round(cell_time / count, 3),
           "overhead_seconds_per_submission": round(per_submission_overhead, 3),
           "phases_seconds_per_submission": {phase: round(seconds / count, 3) for phase, seconds in phases.items()},
           **plain}
    if plain.get("nbgrader_seconds"):
        out["speedup"] = round(out["autograder_per_second"] / plain["nbgrader_per_second"], 2)
    return out, graded


def bench_rescore_similarity(course: Course, scratch: Path, count: int = 800, workers: int = 2,
                             graded: GradedBatch | None = None) -> list[dict]:
    """``rescore`` (preview, then ``--apply``) and ``similarity`` timed on a synthetic class of ``count``:
    disguised copies of a real graded batch (``tests/bench/synthetic.py`` says what the class is). The
    batch is ``graded`` (bench_grading's) or, without one, :data:`SMALL_BATCH` of build_batch's mix."""
    from autograder.release.generate import generate
    from autograder.tools.rescore import apply, rescore
    from autograder.tools.similarity import similarity_report
    from tests.bench.synthetic import copy_reference, read_graded, synthetic_class

    if graded is None:
        build_batch(course, SMALL_BATCH, scratch / "small")
        graded = grade_batch(course, scratch / "small", Workdir(scratch / "small-work"), workers)
    workdir = Workdir(scratch / "class")
    generate(course, ASSIGNMENT, workdir.folder("release"), workdir.db_url)  # the gradebook knows the assignment
    copy_reference(graded.workdir, workdir)
    students = synthetic_class(read_graded(graded.workdir, ASSIGNMENT, graded.results), workdir, ASSIGNMENT, count)
    rows = []

    started = time.perf_counter()
    found = rescore(course, ASSIGNMENT, workdir, limits=GRADING_LIMITS)
    rows.append({"command": "rescore (preview)", "seconds": time.perf_counter() - started,
                 "found": f"{len(found.results)} judged, {len(found.changes)} changes, {len(found.rerun)} to re-run"})
    started = time.perf_counter()
    apply(found, workdir, course, ASSIGNMENT)
    rows.append({"command": "rescore --apply (store)", "seconds": time.perf_counter() - started,
                 "found": f"{len(found.results)} stored"})
    started = time.perf_counter()
    pairs, page = similarity_report(workdir, course, ASSIGNMENT)
    rows.append({"command": "similarity (HTML report)", "seconds": time.perf_counter() - started,
                 "found": f"{len(pairs)} pairs shown, top {pairs[0].score:.0%}" if pairs else "no similar pairs"})
    for row in rows:
        row.update(students=len(students), copied_from=len(graded.results), seconds=round(row["seconds"], 2))
    return rows


def prepare(course: Course, assignment: str, workdir) -> dict[str, float]:
    """What a work directory does once per assignment, before its first batch, timed apart from the rate
    (plain nbgrader's generate_assignment is outside its timing too): the reference run, and the
    release generated into a new gradebook (an ``alembic`` process, every cell written)."""
    from autograder.release.generate import generate_if_changed
    from autograder.run.reference import load_reference

    started = time.perf_counter()
    load_reference(course, assignment, workdir, Limits())
    reference = time.perf_counter() - started
    started = time.perf_counter()
    generate_if_changed(course, assignment, workdir.folder("release"), workdir.db_url, course.source_hash(assignment))
    return {"reference run": round(reference, 2), "release and new gradebook": round(time.perf_counter() - started, 2)}


def _plain_nbgrader(course: Course, scratch: Path, assignment: str) -> dict:
    """Plain nbgrader 0.9.6 on a copy of the course: generate, then one ``nbgrader autograde`` call."""
    home = scratch / "plain"
    (home / "source").mkdir(parents=True)
    shutil.copytree(course.root / "source" / assignment, home / "source" / assignment)
    shutil.copytree(scratch / "subs", home / "submitted")
    (home / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(home)!r}\nc.Execute.timeout = 30\n")
    nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    subprocess.run(nbgrader + ["generate_assignment", assignment, "--force"], cwd=home, env=env,
                   capture_output=True, check=True)
    started = time.perf_counter()
    done = subprocess.run(nbgrader + ["autograde", assignment, "--force"], cwd=home, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    count = len(list((home / "submitted").iterdir()))
    return {"nbgrader_seconds": round(seconds, 1), "nbgrader_per_second": round(count / seconds, 3),
            "nbgrader_exit": done.returncode}


def bench_mutants(course: Course, limit: int, workers: int) -> list[dict]:
    """``autograder mutants`` on every assignment (``limit`` mutants per notebook, spread over its cells):
    the share killed, with the survivors explained as equivalent left out of the count."""
    from autograder.core.workdir import Workdir
    from autograder.run.reference import load_reference
    from autograder.run.worker import RunSettings
    from autograder.tools.mutants import Selection, equivalent, run_mutants, summary

    rows = []
    for assignment in course.assignments():
        with tempfile.TemporaryDirectory(prefix="bench-mutants-") as scratch:
            reference = load_reference(course, assignment, Workdir(Path(scratch)), Limits())
            verdicts = run_mutants(course, assignment, reference, RunSettings(Limits(), "bwrap"), workers,
                                   Selection(limit=limit))
        text, killed = summary(verdicts, equivalent(course, assignment))
        survivors = [line.split()[1] for line in text.splitlines() if line.strip().startswith("SURVIVED")]
        rows.append({"assignment": assignment, "mutants": len(verdicts), "killed": round(killed, 3),
                     "survivors": survivors})
        print(f"mutants {assignment:<22} {len(verdicts):>4}  {killed:6.0%} killed  {' '.join(survivors)}", flush=True)
    return rows


def print_grading(grading: dict) -> None:
    print(f"\ngrading {grading['submissions']} submissions of 01_perceptron")
    print(f"  autograder grade (sandboxed, {grading['workers']} workers): {grading['autograder_per_second']:.3f}"
          f" submissions/s ({grading['autograder_seconds']} s)")
    print(f"  plain nbgrader autograde (one process):      {grading['nbgrader_per_second']:.3f} submissions/s"
          f" ({grading['nbgrader_seconds']} s)")
    print(f"  speed-up: {grading.get('speedup')}x; per submission: {grading['cell_seconds_per_submission']} s in"
          f" cells, {grading['overhead_seconds_per_submission']} s of overhead (kernel start, imports, IPC)")
    print("  once per assignment, before its first batch (not in the rates): "
          + ", ".join(f"{k} {v} s" for k, v in grading["one_off_seconds"].items()))
    print("  where a submission's time goes (seconds per submission, summed over workers):")
    for phase, seconds in grading["phases_seconds_per_submission"].items():
        print(f"    {phase:<36} {seconds:7.3f}")


def print_class_table(rows: list[dict]) -> None:
    print(f"\n{'a synthetic class (copies of a real graded batch)':<52} {'students':>8} {'wall s':>7}  found")
    for row in rows:
        print(f"{row['command']:<52} {row['students']:>8} {row['seconds']:>7.2f}  {row['found']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--notebooks", default="*", metavar="GLOB",
                        help="time only the notebooks whose name matches, e.g. '0[5-7]_*' (default: all)")
    parser.add_argument("--skip-grading", action="store_true")
    parser.add_argument("--mutants", type=int, default=20, help="mutants per assignment (0: skip)")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--class-size", type=int, default=800,
                        help="students of the synthetic class rescore and similarity are timed on (0: skip)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    course = Course.find()
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS")}}
    if not args.skip_notebooks:
        results["notebooks"] = bench_notebooks(course, args.notebooks)
        print_notebook_table(results["notebooks"])
        results["speed_targets"] = targets.check(results["notebooks"])
        targets.print_table(results["speed_targets"])
        table = mnist1d_table.collect(results["notebooks"])
        print(mnist1d_table.format_table(table))
        results["mnist1d_table"] = mnist1d_table.table_json(table)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        graded = None
        frozen = Course(GRADED_COURSE)
        if not args.skip_grading:
            results["grading"], graded = bench_grading(frozen, args.submissions, args.workers, Path(scratch))
            print_grading(results["grading"])
        if args.class_size:
            results["rescore_similarity"] = bench_rescore_similarity(frozen, Path(scratch), args.class_size,
                                                                     args.workers, graded)
            print_class_table(results["rescore_similarity"])
    if args.mutants:
        print(f"\nmutants of every reference solution ({args.mutants} per notebook, spread over its answers)")
        results["mutants"] = bench_mutants(course, args.mutants, args.workers)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
