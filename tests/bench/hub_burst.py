"""``make bench-hub``: from pressing Submit in the browser to the graded feedback visible in it, over a
burst of submissions from different students on the trial hub (``make hub``), graded on submit.

Every student has a correct notebook in their assignment folder and their JupyterLab open on the
Assignment List; Submit is pressed on every page one after the other (the burst). As root, the bench
watches the exchange's feedback folder and notes when each student's graded page appears; then each
student presses Fetch Feedback and opens the page, which is timed too. A student's time to feedback
visible is the first plus the second (a student who pressed Fetch Feedback the moment the page was
ready). Prints median and worst, the machine's load average, and writes ``hub-burst.json``. Needs root.

    python -m tests.bench.hub_burst [--students 20] [--workers 2] [--out hub-burst.json]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat

from autograder.core.course import grade_id, read_notebook
from autograder.tools.samples import build, read_sample
from coursetools import hub as trial
from coursetools import hub_exchange
from tests.browser import hubday
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tests.browser.test_day import SAMPLE, WRITTEN

ASSIGNMENT = "01_perceptron"
TIMEOUT = 1800.0


def correct_notebook():
    source = read_notebook(trial.REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    release = read_notebook(trial.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    notebook = build(read_sample(SAMPLE), source, release)
    for cell in notebook.cells:
        if grade_id(cell) == "written":
            cell.source = WRITTEN
    return notebook


def place(notebook, name: str) -> None:
    """The notebook in the student's assignment folder, owned by the student (as if fetched and worked)."""
    import pwd

    user = pwd.getpwnam(name)
    folder = Path(user.pw_dir) / ASSIGNMENT
    folder.mkdir(exist_ok=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    for path in (folder, folder / f"{ASSIGNMENT}.ipynb"):
        os.chown(path, user.pw_uid, user.pw_gid)


def graded_moments(hub, students: set[str], timeout: float) -> dict[str, float]:
    """time.monotonic() at which each student's graded page (``serve-summary``) appeared in the exchange."""
    feedback = hub.paths.exchange / hub_exchange.COURSE_ID / "feedback"
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(students) and time.monotonic() < deadline:
        owners = hub_exchange.feedback_owners(hub.paths.exchange)
        for page in feedback.glob("*.html"):
            student = owners.get(page.name)
            if student in students and student not in seen:
                try:
                    if "serve-summary" in page.read_text(errors="replace"):
                        seen[student] = time.monotonic()
                except FileNotFoundError:  # replaced while read
                    continue
        time.sleep(0.25)
    return seen


def run(students: int, workers: int) -> dict:
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    prefix = f"b{os.getpid() % 100000:05d}"
    serve = (ASSIGNMENT, "--serve-poll-seconds", "1", "--workers", str(workers))
    hub = hubday.start(trial.TrialOptions(prefix, students, 0, (ASSIGNMENT,), serve))
    try:
        if hub.grader is None:
            raise SystemExit("this harness has no grading service (python -m autograder serve): nothing to measure")
        notebook = correct_notebook()
        accounts = hub.roster.students
        for account in accounts:
            place(notebook, account.name)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            pages = {}
            for account in accounts:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.set_default_timeout(180_000)
                pages[account.name] = page = context.new_page()
                hubday.login(page, hub, account, timeout=600)
                hubday.assignment_list(page)
                page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for()
            pressed = {}
            for account in accounts:  # the burst
                row = pages[account.name].locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
                pressed[account.name] = time.monotonic()
                row.get_by_role("button", name="Submit").click()
            graded = graded_moments(hub, set(pressed), TIMEOUT)
            missing = sorted(set(pressed) - set(graded))
            if missing:
                raise SystemExit(f"no graded page within {TIMEOUT:.0f} s for {', '.join(missing)}")
            fetch_open = {}
            for account in accounts:
                start = time.monotonic()
                hubday.wait_for_feedback(pages[account.name], account, (ASSIGNMENT, start), hubday.GRADED, 300)
                fetch_open[account.name] = time.monotonic() - start
            browser.close()
    finally:
        hubday.stop_and_remove(hub)
    to_graded = {name: graded[name] - pressed[name] for name in pressed}
    visible = {name: to_graded[name] + fetch_open[name] for name in pressed}
    return {"students": students, "workers": workers, "load_before": load_before, "load_after": os.getloadavg(),
            "cores": os.cpu_count(), "submit_to_graded_page": to_graded, "fetch_and_open": fetch_open,
            "submit_to_visible": visible,
            "median_seconds": statistics.median(visible.values()), "worst_seconds": max(visible.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.hub_burst", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="the grading service's worker processes")
    parser.add_argument("--out", default="hub-burst.json")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("make bench-hub creates Unix accounts for its students: run it as root", file=sys.stderr)
        return 1
    if chromium_path() is None:
        print("chromium is not installed: run `make setup` (as root it installs Debian's chromium)", file=sys.stderr)
        return 1
    result = run(args.students, args.workers)
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(f"{result['students']} submissions from different students in a burst, {result['workers']} grading "
          f"workers, {result['cores']} cores; load average before {result['load_before'][0]:.1f}, after "
          f"{result['load_after'][0]:.1f}")
    for name in sorted(result["submit_to_visible"]):
        print(f"  {name}: graded page after {result['submit_to_graded_page'][name]:6.1f} s, fetched and open "
              f"{result['fetch_and_open'][name]:5.1f} s later")
    print(f"Submit -> feedback visible in the browser: median {result['median_seconds']:.1f} s, worst "
          f"{result['worst_seconds']:.1f} s (written to {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
