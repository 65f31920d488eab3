"""``make bench-scale``: a class of 800, measured end to end (not part of ``make test``).

800 submissions of 01_perceptron of the frozen test course (the sample mix, the untouched release and a
few hostile kinds) graded in one batch, then feedback, export and report, then a second ``grade`` that
must re-run nothing; then the same batch on a Dask ``LocalCluster`` of 2 workers. Prints total time,
submissions per second over the first and the last hundred (must not degrade), the grader process's peak
memory (must stay flat), the gradebook's size and the times of the outputs; writes ``bench-scale.json``.

    python -m tests.bench.run_scale [--submissions 800] [--workers 2] [--sandbox bwrap|template] [--skip-dask]

``--sandbox`` picks the backend around every kernel (default: grading's own default, ``c.Autograder.sandbox``'s);
``template`` forks each worker's kernels from a template that imported the given code once (root only).
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from autograder.core.config import Autograder, Limits
from autograder.core.course import Course
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.outputs.export import export
from autograder.outputs.feedback import write_feedback
from autograder.outputs.report import write_report
from autograder.run.backends import BACKENDS, backend
from autograder.run.reference import load_reference
from autograder.run.sandbox import SandboxUnavailable
from autograder.run.worker import RunSettings
from autograder.store.gradebook import previous_runs
from tests.bench.run_bench import GRADED_COURSE, ROOT, build_batch

A = "01_perceptron"
LIMITS = Limits(cell_seconds=30, notebook_seconds=120)


class PeakMemory:
    """The grader process's resident memory, sampled every 0.2 s (its peak and its samples over time)."""

    def __init__(self):
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        me = psutil.Process()
        while not self._stop.wait(0.2):
            self.samples.append((time.perf_counter(), me.memory_info().rss))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return max((rss for _, rss in self.samples), default=0) / (1 << 20)

    def growth_mib(self) -> float:
        """Resident memory in the last tenth of the batch minus in the second tenth (a leak shows here)."""
        if len(self.samples) < 20:
            return 0.0
        tenth = len(self.samples) // 10
        early = max(rss for _, rss in self.samples[tenth:2 * tenth])
        late = max(rss for _, rss in self.samples[-tenth:])
        return (late - early) / (1 << 20)


def _rates(db_url: str, started: float) -> tuple[float, float]:
    """Submissions per second over the first and the last hundred stored (from their store times)."""
    stored = sorted(run["graded_at"] for run in previous_runs(db_url, A).values())
    if len(stored) < 200:
        return float("nan"), float("nan")
    first = 100 / (stored[99] - started)
    last = 100 / (stored[-1] - stored[-101])
    return first, last


def disk_mib(folder: Path) -> float:
    """What ``folder`` takes on disk, each file counted once however many hard links it has (every
    feedback folder links the same MathJax files)."""
    seen, total = set(), 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return round(total / (1 << 20), 1)


def writer_rate(course: Course, results: list, folder: Path) -> dict:
    """The one gradebook writer's own speed: the batch's results stored again into a new gradebook, timed
    (the executed notebooks were written at grading; this is the database's share). It bounds any number
    of cores: results cannot be stored faster than this."""
    from autograder.release.generate import generate_if_changed
    from autograder.store import gradebook

    workdir = Workdir(folder)
    generate_if_changed(course, A, workdir.folder("release"), workdir.db_url, course.source_hash(A))
    started = time.perf_counter()
    with gradebook.Writer(workdir.db_url, A) as writer:
        for result in results:
            writer.save(result)
    seconds = time.perf_counter() - started
    return {"results": len(results), "seconds": round(seconds, 2), "per_second": round(len(results) / seconds, 1)}


def grade_batch(course: Course, folder: Path, workdir: Workdir, workers: int, scheduler: str | None = None,
                keep: list | None = None, sandbox: str = Autograder.sandbox.default_value) -> dict:
    load_reference(course, A, workdir, LIMITS)  # the one-off reference run is not timed
    with PeakMemory() as memory:
        wall_started = time.time()
        started = time.perf_counter()
        results = grade_assignment(course, A, folder, workdir,
                                   GradeOptions(RunSettings(limits=LIMITS, sandbox=backend(sandbox)),
                                                workers=workers, force=True, progress=False, scheduler=scheduler))
        seconds = time.perf_counter() - started
    if keep is not None:
        keep.extend(results)
    first, last = _rates(workdir.db_url, wall_started)
    statuses = {}
    for result in results:
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
    return {"submissions": len(results), "seconds": round(seconds, 1), "per_second": round(len(results) / seconds, 3),
            "first_100_per_second": round(first, 3), "last_100_per_second": round(last, 3),
            "grader_peak_mib": round(memory.peak_mib, 1), "grader_growth_mib": round(memory.growth_mib(), 1),
            "statuses": statuses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=800)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sandbox", default=Autograder.sandbox.default_value, choices=sorted(BACKENDS),
                        help="the sandbox backend around every kernel (default: grading's, %(default)s)")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench-scale.json"))
    args = parser.parse_args()
    course = Course(GRADED_COURSE)  # the frozen test course's 01_perceptron (run_bench.py says why)
    try:  # a backend that cannot run here stops now, with its sentence
        backend(args.sandbox).require()
    except SandboxUnavailable as why:
        print(f"run_scale: --sandbox {args.sandbox}: {why}", file=sys.stderr)
        return 2
    out: dict = {"machine": {"cpus": os.cpu_count()}, "submissions": args.submissions, "workers": args.workers,
                 "sandbox": args.sandbox}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        scratch = Path(scratch)
        build_batch(course, args.submissions, scratch / "subs")
        workdir = Workdir(scratch / "work")
        graded: list = []
        out["local"] = grade_batch(course, scratch / "subs", workdir, args.workers, keep=graded, sandbox=args.sandbox)
        print(f"local pool: {out['local']}", flush=True)
        out["writer"] = writer_rate(course, graded, scratch / "work-writer")
        for name, step in (("feedback", lambda: write_feedback(workdir, A, workers=args.workers)),
                           ("export", lambda: export(workdir.db_url, A, scratch / "grades.csv")),
                           ("report", lambda: write_report(workdir, A))):
            started = time.perf_counter()
            step()
            out[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
        out["gradebook_mib"] = round((scratch / "work" / "gradebook.db").stat().st_size / (1 << 20), 2)
        out["disk_mib"] = {name: disk_mib(scratch / "work" / name) for name in ("autograded", "submitted", "feedback")}
        from autograder.tools.rescore import rescore
        from autograder.tools.similarity import similarity_report

        for name, step in (("rescore", lambda: rescore(course, A, workdir, limits=LIMITS)),
                           ("similarity", lambda: similarity_report(workdir, course, A))):
            started = time.perf_counter()
            step()
            out[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        again = grade_assignment(course, A, scratch / "subs", workdir,
                                 GradeOptions(RunSettings(limits=LIMITS, sandbox=backend(args.sandbox)),
                                              workers=args.workers, progress=False))
        out["second_grade"] = {"re_run": len(again), "seconds": round(time.perf_counter() - started, 1)}
        if not args.skip_dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True) as cluster:
                out["dask"] = grade_batch(course, scratch / "subs", Workdir(scratch / "work-dask"), args.workers,
                                          scheduler=cluster.scheduler_address, sandbox=args.sandbox)
    print(f"\nA class of {args.submissions} (01_perceptron, {args.workers} workers, sandbox {args.sandbox})")
    for key in ("local", "dask"):
        if key in out:
            r = out[key]
            print(f"  {key:<6} {r['seconds']:>7.1f} s  {r['per_second']:.3f}/s  first 100 {r['first_100_per_second']}/s"
                  f"  last 100 {r['last_100_per_second']}/s  grader peak {r['grader_peak_mib']} MiB"
                  f" (growth {r['grader_growth_mib']} MiB)  {r['statuses']}")
    print(f"  feedback {out['feedback_seconds']} s, export {out['export_seconds']} s, report {out['report_seconds']} s;"
          f" rescore {out['rescore_seconds']} s, similarity {out['similarity_seconds']} s;"
          f" gradebook {out['gradebook_mib']} MiB; second grade re-ran {out['second_grade']['re_run']}"
          f" in {out['second_grade']['seconds']} s")
    print(f"  on disk (MiB): {out['disk_mib']}")
    print(f"  the gradebook writer alone stores {out['writer']['per_second']} results/s"
          f" ({out['writer']['results']} in {out['writer']['seconds']} s)")
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(f"written to {args.out}")
    return 0 if out["second_grade"]["re_run"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
