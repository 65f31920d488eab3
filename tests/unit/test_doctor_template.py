"""``doctor``'s lines for the template backend (``autograder.tools.doctor_template``): each promise of
docs/template-kernels.md read from what a forked kernel reported, every failing one with what to do."""

import dataclasses
import os

import pytest

from autograder.core.config import Limits
from autograder.tools import doctor, doctor_template
from autograder.tools.doctor_template import KernelView

LIMITS = Limits()
ZERO = "0000000000000000"
GOOD = KernelView(pid=2, ppid=1, procs=(1, 2),
                  status={"CapEff": ZERO, "CapPrm": ZERO, "CapInh": ZERO, "CapAmb": ZERO, "NoNewPrivs": "1",
                          "Seccomp": "2"},
                  cgroup="12:pids:/autograder-1-ab\n", tmp=(".ipython", "matplotlib", "ag-t1-x"),
                  allowed_tmp=frozenset({".ipython", "matplotlib", "ag-t1-x"}), host_files=(), interfaces=("lo",),
                  reached=(), group="autograder-1-ab", in_group=True, memory_cap=LIMITS.memory_bytes,
                  pids_cap=LIMITS.processes)


def _failing(view: KernelView) -> dict[str, doctor.Check]:
    return {check.name: check for check in doctor_template.checks(view, LIMITS) if not check.ok}


def test_a_kernel_that_keeps_every_promise_passes_every_line():
    found = doctor_template.checks(GOOD, LIMITS)
    assert len(found) == 7 and all(check.ok for check in found), found
    assert not doctor.weaker(found)


@pytest.mark.parametrize("change, line", [
    ({"pid": 7, "procs": (1, 2, 7, 9)}, "template PID namespace"),
    ({"ppid": 0}, "template PID namespace"),
    ({"status": {**GOOD.status, "CapEff": "0000000000200000"}}, "template capabilities"),
    ({"status": {**GOOD.status, "NoNewPrivs": "0"}}, "template no_new_privs"),
    ({"in_group": False}, "template cgroup"),
    ({"cgroup": "12:pids:/\n"}, "template cgroup"),
    ({"memory_cap": None}, "template cgroup"),
    ({"host_files": ("/tmp/autograder-doctor-host-x",)}, "template /tmp"),
    ({"tmp": (*GOOD.tmp, "h26clone-sibling")}, "template /tmp"),
    ({"reached": ("127.0.0.1",)}, "template network"),
    ({"interfaces": ("lo", "eth0")}, "template network"),
])
def test_a_broken_promise_is_missing_and_says_what_to_do(change, line):
    failing = _failing(dataclasses.replace(GOOD, **change))
    assert list(failing) == [line], failing
    assert failing[line].required and "c.Autograder.sandbox = 'bwrap'" in failing[line].detail
    assert failing[line].line().strip().startswith("MISSING")
    assert doctor.weaker(list(failing.values()))


def test_no_seccomp_is_reported_absent_without_failing_doctor():
    failing = _failing(dataclasses.replace(GOOD, status={**GOOD.status, "Seccomp": "0"}))
    assert list(failing) == ["template seccomp"] and not failing["template seccomp"].required
    assert "bubblewrap 0.8" in failing["template seccomp"].detail


def test_when_the_template_could_run_but_is_not_chosen_its_lines_inform_only():
    found = doctor_template.checks(dataclasses.replace(GOOD, pid=5), LIMITS, required=False)
    assert not all(check.ok for check in found) and not doctor.weaker(found)


def test_not_root_says_the_template_needs_root_and_to_use_bwrap(monkeypatch):
    from autograder.run import sandbox

    monkeypatch.setattr(sandbox, "require", lambda *args, **kwargs: None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    found = doctor_template.section(LIMITS)
    assert [check.name for check in found] == ["template backend"] and not found[0].ok and found[0].required
    assert "needs root" in found[0].detail and "c.Autograder.sandbox = 'bwrap'" in found[0].detail


def test_a_template_that_cannot_fork_a_kernel_is_one_line_with_what_to_do(monkeypatch):
    def broken(limits, backend=None):
        raise RuntimeError("the template kernel did not start within 60 s")

    monkeypatch.setattr(doctor_template, "probe", broken)
    found = doctor_template.section(LIMITS)
    assert [check.name for check in found] == ["template kernel"] and not found[0].ok
    assert "did not start" in found[0].detail and "AUTOGRADER_TEMPLATE_LOG" in found[0].detail


def test_the_chosen_template_backend_is_probed_itself_and_its_lines_are_required(monkeypatch):
    from autograder.run import backends

    probed = []
    monkeypatch.setattr(doctor_template, "probe", lambda limits, backend=None: probed.append(backend) or GOOD)
    chosen = backends.Template(packages=("dlcourse",))
    found = doctor._template(LIMITS, chosen)
    assert probed == [chosen] and len(found) == 7
    assert [check.name for check in found if not check.required] == ["template seccomp"]  # never required


@pytest.mark.parametrize("cgroup_version", [1, 2])
def test_with_bwrap_chosen_the_template_lines_follow_the_template_backends_own_require(monkeypatch, cgroup_version):
    """Whatever the cgroup version or user: the template's lines (for information) when its ``require`` passes,
    as ``make demo`` then picks it; else one line with the reason ``require`` gives."""
    from autograder.run import backends, cgroups, sandbox

    group = cgroups.V2 if cgroup_version == 2 else cgroups.V1
    monkeypatch.setattr(sandbox, "cgroup_backend", lambda: (object.__new__(group), f"cgroup v{cgroup_version}"))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    asked = []

    def passes(self, allow_weaker=True):
        asked.append(self.packages)

    def view(limits, backend=None):
        backend.require()
        return GOOD

    monkeypatch.setattr(backends.Template, "require", passes)
    monkeypatch.setattr(doctor_template, "probe", view)
    found = doctor._template(LIMITS, backends.Bubblewrap(packages=("dlcourse",)))
    assert asked == [("dlcourse",)], "the template is asked with the chosen backend's kernel packages"
    assert [check.name for check in found][0] == "template PID namespace" and len(found) == 7
    assert all(check.ok and not check.required for check in found)

    def refuses(self, allow_weaker=True):
        raise sandbox.SandboxUnavailable("the template cannot run here: a reason only require knows")

    monkeypatch.setattr(backends.Template, "require", refuses)
    found = doctor._template(LIMITS, backends.Bubblewrap())
    assert [check.name for check in found] == ["template backend"] and not found[0].ok
    assert not found[0].required and not doctor.weaker(found)
    assert "a reason only require knows" in found[0].line() and found[0].line().strip().startswith("absent")
