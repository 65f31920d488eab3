"""The trial's Unix accounts: students, an instructor, and the groups the exchange's permissions use.

A trial (``make hub``) creates real accounts so that every person's JupyterLab runs as its own user and
the file system, not the browser, keeps students apart. Each account is made with ``useradd`` (its own
private group, a home under the trial's state folder with mode 0700: Debian's default 0755 would let
every student read every other student's work) and removed by ``userdel`` when the trial is taken down.
On a real server the accounts already exist; only the two groups below need to be set up.

Groups: ``<prefix>-graders`` holds the instructor (the exchange's inbound folder belongs to it, so a
submission can be read by the graders and nobody else); the instructor also joins every student's private
group, so released feedback can be made readable by that one student (``hub_exchange``).
"""

import json
import os
import pwd
import secrets
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

COMMENT = "dlcourse hub trial"  # written into each account's GECOS field; down() removes only these


@dataclass(frozen=True)
class Account:
    """One person of the trial: a login name, its password for the trial's login page, student or not."""

    name: str
    password: str
    instructor: bool = False


@dataclass(frozen=True)
class Roster:
    """Who the trial's accounts are, as saved in ``accounts.json`` (root-only) under the state folder."""

    prefix: str
    accounts: tuple[Account, ...]

    @property
    def instructor(self) -> Account:
        return next(a for a in self.accounts if a.instructor)

    @property
    def students(self) -> list[Account]:
        return [a for a in self.accounts if not a.instructor]

    @property
    def graders_group(self) -> str:
        return f"{self.prefix}-graders"

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"prefix": self.prefix, "accounts": [asdict(a) for a in self.accounts]},
                                   indent=1))
        path.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> "Roster":
        data = json.loads(path.read_text())
        return cls(data["prefix"], tuple(Account(**a) for a in data["accounts"]))

    @classmethod
    def new(cls, prefix: str, students: int) -> "Roster":
        """``<prefix>-instructor`` and ``<prefix>-student1..N``, each with a fresh random password."""
        people = [Account(f"{prefix}-instructor", secrets.token_urlsafe(9), instructor=True)]
        people += [Account(f"{prefix}-student{i}", secrets.token_urlsafe(9)) for i in range(1, students + 1)]
        return cls(prefix, tuple(people))


class AccountError(RuntimeError):
    """An account could not be created or removed; the message says what to do."""


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise AccountError(f"`{' '.join(argv)}` failed ({done.stderr.strip() or done.returncode}); "
                           "check that you are root and that the name is free.")


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def can_create() -> str | None:
    """None when this process can create accounts, else a sentence saying why not and what to do."""
    if os.geteuid() != 0:
        return ("creating the trial's Unix accounts needs root: run `sudo make hub`, or on a server whose "
                "accounts exist already follow docs/live-course.md (Deployment)")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "usermod"):
        if not any(Path(d, tool).exists() for d in ("/usr/sbin", "/sbin", "/usr/bin")):
            return f"`{tool}` is missing: install Debian's `passwd` package (apt-get install passwd)"
    return None


def create(roster: Roster, homes: Path) -> None:
    """Create the groups and accounts of ``roster`` (homes under ``homes``, mode 0700)."""
    taken = [a.name for a in roster.accounts if exists(a.name)]
    if taken or group_exists(roster.graders_group):
        raise AccountError(f"accounts or groups of the trial exist already ({', '.join(taken) or roster.graders_group}"
                           f"): run `make hub-down` first, or choose another --prefix.")
    homes.mkdir(parents=True, exist_ok=True)
    homes.chmod(0o755)
    _run(["groupadd", roster.graders_group])
    for account in roster.accounts:
        _run(["useradd", "--create-home", "--base-dir", str(homes), "--shell", "/bin/bash",
              "--comment", COMMENT, "--user-group", account.name])
        Path(pwd.getpwnam(account.name).pw_dir).chmod(0o700)
    instructor = roster.instructor.name
    groups = [roster.graders_group] + [s.name for s in roster.students]
    _run(["usermod", "--append", "--groups", ",".join(groups), instructor])


def _end_processes(uid: int) -> None:
    """SIGKILL what still runs as ``uid`` (a server or kernel of the trial that outlived the hub), by pid."""
    import signal

    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uids = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
            if int(uids.split()[1]) == uid:
                os.kill(int(status.parent.name), signal.SIGKILL)
        except (OSError, StopIteration, ValueError):
            continue


def remove(roster: Roster) -> list[str]:
    """Remove the accounts of ``roster`` that this trial made (their homes too) and its group; returns
    the names removed. An account without the trial's GECOS comment is left alone."""
    removed = []
    for account in roster.accounts:
        if not exists(account.name):
            continue
        if pwd.getpwnam(account.name).pw_gecos.split(",")[0] != COMMENT:
            continue
        _end_processes(pwd.getpwnam(account.name).pw_uid)
        _run(["userdel", "--remove", account.name])
        if group_exists(account.name):
            subprocess.run(["groupdel", account.name], capture_output=True)
        removed.append(account.name)
    if group_exists(roster.graders_group):
        _run(["groupdel", roster.graders_group])
    return removed
