"""``python -m autograder doctor``: what isolation grading gets on this host, each part in force or
missing with the reason and the fix.

Each namespace and cap is probed for real, never inferred from the kernel version: every probe is a tiny
command run by the sandbox backend grading uses (``c.Autograder.sandbox``, ``autograder.run.backends``), in a
sandbox made by the very code that makes a grading kernel's (``autograder.run.probe``: its cgroup, its tmpfs,
its command line), so there is no second copy of the flags to drift.
The exit status is 0 when grading gets all that the README promises (its own user, PID and network
namespaces, a read-only system, caps on processes, memory, CPU time, open files and file size), 1
otherwise; the CPU share, the work folder's caps and the seccomp filter are reported, in force or absent
with the reason, without changing it (an ordinary user without a delegated cgroup cannot have them). With the
template backend chosen it also forks one kernel from a template and checks from inside it what
docs/template-kernels.md promises (``autograder.tools.doctor_template``); with bubblewrap chosen it does the
same for information when the template backend's own ``require`` passes, and else prints the reason it gives.
"""

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import DEFAULTS, Limits
from autograder.run import backends, probe, sandbox, seccomp

APPARMOR_SYSCTL = Path("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")


@dataclass(frozen=True)
class Check:
    """One part of the isolation."""

    name: str
    ok: bool
    detail: str
    required: bool = True  # a missing required part makes ``doctor`` exit 1

    def line(self) -> str:
        mark = "in force" if self.ok else ("MISSING " if self.required else "absent  ")
        return f"  {mark}  {self.name:<24} {self.detail}"


def _run(backend, args: list[str], limits: Limits) -> probe.Probe:
    """``args`` run by ``backend`` in a sandbox made as a grading kernel's (a failure to start is a probe
    with return code 1 and the reason on stderr)."""
    try:
        return backend.probe(args, limits, timeout=30)
    except Exception as error:  # noqa: BLE001 - reported, never raised
        return probe.Probe(1, "", f"{type(error).__name__}: {error}", None, False, "")


def _apparmor_hint() -> str:
    if APPARMOR_SYSCTL.exists() and APPARMOR_SYSCTL.read_text().strip() == "1":
        return ("AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later): allow bwrap with an "
                "AppArmor profile for /usr/bin/bwrap (`abi <abi/4.0>, profile bwrap /usr/bin/bwrap flags=(unconfined) "
                "{ userns, }` in /etc/apparmor.d/bwrap, then `apparmor_parser -r /etc/apparmor.d/bwrap`), or "
                "`sysctl kernel.apparmor_restrict_unprivileged_userns=0`")
    return ""


def checks(limits: Limits = DEFAULTS, backend=None) -> list[Check]:
    """Probe this host through ``backend`` (default: bubblewrap), the object grading launches kernels with."""
    backend = backends.backend(backend or backends.SandboxMode.BWRAP)
    out = [Check("user", True, f"uid {os.geteuid()} ({'root' if os.geteuid() == 0 else 'an ordinary user'})",
                 required=False)]
    if not backend.isolated:
        return out + [Check("sandbox", False, f"{backend.summary(limits)} (c.Autograder.sandbox = "
                            f"{backend.name!r}); use the bwrap backend to isolate student code")]
    if not isinstance(backend, backends.Bubblewrap):
        return out + probed(limits, backend)
    if sandbox.bwrap_path() is None:
        return out + [Check("bubblewrap", False, "bwrap is not installed: apt-get install bubblewrap (as root, "
                            "`make setup` does it)")]
    out.append(Check("bubblewrap", True, sandbox.bwrap_path()))
    started = _run(backend, ["/usr/bin/id", "-u"], limits)
    if started.returncode != 0:
        reason = started.stderr.strip().splitlines()[-1] if started.stderr.strip() else "failed"
        hint = _apparmor_hint()
        return out + [Check("user namespace", False, f"bwrap cannot start a sandbox: {reason}"
                            + (f". {hint}" if hint else ""))]
    out.append(Check("user namespace", started.stdout.strip() == "65534",
                     "the kernel runs as uid 65534 (nobody) in its own user namespace"))
    pids = _run(backend, ["/bin/ls", "/proc"], limits)
    count = sum(name.isdigit() for name in pids.stdout.split()) if pids.returncode == 0 else 0
    out.append(Check("PID namespace", 0 < count <= 3, f"{count} processes visible inside (only its own)"))
    net = _run(backend, ["/bin/cat", "/proc/net/dev"], limits)
    interfaces = [line.split(":")[0].strip() for line in net.stdout.splitlines()[2:] if ":" in line]
    out.append(Check("network namespace", net.returncode == 0 and interfaces == ["lo"],
                     f"interfaces inside: {', '.join(interfaces) or 'none'} (no network, only its own loopback)"))
    write = _run(backend, ["/bin/sh", "-c", "touch /usr/autograder-doctor-probe"], limits)
    out.append(Check("read-only system", write.returncode != 0, "/usr and the Python environment read-only"))
    cgroup, why = sandbox.cgroup_backend()
    out.append(Check("cgroup", cgroup is not None, why if cgroup is not None else f"none usable: {why}",
                     required=False))
    if cgroup is not None:
        out.append(Check("process cap", True, f"pids.max = {limits.processes} per kernel ({why})"))
        out.append(Check("memory cap", True, f"{limits.memory_bytes / (1 << 30):g} GiB per kernel ({why})"))
    else:
        prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
        has = Path(prlimit).exists()
        if os.geteuid() == 0:  # the kernel's uid maps to root outside, and Linux exempts root from RLIMIT_NPROC
            out.append(Check("process cap", False, f"prlimit --nproc={limits.processes} does not apply as root "
                             "(Linux exempts root's processes from RLIMIT_NPROC) and no cgroup can be written: "
                             f"{why}. Grade as an ordinary user, or give root a writable cgroup"))
        else:
            out.append(Check("process cap", has, f"prlimit --nproc={limits.processes}, counted in the kernel's "
                             "user namespace (weaker than a cgroup: a per-user count, not a group)"))
        address_space = f"{2 * limits.memory_bytes / (1 << 30):g} GiB"
        out.append(Check("memory cap", has, f"prlimit --as={address_space} of address space "
                         "(weaker than a cgroup: virtual, not resident, memory; a memory kill is reported as "
                         "MemoryError or a crash)"))
    has_prlimit = Path("/usr/bin/prlimit").exists()
    out.append(Check("CPU and file caps", has_prlimit,
                     f"prlimit: CPU seconds, {limits.open_files} open files, files ≤ {limits.file_bytes >> 20} MiB, "
                     "no core dumps" if has_prlimit else "prlimit (util-linux) is missing"))
    return out + probed(limits, backend) + _template(limits, backend)


def _template(limits: Limits, backend: backends.Bubblewrap) -> list[Check]:
    """The template backend's lines (``autograder.tools.doctor_template``): required when it is chosen; else,
    for information, one kernel forked from the template backend with ``backend``'s packages when that
    backend's own ``require`` passes (what ``make demo`` asks when it picks one), or the reason it gives."""
    from autograder.tools import doctor_template

    if isinstance(backend, backends.Template):
        return doctor_template.section(limits, required=True, backend=backend)
    return doctor_template.section(limits, required=False, backend=backends.Template(packages=backend.packages))


# run inside the probe sandbox: what the kernel sees of its caps, as JSON
PROBE = r"""
import ctypes, json, os, time
def fs(path):
    st = os.statvfs(path)
    return [st.f_blocks * st.f_frsize, st.f_files]
libc = ctypes.CDLL(None, use_errno=True)
userns = "allowed" if libc.unshare(0x10000000) == 0 else os.strerror(ctypes.get_errno())
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
begin, cpu0 = time.time(), os.times()
children = []
for _ in range(3):  # more spinners than this host's share: what they get together is the CPU cap
    pid = os.fork()
    if pid == 0:
        end = time.time() + 1.5
        while time.time() < end:
            pass
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
cpu = os.times()
cores = (cpu.children_user + cpu.children_system - cpu0.children_user - cpu0.children_system) / (time.time() - begin)
print(json.dumps({"work": fs("."), "tmp": fs("/tmp"), "userns": userns, "cores": cores,
                  "seccomp": status.get("Seccomp", "").strip(), "filters": status.get("Seccomp_filters", "").strip()}))
"""


def probed(limits: Limits, backend=None) -> list[Check]:
    """The caps read from inside a sandbox made as a grading kernel's is (by ``backend``, default bubblewrap)."""
    try:
        found = backends.backend(backend or backends.SandboxMode.BWRAP).probe([sys.executable, "-c", PROBE], limits)
        seen = json.loads(found.stdout.strip().splitlines()[-1])
    except Exception as error:  # noqa: BLE001 - any failure is reported, never raised
        return [Check("probe sandbox", False, f"a sandbox like a grading kernel's did not run the probe: "
                      f"{type(error).__name__}: {str(error)[:200]}")]
    out = []
    if found.cpu_setting:
        out.append(Check("CPU share", True, f"{limits.cpu_cores:g} core per kernel ({found.cpu_setting}); "
                         f"measured: 3 spinning processes got {seen['cores']:.2f} cores", required=False))
    else:
        _, why = sandbox.cgroup_backend()
        out.append(Check("CPU share", False, "none: no writable cgroup cpu controller "
                         f"({why if found.group is None else 'the cgroup has no cpu controller'}); measured: 3 "
                         f"spinning processes got {seen['cores']:.2f} cores", required=False))
    size, files = seen["work"]
    if found.mounted:
        out.append(Check("work folder cap", True, f"{size / (1 << 20):g} MiB and {files} files (a tmpfs mounted on "
                         "the kernel's folder)", required=False))
    else:
        out.append(Check("work folder cap", False, "none: mounting a sized tmpfs needs root; the kernel's folder "
                         f"is on the host's disk, each file capped at {limits.file_bytes >> 20} MiB by prlimit",
                         required=False))
    tmp_size, _ = seen["tmp"]
    out.append(Check("/tmp cap", tmp_size <= limits.disk_bytes, f"{tmp_size / (1 << 20):g} MiB private tmpfs"
                     + ("" if sandbox.features().get("size") else " (this bubblewrap has no --size)"), required=False))
    blocked = seen["userns"] != "allowed"
    out.append(Check("nested user namespaces", blocked, "a user namespace inside the sandbox: "
                     + (f"refused ({seen['userns']})" if blocked else "allowed (bubblewrap before 0.8 has no "
                                                                          "--disable-userns)"), required=False))
    filtered = seen["seccomp"] == "2"
    why_not = seccomp.supported() or ("" if sandbox.features().get("seccomp") else "this bubblewrap has no --seccomp")
    out.append(Check("seccomp filter", filtered,
                     f"{len(seccomp.DENIED)} system calls denied (namespaces, mounts, ptrace, bpf, io_uring, "
                     "keyrings, modules ...)" if filtered else f"none: {why_not or 'not loaded'}", required=False))
    return out


def weaker(found: list[Check]) -> bool:
    """Does grading get less than the README promises?"""
    return any(c.required and not c.ok for c in found)


def main(limits: Limits = DEFAULTS, backend=None) -> int:
    found = checks(limits, backend)
    print("Isolation of student kernels on this host:")
    for check in found:
        print(check.line())
    backend, why = sandbox.cgroup_backend()
    if backend is None and not weaker(found):
        print("Caps hold, but without cgroups: for cgroup caps run as root, or in a delegated scope "
              "(systemd-run --user --scope -p Delegate=yes python -m autograder grade ...).")
    if weaker(found):
        print("Grading would run with less isolation than the README promises (see MISSING above).")
        return 1
    print("Grading gets every part of the isolation the README promises.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

