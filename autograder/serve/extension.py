"""A Jupyter server extension: each student's own deadlines at ``<server>/autograder/deadlines``.

nbgrader's Assignment List shows no due dates (nbgrader PR #1909 is unmerged), and a deadline written into
a released notebook is the same for every student, whatever their extension. So each student's Jupyter
server serves one page (and ``/autograder/deadlines.json``) listing every released assignment with its due
time (shown in the browser's time zone; UTC without JavaScript), the student's own extension, the time
left, and once past the deadline what a submission now counts as (``deadlines.py``), from the course's
``c.Autograder.due`` / ``extensions`` and late policy: what grading applies. No JavaScript build: a
Python handler and one template.

Enable it in each user's server (``jupyter_server_config.py``, or ``--ServerApp.jpserver_extensions``)::

    c.ServerApp.jpserver_extensions = {"autograder.serve.extension": True}
    c.AutograderDeadlines.course_root = "/srv/course"   # a folder with the nbgrader_config.py to read

Without ``course_root`` it reads ``$AUTOGRADER_COURSE``, else the server's root folder (``make lab``
serves the course itself). The student is nbgrader's: the Unix account (``JUPYTERHUB_USER`` for jovyan),
the id *Submit* uses.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from tornado import web
from traitlets import Unicode
from traitlets.config import Configurable

from autograder.outputs import pages
from autograder.serve.deadlines import StudentDeadline, soonest_first, student_deadlines


class AutograderDeadlines(Configurable):
    """Where the deadlines page reads the course's settings."""

    course_root = Unicode("", help="the folder holding the course's nbgrader_config.py (c.Autograder.due, "
                                   "extensions, late policy); empty: $AUTOGRADER_COURSE, else the server's "
                                   "root folder").tag(config=True)


def _jupyter_server_extension_points():
    return [{"module": "autograder.serve.extension"}]


def course_root(serverapp) -> Path:
    configured = AutograderDeadlines(config=serverapp.config).course_root
    return Path(configured or os.environ.get("AUTOGRADER_COURSE", "") or serverapp.root_dir)


def deadlines_for(root: Path, student: str, now: datetime | None = None) -> list[StudentDeadline]:
    """The student's deadlines of every released assignment (or, with no exchange, every one with a due time)."""
    from autograder.core.config import course_settings
    from autograder.intake.lateness import LatePolicy
    from autograder.serve.exchange import find_exchange

    settings = course_settings(root)
    policy = LatePolicy.from_settings(settings)
    try:
        outbound = find_exchange(root).outbound
        released = sorted(p.name for p in outbound.iterdir() if p.is_dir()) if outbound.is_dir() else []
    except Exception:  # no course id or exchange: the due dates alone
        released = []
    return soonest_first(student_deadlines(policy, released or sorted(policy.due), student, now))


def as_dict(item: StudentDeadline) -> dict:
    def iso(moment):
        return moment.isoformat() if moment is not None else None

    return {"assignment": item.assignment, "due": iso(item.due), "extension_hours": item.extension_hours,
            "deadline": iso(item.deadline), "cutoff": iso(item.cutoff), "seconds_left": item.seconds_left,
            "left": item.left, "warning": item.warning}


def _student() -> str:
    from nbgrader.utils import get_username

    return get_username()


def _handlers():
    from jupyter_server.base.handlers import JupyterHandler

    class DeadlinesPage(JupyterHandler):
        @web.authenticated
        def get(self):
            student = _student()
            items = deadlines_for(course_root(self.serverapp), student)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(pages.render("serve_deadlines.html.j2", student=student, deadlines=items,
                                     now=datetime.now(UTC)))

    class DeadlinesJson(JupyterHandler):
        @web.authenticated
        def get(self):
            student = _student()
            items = deadlines_for(course_root(self.serverapp), student)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"student": student, "deadlines": [as_dict(item) for item in items]}))

    return DeadlinesPage, DeadlinesJson


def _load_jupyter_server_extension(serverapp):
    from jupyter_server.utils import url_path_join

    page, data = _handlers()
    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, "autograder/deadlines"), page),
                                           (url_path_join(base, "autograder/deadlines.json"), data)])
    serverapp.log.info("autograder: each student's deadlines at %sautograder/deadlines", base)
