"""``make hub``: the course on a multi-user JupyterHub at 127.0.0.1, for a local trial.

Every person is a real Unix account (created for the trial, removed by ``make hub-down``): students and an
instructor, each with their own JupyterLab started by the hub as that account, nbgrader's Assignment List
for everyone and Formgrader for the instructor. The course's nbgrader exchange lives in the trial's
state folder with the permissions of ``coursetools.hub_exchange`` (a student fetches and submits, and
reads no other student's submission or feedback); ``release/`` is published into it. When the harness
has a grading service (``python -m autograder serve``), it runs as the instructor's account.

Commands (as root)::

    python -m coursetools.hub up   [--workdir grading] [--students 3] [--port 8000] [ASSIGNMENT ...]
    python -m coursetools.hub down [--workdir grading]
    python -m coursetools.hub keeper --exchange /srv/nbgrader/exchange    # a real server's feedback keeper

``up`` prints the address and each account's password and runs until Ctrl-C (which stops the hub, the
servers and the grading service; the accounts and their work stay for the next ``up``); ``down`` removes
the accounts, their homes and the trial's state (``WORKDIR/hub``).
"""

import argparse
import grp
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursetools import hub_accounts, hub_config, hub_exchange, hub_reach
from coursetools.hub_accounts import Roster
from coursetools.hub_config import HubPaths, Ports, SetupError
from coursetools.lab import wait_until_answers

REPO = Path(__file__).resolve().parents[1]
COURSE_PARTS = ("nbgrader_config.py", "source", "release")
SERVE_LOG = "grader.log"
# the instructor's account cannot create cgroups on a trial machine: kernels are capped by prlimit (and still
# isolated by bubblewrap); a real server delegates a cgroup to the service (docs/live-course.md, Deployment)
TRIAL_SANDBOX = ("--allow-weaker-sandbox",)


@dataclass(frozen=True)
class TrialOptions:
    """What ``up`` makes: the accounts' prefix, how many students, the public port (0: any free one),
    the assignments to publish (empty: all of release/) and extra arguments of the grading service."""

    prefix: str = "dlc"
    students: int = 3
    port: int = 8000
    assignments: tuple[str, ...] = ()
    serve_args: tuple[str, ...] = field(default_factory=tuple)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def released(assignments: tuple[str, ...]) -> list[str]:
    names = list(assignments) or sorted(p.name for p in (REPO / "release").iterdir() if any(p.glob("*.ipynb")))
    missing = [n for n in names if not (REPO / "release" / n).is_dir()]
    if missing:
        raise SetupError(f"no release/{missing[0]}: generate it with `python -m autograder release {missing[0]}`")
    return names


def instructor_course(paths: HubPaths, roster: Roster) -> Path:
    """A copy of the course (source, release, nbgrader_config.py) in the instructor's home: Formgrader's
    course directory and the grading service's working folder (its gradebook is ``course/grading``)."""
    user = pwd.getpwnam(roster.instructor.name)
    course = Path(user.pw_dir) / "course"
    for part in COURSE_PARTS:
        source, dest = REPO / part, course / part
        if dest.is_dir():
            shutil.rmtree(dest)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
    (course / "grading").mkdir(exist_ok=True)
    for folder, _, files in os.walk(course):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for file in files:
            os.chown(os.path.join(folder, file), user.pw_uid, user.pw_gid)
    return course


class RunningHub:
    """The hub (and the grading service, when there is one) of a trial; ``stop()`` ends both."""

    def __init__(self, paths: HubPaths, roster: Roster, ports: Ports):
        self.paths, self.roster, self.ports = paths, roster, ports
        self.url = f"http://127.0.0.1:{ports.public}"
        self.log_path = paths.state / "hub.log"
        self._log = open(self.log_path, "ab")
        env = {**os.environ, "PYTHONPATH": str(REPO), "CONFIGPROXY_AUTH_TOKEN": os.urandom(16).hex()}
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(paths.config)],
                                        cwd=paths.state, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.grader: subprocess.Popen | None = None
        self.reach: hub_reach.Reach | None = None  # set by up: the bind mount to undo when it stops
        self._stopping = threading.Event()
        self.keeper = threading.Thread(target=self._keep_feedback_private, daemon=True)
        self.keeper.start()

    def _keep_feedback_private(self) -> None:
        """Every half second: feedback pages readable by others become their student's only."""
        while not self._stopping.wait(0.5):
            try:
                hub_exchange.keep_feedback_private(self.paths.exchange)
            except OSError as error:  # a submission removed while it was read; the next pass sees the rest
                print(f"feedback keeper: {error}", file=sys.stderr)

    def wait_ready(self, timeout: float = 120.0) -> "RunningHub":
        wait_until_answers(self.process, f"{self.url}/hub/api/", "jupyterhub", self.log_tail, timeout)
        return self

    def start_grader(self, course: Path, args: list[str]) -> None:
        """``python -m autograder serve ARGS`` as the instructor's account, in the instructor's course."""
        user = pwd.getpwnam(self.roster.instructor.name)
        groups = [g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem]
        env = {**hub_config.user_env(self.paths), "HOME": user.pw_dir, "USER": user.pw_name,
               "LOGNAME": user.pw_name, "JUPYTER_CONFIG_PATH": str(self.paths.etc("instructor")),
               "AUTOGRADER_WORKDIR": str(course / "grading")}
        log = open(self.paths.state / SERVE_LOG, "ab")
        os.chown(self.paths.state / SERVE_LOG, user.pw_uid, user.pw_gid)
        self.grader = subprocess.Popen([str(self.paths.python), "-m", "autograder", "serve", *args,
                                        "--exchange", str(self.paths.exchange), *TRIAL_SANDBOX], cwd=course,
                                       env=env, user=user.pw_uid, group=user.pw_gid, extra_groups=groups,
                                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        log.close()

    def log_tail(self, chars: int = 4000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the hub (it stops every user's server) and the grading service; SIGKILL what is left."""
        self._stopping.set()
        for process in (self.grader, self.process):
            if process is None or process.poll() is not None:
                continue
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(process.pid, sig)
                    process.wait(wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._log.close()
        if self.reach is not None:
            hub_reach.unmount(self.reach)


def serve_available() -> bool:
    """Whether this harness has the grading service (``python -m autograder serve``)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "serve", "--help"], capture_output=True, cwd=REPO)
    return done.returncode == 0


def up(paths: HubPaths, options: TrialOptions) -> RunningHub:
    """Create (or reuse) the trial's accounts, exchange and configuration, and start the hub. A checkout the
    users cannot enter is bound read-only where they can (``coursetools.hub_reach``) until ``stop``."""
    for problem in (hub_accounts.can_create(), hub_config.proxy_missing(paths)):
        if problem:
            raise SetupError(problem)
    reach = hub_reach.plan(paths.origin or paths.repo)
    hub_reach.mount(reach)
    try:
        hub = _up(reach.paths(paths.state), options)
    except BaseException:
        hub_reach.unmount(reach)
        raise
    hub.reach = reach
    return hub


def _up(paths: HubPaths, options: TrialOptions) -> RunningHub:
    assignments = released(options.assignments)
    paths.state.mkdir(parents=True, exist_ok=True)
    paths.state.chmod(0o755)
    hub_config.user_python(paths)
    if paths.accounts.exists():
        roster = Roster.load(paths.accounts)
    else:
        roster = Roster.new(options.prefix, options.students)
        hub_accounts.create(roster, paths.homes)
        roster.save(paths.accounts)
    hub_exchange.prepare(paths.exchange, roster.instructor.name, roster.graders_group)
    hub_exchange.publish(paths.exchange, REPO / "release", assignments, roster.instructor.name)
    course = instructor_course(paths, roster)
    hub_config.write_role_config(paths, "student")
    hub_config.write_role_config(paths, "instructor", course_dir=course)
    port = options.port or free_port()
    ports = Ports(port, free_port(), free_port())
    hub_config.write_hub_config(paths, ports, roster.instructor.name, [a.name for a in roster.accounts])
    hub = RunningHub(paths, roster, ports).wait_ready()
    if options.serve_args and serve_available():
        hub.start_grader(course, list(options.serve_args))
    return hub


def down(paths: HubPaths) -> list[str]:
    """Stop what a trial left running, remove its accounts and its state folder; the names removed."""
    if hub_accounts.can_create():
        raise SetupError(hub_accounts.can_create())
    pid_file = paths.state / "jupyterhub.pid"
    if pid_file.exists():
        try:
            os.killpg(int(pid_file.read_text().strip()), signal.SIGTERM)
            time.sleep(2)
        except (ProcessLookupError, ValueError, PermissionError):
            pass
    removed = hub_accounts.remove(Roster.load(paths.accounts)) if paths.accounts.exists() else []
    try:  # a bind mount a killed `up` left behind
        hub_reach.unmount(hub_reach.plan(paths.origin or paths.repo))
    except SetupError:
        pass
    if paths.state.exists():
        shutil.rmtree(paths.state)
    return removed


def keeper(exchange: Path) -> int:
    """``keeper``: on a real server, as root, what the trial's hub does in a thread: every feedback page
    becomes its student's only, twice a second, until SIGTERM."""
    if os.geteuid() != 0 or not (exchange / hub_exchange.COURSE_ID / "feedback").is_dir():
        print(f"keeper: run it as root, with --exchange naming the root of an exchange that has "
              f"{hub_exchange.COURSE_ID}/feedback/ ({exchange} has not, or you are not root)", file=sys.stderr)
        return 1
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop:
            hub_exchange.keep_feedback_private(exchange)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    return 0


def logins(hub: RunningHub) -> str:
    rows = [f"  {a.name:<24} {a.password}   {'instructor (Formgrader)' if a.instructor else 'student'}"
            for a in hub.roster.accounts]
    return (f"JupyterHub of the course: {hub.url}  (log in with a name and password below)\n" + "\n".join(rows)
            + f"\nexchange: {hub.paths.exchange}; hub log: {hub.log_path}\n"
            "Ctrl-C stops the hub (accounts and work stay); `make hub-down` removes the trial's accounts.")


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m coursetools.hub", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("action", choices=["up", "down", "keeper"])
    top.add_argument("assignments", nargs="*", help="up: assignments to publish (default: all of release/)")
    top.add_argument("--workdir", default="grading", help="the trial's state goes to WORKDIR/hub")
    top.add_argument("--students", type=int, default=3, help="student accounts to create (default: %(default)s)")
    top.add_argument("--prefix", default="dlc", help="account names start with it (default: %(default)s)")
    top.add_argument("--port", type=int, default=8000, help="public port on 127.0.0.1 (0: any free port)")
    top.add_argument("--exchange", help="keeper: the exchange's root (nbgrader's Exchange.root)")
    top.add_argument("--serve", default="", help="arguments of `python -m autograder serve` (default: the "
                                                 "first assignment published)")
    args = top.parse_intermixed_args(argv)
    paths = HubPaths(REPO, (Path(args.workdir).resolve() / "hub"))
    if args.action == "keeper":
        return keeper(Path(args.exchange or "/srv/nbgrader/exchange"))
    try:
        if args.action == "down":
            removed = down(paths)
            print(f"removed the trial's accounts ({', '.join(removed) or 'none left'}) and {paths.state}")
            return 0
        if not 1 <= args.students <= 200:
            top.error("--students must be between 1 and 200")
        assignments = tuple(args.assignments)
        serve = tuple(args.serve.split()) or released(assignments)[:1]
        hub = up(paths, TrialOptions(args.prefix, args.students, args.port, assignments, tuple(serve)))
    except (SetupError, hub_accounts.AccountError, RuntimeError, TimeoutError) as error:
        print(f"make hub: {error}", file=sys.stderr)
        return 1
    print(logins(hub), flush=True)
    if hub.grader is None:
        print("grading on submit is off: this harness has no `python -m autograder serve` yet", flush=True)
    else:
        print(f"grading on submit: python -m autograder serve {' '.join(serve)} as {hub.roster.instructor.name} "
              f"(log: {hub.paths.state / SERVE_LOG})", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop and hub.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    print("stopping the hub, the users' servers and the grading service ...", flush=True)
    hub.stop()
    print("stopped; `make hub-down` removes the trial's accounts and state", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
