"""The day on the course's JupyterHub (``make hub``), in headless Chromium, with real Unix accounts.

Two students log in, fetch 01_perceptron from the Assignment List, type their answers, submit, and read
their feedback (graded on submit by ``python -m autograder serve``, running as the instructor) within
``FEEDBACK_SECONDS`` of pressing Submit. The second student then attacks the first: the first's server by
URL, the file browser's way out of its home, and a terminal in its own JupyterLab (listing the inbox,
reading the first's submission, secret and feedback page by their real names, the first's home, moving
the course's exchange folder away); every attempt is refused. A third student submits past the limit
of one graded submission per hour and is told so. The instructor sees every submission in Formgrader and
exports the grades.

Needs root (accounts are created with ``useradd``): elsewhere the module is skipped, saying so.
Screenshots go to ``test-artifacts/hub-*.png``.
"""

import csv
import os
import re
import time

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from autograder.core.course import grade_id, is_answer, read_notebook
from coursetools import hub as trial
from coursetools import hub_exchange, hub_reach
from coursetools.hub_config import SetupError
from tests.browser import hubday, jlab
from tests.browser.support import artifact
from tests.browser.test_day import answers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENT = "01_perceptron"
# from pressing Submit to the graded page open in the student's browser; measured 2026-12-07 under load
FEEDBACK_SECONDS = 150
PER_HOUR = 1
SERVE_ARGS = (ASSIGNMENT, "--serve-per-hour", str(PER_HOUR), "--serve-poll-seconds", "1", "--workers", "1")


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("the hub day creates Unix accounts (useradd) and so needs root; run it as root or in CI")
    try:  # a checkout closed to the students' accounts (a clone under /root) is bound where they can enter it
        hub_reach.plan(trial.REPO)
    except SetupError as error:
        pytest.skip(f"the students' accounts cannot run this checkout's course environment: {error}")
    prefix = f"t{os.getpid() % 100000:05d}"
    running = hubday.start(trial.TrialOptions(prefix, 3, 0, (ASSIGNMENT,), SERVE_ARGS))
    yield running
    hubday.stop_and_remove(running)


@pytest.fixture(scope="module")
def context(browser):
    """One browser context per account (each has its own hub cookie), closed at the module's end."""
    made = {}

    def for_account(name: str):
        if name not in made:
            made[name] = browser.new_context(viewport={"width": 1280, "height": 1300})
            made[name].set_default_timeout(90_000)
        return made[name]

    yield for_account
    for value in made.values():
        value.close()


@pytest.fixture(scope="module")
def submitted(hub, context):
    """Both students' morning: log in, fetch, type the answers, save, submit. Returns, per student, the
    page and when Submit was pressed."""
    texts = answers()
    done = {}
    for account in hub.roster.students[:2]:
        page = context(account.name).new_page()
        print(f"{account.name}: JupyterLab ready {hubday.login(page, hub, account):.1f} s after logging in")
        hubday.fetch(page, ASSIGNMENT)
        notebook = hubday.home(account.name) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert notebook.exists(), f"fetching did not write {notebook}"
        hubday.open_in_lab(page, hub, account, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
        jlab.wait_notebook_ready(page)
        for index, cell in enumerate(read_notebook(notebook).cells):
            if is_answer(cell):
                jlab.set_cell_source(page, index, texts[grade_id(cell)])
        jlab.save(page)
        saved = {grade_id(c): c.source for c in read_notebook(notebook).cells if is_answer(c)}
        assert saved["written"] == texts["written"], "the typed answer is not in the saved notebook"
        done[account.name] = (page, hubday.submit(page, ASSIGNMENT))
        page.screenshot(path=str(artifact(f"hub-submitted-{account.name[-8:]}.png")))
    return done


@pytest.fixture(scope="module")
def feedback_read(hub, submitted):
    if hub.grader is None:
        pytest.skip("this harness has no grading service (python -m autograder serve) to grade on submit")
    seconds = {}
    for account in hub.roster.students[:2]:
        page, pressed = submitted[account.name]
        seconds[account.name] = hubday.wait_for_feedback(page, account, (ASSIGNMENT, pressed), hubday.GRADED,
                                                         FEEDBACK_SECONDS)
        page.screenshot(path=str(artifact(f"hub-feedback-{account.name[-8:]}.png")), full_page=True)
    print("Submit -> feedback visible: " + ", ".join(f"{k}: {v:.1f} s" for k, v in seconds.items()))
    return seconds


def test_two_students_fetch_work_and_submit(hub, submitted):
    inbox = hub.paths.exchange / hub_exchange.COURSE_ID / "inbound"
    for account in hub.roster.students[:2]:
        mine = [p for p in inbox.iterdir() if p.name.startswith(f"{account.name}+{ASSIGNMENT}+")]
        assert len(mine) == 1, f"{account.name}: {len(mine)} submissions in the inbox"
        assert hub_exchange.mode(mine[0]) & 0o007 == 0, f"{mine[0]} is open to other accounts"
        assert all(hub_exchange.mode(f) & 0o007 == 0 for f in mine[0].iterdir())


def test_two_students_read_their_feedback(feedback_read):
    assert len(feedback_read) == 2 and max(feedback_read.values()) < FEEDBACK_SECONDS


ATTACKS = {  # what the second student types in a terminal, against the first; each must be refused
    "list the inbox": "ls {inbound}",
    "read the submission by its name": "cat '{submission}/{assignment}.ipynb'",
    "read its secret": "cat '{submission}/submission_secret.txt'",
    "write into it": "touch '{submission}/planted.txt'",
    "list the feedback": "ls {feedback}",
    "read the feedback page by its name": "cat '{page}'",
    "read the first student's home": "ls {home}",
    "move the course folder of the exchange away": "mv {course} {exchange}/moved",
}


def test_a_student_cannot_reach_another_students_work(hub, context, submitted):
    first, second = hub.roster.students[:2]
    page = context(second.name).new_page()
    hubday.login(page, hub, second)

    # the first's server, by URL: the hub refuses
    response = page.goto(hubday.lab_url(hub, first))
    assert response.status in (403, 404) or f"/user/{second.name}/" in page.url, (response.status, page.url)
    expect(page.locator("body")).not_to_contain_text(f"{first.name}/{ASSIGNMENT}")
    page.screenshot(path=str(artifact("hub-other-server-refused.png")))

    # the file browser's way out of its own home: the server refuses paths outside it
    escaped = page.request.get(f"{hub.url}/user/{second.name}/api/contents/..%2F{first.name}")
    assert escaped.status in (403, 404), escaped.status

    # a terminal in the second's JupyterLab: every attempt refused, by the file system
    inbound = hub.paths.exchange / hub_exchange.COURSE_ID / "inbound"
    submission = next(p for p in inbound.iterdir() if p.name.startswith(f"{first.name}+"))
    feedback = hub.paths.exchange / hub_exchange.COURSE_ID / "feedback"
    owners = hub_exchange.feedback_owners(hub.paths.exchange)
    pages = [feedback / name for name, student in owners.items()
             if student == first.name and (feedback / name).exists()]
    if not pages:  # no grading service: a page released the way nbgrader's release_feedback leaves it (0644)
        name = next(name for name, student in owners.items() if student == first.name)
        (feedback / name).write_text("<p>feedback for the first student</p>")
        os.chmod(feedback / name, 0o644)
        pages = [feedback / name]
    time.sleep(1.5)  # the hub's keeper makes pages private within half a second
    fields = {"inbound": inbound, "submission": submission, "assignment": ASSIGNMENT, "feedback": feedback,
              "page": pages[0], "home": hubday.home(first.name), "course": inbound.parent,
              "exchange": hub.paths.exchange}
    log = hubday.home(second.name) / "attacks.log"
    script = "; ".join(f"echo \"== {what}\"; {command.format(**fields)} 2>&1 | head -3; echo \"rc=${{PIPESTATUS[0]}}\""
                       for what, command in ATTACKS.items())
    hubday.open_in_lab(page, hub, second, "")
    page.locator(".jp-LauncherCard", has_text="Terminal").first.click()
    terminal = page.locator(".jp-Terminal .xterm-helper-textarea, .xterm-helper-textarea").first
    terminal.wait_for(timeout=120_000)
    terminal.focus()
    page.keyboard.insert_text(f"( {script} ) > {log} 2>&1; echo done >> {log}\n")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (log.exists() and log.read_text().rstrip().endswith("done")):
        time.sleep(0.5)
    page.screenshot(path=str(artifact("hub-terminal-attacks.png")))
    assert log.exists(), "the terminal did not run the commands"
    text = log.read_text()
    blocks = dict(re.findall(r"== ([^\n]+)\n(.*?)(?=\n== |\ndone)", text, flags=re.S))
    assert set(blocks) == set(ATTACKS), text
    for what, output in blocks.items():
        assert "rc=0" not in output and ("Permission denied" in output or "Operation not permitted" in output), \
            f"{what}: not refused:\n{output}"
    assert not (submission / "planted.txt").exists() and inbound.parent.exists()


def test_a_third_student_past_the_limit_is_told_so(hub, context, feedback_read):
    third = hub.roster.students[2]
    page = context(third.name).new_page()
    hubday.login(page, hub, third)
    hubday.fetch(page, ASSIGNMENT)
    first = hubday.submit(page, ASSIGNMENT)
    hubday.wait_for_feedback(page, third, (ASSIGNMENT, first), hubday.GRADED, FEEDBACK_SECONDS)
    hubday.open_in_lab(page, hub, third, "")
    second = hubday.submit(page, ASSIGNMENT)
    hubday.wait_for_feedback(page, third, (ASSIGNMENT, second), hubday.LIMITED, FEEDBACK_SECONDS)
    expect(page.locator(".serve-status")).to_contain_text("hour")
    page.screenshot(path=str(artifact("hub-past-the-limit.png")), full_page=True)


def test_the_instructor_sees_every_submission_and_exports_the_grades(hub, context, feedback_read):
    instructor = hub.roster.instructor
    page = context(instructor.name).new_page()
    hubday.login(page, hub, instructor)
    page.goto(f"{hub.url}/user/{instructor.name}/formgrader/manage_submissions/{ASSIGNMENT}")
    # every submission the service graded is listed as graded, with its time and the score the gradebook holds
    # (nbgrader's rule: autograded/ has it and submitted/'s timestamp.txt gives the gradebook's time)
    with Gradebook(f"sqlite:///{hubday.home(instructor.name) / 'course' / 'grading' / 'gradebook.db'}") as gb:
        scores = {account.name: (gb.find_submission(ASSIGNMENT, account.name).score,
                                 gb.find_submission(ASSIGNMENT, account.name).max_score)
                  for account in hub.roster.students[:2]}
    for account in hub.roster.students[:2]:
        score, top = scores[account.name]
        assert top > 0 and score > 0, f"{account.name}: the gradebook holds {score} of {top} for correct answers"
        row = page.locator("tr", has_text=account.name).last
        expect(row).to_be_visible()
        expect(row).not_to_contain_text("needs autograding")
        expect(row).to_contain_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"))  # its time
        expect(row).to_contain_text(f"{round(score, 2):g} / {round(top, 2):g}")
    page.screenshot(path=str(artifact("hub-formgrader-submissions.png")), full_page=True)

    out = "course/grades.csv"
    done = hubday.as_user(instructor.name, f"cd course && {hub.paths.python} -m autograder export {ASSIGNMENT} "
                                           f"--workdir grading --out ~/{out}")
    assert done.returncode == 0, done.stdout + done.stderr
    with open(hubday.home(instructor.name) / out) as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert {a.name for a in hub.roster.students[:2]} <= set(rows), rows.keys()
    with page.expect_download() as started:  # the file as the instructor downloads it from their server
        page.evaluate("url => { window.location.href = url; }", f"{hub.url}/user/{instructor.name}/files/{out}")
    downloaded = started.value.path().read_text()
    assert all(account.name in downloaded for account in hub.roster.students[:2]), downloaded
