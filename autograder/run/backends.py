"""The sandbox backends a course chooses with ``c.Autograder.sandbox`` (``autograder.core.plugins.SandboxBackend``).

``bwrap`` isolates every kernel with bubblewrap, cgroups and prlimit (``autograder.run.sandbox``); ``template``
forks each such kernel from a per-worker template that imported the given code once (``autograder.run.template``);
``none``
runs student code with the grader's rights (only for code you trust). Grading, release verification and
``doctor`` all take the backend from ``backend()``: ``doctor`` probes with the very object that grading uses.
"""

import sys
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from autograder.core.plugins import SandboxBackend, resolve


class SandboxMode(StrEnum):
    """The built-in backends' names, as ``c.Autograder.sandbox`` and ``--sandbox`` write them (a course's own
    backend is named by its importable class name instead)."""

    BWRAP = "bwrap"
    TEMPLATE = "template"
    NONE = "none"


@dataclass(frozen=True)
class Bubblewrap(SandboxBackend):
    """bubblewrap namespaces, a cgroup (or prlimit) per kernel, a capped work folder, a seccomp filter."""

    name = SandboxMode.BWRAP
    packages: tuple[str, ...] | None = None  # c.Autograder.kernel_packages (None: sandbox.default_packages())

    def with_packages(self, packages: tuple[str, ...]) -> "Bubblewrap":
        return replace(self, packages=tuple(packages))

    def require(self, allow_weaker: bool = True) -> None:
        self._required_dirs(allow_weaker)

    def _required_dirs(self, allow_weaker: bool) -> list[Path]:
        """bubblewrap's checks (``sandbox.require``), then the folders a kernel is given (``sandbox.python_dirs``,
        which refuses a package it cannot find or a course in the environment), found once for a subclass's
        ``require`` to check further."""
        from autograder.run import sandbox

        sandbox.require(SandboxMode.BWRAP, allow_weaker)
        return sandbox.python_dirs(packages=self.packages)

    def sweep(self) -> None:
        from autograder.run import sandbox

        sandbox.sweep_stale_cgroups()

    def summary(self, limits) -> str:
        from autograder.run import sandbox

        return f"bubblewrap; {sandbox.caps_summary(limits)} (details: python -m autograder doctor)"

    def launch(self, folder: Path, env: dict[str, str], limits, owns_folder: bool = False):
        from autograder.run import sandbox

        return sandbox.launch(folder, env, limits, SandboxMode.BWRAP, owns_folder, self.packages)

    def probe(self, command: list[str], limits, timeout: float = 60):
        from autograder.run import probe

        return probe.run(command, limits, timeout, self.packages)


@dataclass(frozen=True)
class NoSandbox(SandboxBackend):
    """No isolation: the kernel runs as the grader, with the grader's files and network."""

    name = SandboxMode.NONE
    isolated = False

    def summary(self, limits) -> str:
        return "NONE (--unsafe-no-sandbox): student code runs with this user's rights"

    def launch(self, folder: Path, env: dict[str, str], limits, owns_folder: bool = False):
        from autograder.run import sandbox

        return sandbox.launch(folder, env, limits, SandboxMode.NONE, owns_folder)

    def probe(self, command: list[str], limits, timeout: float = 60):
        from autograder.run.sandbox import SandboxUnavailable

        raise SandboxUnavailable("the sandbox is off (c.Autograder.sandbox = 'none'): there is nothing to probe")


@dataclass(frozen=True)
class Template(Bubblewrap):
    """bubblewrap around a per-worker template that imports once; each kernel forked from it into namespaces,
    a cgroup and a folder of its own (``autograder.run.template`` says what holds and what differs)."""

    name = SandboxMode.TEMPLATE
    shares_imports = True

    def require(self, allow_weaker: bool = True) -> None:
        import os

        from autograder.run import sandbox

        folders = self._required_dirs(allow_weaker)
        if os.geteuid() != 0:
            raise sandbox.SandboxUnavailable(
                "c.Autograder.sandbox = 'template' needs root (the grader mounts every kernel's folder where "
                "the template's sandbox sees it); use c.Autograder.sandbox = 'bwrap'")
        hidden = unreachable([Path(sys.prefix), *folders])
        if hidden:
            raise sandbox.SandboxUnavailable(
                f"c.Autograder.sandbox = 'template' cannot run from {hidden[0]}: every kernel gets a fresh /tmp, "
                "/dev and /dev/shm, and only folders inside /tmp can be bound back onto it; install the course "
                "in a folder of its own (under /tmp is fine, /tmp itself and /dev are not), or use "
                "c.Autograder.sandbox = 'bwrap'")

    def sweep(self) -> None:
        from autograder.run import sandbox, template

        sandbox.sweep_stale_cgroups()
        template.sweep_slots()

    def summary(self, limits) -> str:
        return "forked from a template: " + super().summary(limits)

    def kernel_root(self, root: Path) -> Path:
        from autograder.run import template

        return template.slots()

    def launch(self, folder: Path, env: dict[str, str], limits, owns_folder: bool = False):
        from autograder.run import template

        self.require()
        return template.launch(folder, env, limits, owns_folder, self.packages)


def unreachable(folders: list[Path]) -> list[str]:
    """Those of an installation's ``folders`` a forked kernel cannot be given: ``/tmp`` itself (binding it
    back would show every other submission's folder there), and anything under ``/dev``."""
    out = []
    for folder in folders:
        parts = Path(folder).resolve().parts
        if parts[1:] == ("tmp",) or parts[1:2] == ("dev",):
            out.append(str(folder))
    return out


BACKENDS = {backend.name: backend for backend in (Bubblewrap, NoSandbox, Template)}


def backend(value) -> SandboxBackend:
    """The backend ``value`` names (``bwrap``, ``none``, an importable class name) or is."""
    return resolve(value, SandboxBackend, BACKENDS, "sandbox")
