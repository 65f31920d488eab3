"""``make lab``: JupyterLab for the course on 127.0.0.1, with a local nbgrader exchange.

One server plays both roles on one machine: the student's *Nbgrader → Assignment List* fetches the
released assignments from the exchange into the student's folder, the *Validate* button runs the
visible tests, *Submit* puts the work into the exchange's inbox; the instructor's *Formgrader* shows the
gradebook that ``python -m autograder grade`` writes (the same ``--workdir``).

Everything the lab writes lives under ``WORKDIR/lab/`` (git-ignored with the rest of ``grading/``)::

    exchange/             nbgrader's exchange (Exchange.root): outbound/ releases, inbound/ submissions
    student/              where the Assignment List fetches to (Exchange.assignment_dir)
    jupyter/config/       JUPYTER_CONFIG_DIR: nbgrader_config.py (exchange) and lab user settings
    jupyter/data/, jupyter/runtime/, workspaces/

Commands::

    python -m coursetools.lab [serve]  [--workdir grading] [--port 8888]   # release all, start the lab
    python -m coursetools.lab release  [ASSIGNMENT ...]                     # copy release/ to the exchange
    python -m coursetools.lab collect  ASSIGNMENT [--into WORKDIR/collected] # the exchange's inbox, per student

Then ``python -m autograder grade ASSIGNMENT --submissions WORKDIR/collected`` grades what was collected.
"""

import argparse
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import THREAD_ENV
from autograder.core.course import Course

COURSE_ID = "dlcourse"
LAB_SETTINGS = {
    # no "would you like news?" toast over the notebook
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}
THREADS = THREAD_ENV


@dataclass(frozen=True)
class Lab:
    """Where one lab's state lives; ``root`` (the course) is the server's root folder."""

    root: Path
    workdir: Path
    state: Path

    @classmethod
    def at(cls, root: Path, workdir: Path, state: Path | None = None) -> "Lab":
        root, workdir = Path(root).resolve(), Path(workdir).resolve()
        return cls(root, workdir, Path(state).resolve() if state else workdir / "lab")

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def student_dir(self) -> Path:
        return self.state / "student"

    @property
    def config_dir(self) -> Path:
        return self.state / "jupyter" / "config"

    @property
    def data_dir(self) -> Path:
        return self.state / "jupyter" / "data"

    @property
    def runtime_dir(self) -> Path:
        return self.state / "jupyter" / "runtime"

    @property
    def workspaces_dir(self) -> Path:
        return self.state / "workspaces"

    def env(self, base: dict | None = None) -> dict[str, str]:
        """The server's environment: its own Jupyter folders, the gradebook's work directory, one thread.

        ``JUPYTER_DATA_DIR`` only adds a folder in front: the labextensions and kernels installed in the
        environment (``sys.prefix/share/jupyter``) are still found."""
        env = dict(os.environ if base is None else base)
        env.update(JUPYTER_CONFIG_DIR=str(self.config_dir), JUPYTER_DATA_DIR=str(self.data_dir),
                   JUPYTER_RUNTIME_DIR=str(self.runtime_dir), AUTOGRADER_WORKDIR=str(self.workdir),
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        for key, value in THREADS.items():
            env.setdefault(key, value)
        bin_dir = os.path.dirname(sys.executable)  # nbgrader runs alembic from here
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        return env


def write_config(lab: Lab, settings: dict | None = None) -> None:
    """nbgrader's exchange settings and the lab's user settings in the lab's JUPYTER_CONFIG_DIR.

    The course's own ``nbgrader_config.py`` (the server's root) still sets the course id, the gradebook
    and the work directory's folders; this file adds only what is about this machine."""
    for folder in (lab.exchange, lab.student_dir, lab.config_dir, lab.data_dir, lab.runtime_dir,
                   lab.workspaces_dir):
        folder.mkdir(parents=True, exist_ok=True)
    lab.exchange.chmod(0o777)  # nbgrader's own permissions for a shared exchange root
    (lab.config_dir / "nbgrader_config.py").write_text(
        '"""Written by coursetools.lab: the local exchange of this machine."""\n'
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(lab.exchange)!r}\n"
        f"c.Exchange.assignment_dir = {str(lab.student_dir)!r}\n")
    # each student's own deadlines at /autograder/deadlines (docs/live-course.md), enabled as
    # `jupyter server extension enable` does it, in the lab's own configuration folder
    enabled = lab.config_dir / "jupyter_server_config.d" / "autograder-deadlines.json"
    enabled.parent.mkdir(parents=True, exist_ok=True)
    enabled.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {"autograder.serve.extension": True}}}))
    merged = {key: dict(value) for key, value in LAB_SETTINGS.items()}
    for key, value in (settings or {}).items():
        merged.setdefault(key, {}).update(value)
    for key, value in merged.items():
        path = lab.config_dir / "lab" / "user-settings" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=2))


def _nbgrader_config(lab: Lab, assignment: str, **extra):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(lab.root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.db_url = f"sqlite:///{lab.workdir / 'gradebook.db'}"
    config.Exchange.root = str(lab.exchange)
    for key, value in extra.items():
        section, name = key.split("__")
        setattr(getattr(config, section), name, value)
    return config


def _exchange_step(cls, config):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    step = cls(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    step.log.setLevel(logging.ERROR)
    return step


def release(lab: Lab, assignments: list[str] | None = None) -> list[str]:
    """Copy ``release/<a>/`` of each assignment (default: all in ``release/``) into the exchange's
    outbound folder, replacing an earlier release. Returns the assignments released."""
    from nbgrader.exchange.default import ExchangeReleaseAssignment

    names = assignments or sorted(p.name for p in (lab.root / "release").iterdir()
                                  if p.is_dir() and any(p.glob("*.ipynb")))
    lab.exchange.mkdir(parents=True, exist_ok=True)
    for name in names:
        config = _nbgrader_config(lab, name)
        config.ExchangeReleaseAssignment.force = True
        _exchange_step(ExchangeReleaseAssignment, config).start()
    return names


def collect(lab: Lab, assignment: str, into: Path) -> Path:
    """The latest submission of every student from the exchange, as ``into/<student>/<assignment>/``
    (nbgrader's layout, which ``autograder grade --submissions`` reads). Keep ``into`` apart from the
    work directory's ``submitted/``: grading copies what it grades there."""
    from nbgrader.exchange.default import ExchangeCollect

    into = Path(into).resolve()
    into.mkdir(parents=True, exist_ok=True)
    config = _nbgrader_config(lab, assignment, CourseDirectory__submitted_directory=str(into))
    config.ExchangeCollect.update = True
    config.ExchangeCollect.check_owner = False  # on one machine every submission belongs to one user
    _exchange_step(ExchangeCollect, config).start()
    return into


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(lab: Lab, port: int, token: str | None = None, port_retries: int = 0) -> list[str]:
    """The ``jupyter lab`` command line for ``lab`` (run it with ``lab.env()`` and cwd ``lab.root``)."""
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--ServerApp.port_retries={port_retries}",
            f"--ServerApp.root_dir={lab.root}", f"--LabApp.workspaces_dir={lab.workspaces_dir}"]
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv


def wait_until_answers(process: subprocess.Popen, url: str, name: str, log_tail, timeout: float) -> None:
    """Block until ``url`` answers 200, or raise with the end of the server's log (``log_tail()``) when its
    ``process`` exits or ``timeout`` seconds pass (``make lab`` and ``make hub`` both wait this way)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; its log ends:\n{log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{name} did not answer in {timeout:.0f} s; its log ends:\n{log_tail()}")


class Server:
    """A running lab server in its own process group; ``stop()`` ends the whole group."""

    def __init__(self, lab: Lab, port: int | None = None, token: str | None = None, log: Path | None = None):
        self.lab, self.port = lab, port or free_port()
        self.token = token if token is not None else secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log or lab.state / "server.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command(lab, self.port, self.token), cwd=lab.root,
                                        env=lab.env(), stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, timeout: float = 120.0) -> "Server":
        """Block until the server answers its API (or raise with the end of its log)."""
        wait_until_answers(self.process, f"{self.url}/api/status?token={self.token}", "jupyter lab",
                           self.log_tail, timeout)
        return self

    def log_tail(self, chars: int = 4000) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the server's process group (kernels included), SIGKILL what is left."""
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        try:  # kernels that outlived the server in its group
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m coursetools.lab", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("action", nargs="?", default="serve", choices=["serve", "release", "collect"])
    top.add_argument("assignments", nargs="*", help="release: default all; collect: exactly one")
    top.add_argument("--workdir", default="grading", help="grading state, shared with autograder grade")
    top.add_argument("--port", type=int, default=8888, help="first port to try (default: %(default)s)")
    top.add_argument("--into", help="collect: destination (default: WORKDIR/collected)")
    args = top.parse_args(argv)
    course = Course.find()
    lab = Lab.at(course.root, Path(args.workdir))
    if not lab.state.is_relative_to(lab.root):
        top.error(f"--workdir must lie inside the course ({lab.root}): the lab can only open files under it")
    write_config(lab)
    if args.action == "collect":
        if len(args.assignments) != 1:
            top.error("collect takes one assignment")
        into = collect(lab, args.assignments[0], Path(args.into) if args.into else lab.workdir / "collected")
        print(f"collected into {into}; grade with:\n  python -m autograder grade {args.assignments[0]} "
              f"--submissions {into} --workdir {args.workdir}")
        return 0
    released = release(lab, args.assignments or None)
    print(f"released to the exchange {lab.exchange}: {', '.join(released)}")
    if args.action == "release":
        return 0
    print(f"students' fetched assignments go to {lab.student_dir}; gradebook: {lab.workdir / 'gradebook.db'}")
    argv = command(lab, args.port, port_retries=50)
    os.chdir(lab.root)
    os.execve(sys.executable, argv, lab.env())  # JupyterLab prints its URL (with a fresh token)


if __name__ == "__main__":
    sys.exit(main())
