"""``doctor``'s probe of the template backend (``c.Autograder.sandbox = "template"``, ``autograder.run.template``).

It forks one kernel from a template, exactly as grading does, runs one cell in it that reports what the kernel
sees of itself (``KernelView``), and reads the kernel's cgroup from the host while it runs. ``checks`` turns
that view into one line per promise of docs/template-kernels.md: its own PID namespace where it is the child
of PID 1 and sees no other process; no capabilities; no_new_privs and the seccomp filter; its own cgroup with
the memory and process caps; a fresh /tmp where no host file shows; no network. Each failing line says what
is wrong and what to do. ``checks`` is a pure function of the view, so a failing view can be fed to it.
"""

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.config import Limits

CAPS = ("CapEff", "CapPrm", "CapInh", "CapAmb")
FALLBACK = "use c.Autograder.sandbox = 'bwrap' until it is fixed"

# run in the forked kernel: what it sees of itself, as JSON (the host paths it must not see are filled in)
CELL = r"""import json, os, socket
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
reached = []
for host in ("127.0.0.1", "192.0.2.1"):  # its loopback and an address outside (UDP: a route, no packet)
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect((host, 9))
        reached.append(host)
    except OSError:
        pass
    finally:
        probe.close()
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(),
                  "procs": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
                  "status": {key: status.get(key, "").strip() for key in %(keys)r},
                  "cgroup": open("/proc/self/cgroup").read(), "tmp": sorted(os.listdir("/tmp")),
                  "host_files": [path for path in %(host_files)r if os.path.exists(path)],
                  "interfaces": [line.split(":")[0].strip() for line in open("/proc/net/dev").read().splitlines()[2:]
                                 if ":" in line],
                  "reached": reached}))
"""


@dataclass(frozen=True)
class KernelView:
    """What one kernel forked from a template reported about itself (``CELL``) and what the host read of its
    cgroup while it ran."""

    pid: int
    ppid: int
    procs: tuple[int, ...]
    status: dict  # CapEff, CapPrm, CapInh, CapAmb, NoNewPrivs, Seccomp as /proc/self/status writes them
    cgroup: str  # its /proc/self/cgroup
    tmp: tuple[str, ...]  # what its /tmp lists
    allowed_tmp: frozenset[str]  # what a fresh /tmp may list: IPython's, matplotlib's, the path to its folder
    host_files: tuple[str, ...]  # the host's files it could see (a file in the host's /tmp, a sibling's folder)
    interfaces: tuple[str, ...]
    reached: tuple[str, ...]  # addresses a UDP socket could route to
    group: str  # its cgroup's folder name ("" without cgroups)
    in_group: bool  # the host sees its PID in that group
    memory_cap: int | None  # bytes, from the group's files
    pids_cap: int | None


def checks(view: KernelView, limits: Limits, required: bool = True) -> list:
    """One ``doctor.Check`` per promise of docs/template-kernels.md, read from ``view``."""
    from autograder.tools.doctor import Check

    alone = view.pid == 2 and view.ppid == 1 and view.procs == (1, 2)
    caps = {key: view.status.get(key, "?") for key in CAPS}
    no_caps = set(caps.values()) == {"0000000000000000"}
    no_new_privs, filtered = view.status.get("NoNewPrivs") == "1", view.status.get("Seccomp") == "2"
    in_cgroup = bool(view.group) and view.in_group and view.group in view.cgroup
    capped = view.memory_cap == limits.memory_bytes and view.pids_cap == limits.processes
    extra = sorted(set(view.tmp) - view.allowed_tmp)
    offline = not view.reached and set(view.interfaces) <= {"lo"}
    return [
        Check("template PID namespace", alone,
              f"the kernel is PID {view.pid}, child of PID {view.ppid}, and sees processes {list(view.procs)}"
              + ("" if alone else f": it is not alone in a PID namespace of its own; {FALLBACK}"), required),
        Check("template capabilities", no_caps,
              "none (CapEff, CapPrm, CapInh, CapAmb all 0)" if no_caps else
              f"the kernel keeps capabilities {caps}: lock_down did not drop them; {FALLBACK}", required),
        Check("template no_new_privs", no_new_privs,
              "set" if no_new_privs else f"not set (NoNewPrivs {view.status.get('NoNewPrivs')!r}); {FALLBACK}",
              required),
        Check("template seccomp", filtered,
              "the seccomp filter is loaded (Seccomp 2)" if filtered else
              f"no seccomp filter (Seccomp {view.status.get('Seccomp')!r}): this bubblewrap or kernel has none "
              "(bubblewrap 0.8 or later, Linux with seccomp); the bwrap backend lacks it too", False),
        Check("template cgroup", in_cgroup and capped,
              f"its own group {view.group}: memory ≤ {limits.memory_bytes / (1 << 30):g} GiB, processes ≤ "
              f"{limits.processes}" if in_cgroup and capped else
              ("the kernel is not in a cgroup of its own (no writable cgroup here, or it was not moved into "
               "one): run doctor with --sandbox bwrap for why" if not in_cgroup else
               f"its group {view.group} caps memory at {view.memory_cap} and processes at {view.pids_cap}, not "
               f"{limits.memory_bytes} and {limits.processes}: the cgroup controllers refused the caps") +
              f"; {FALLBACK}", required),
        Check("template /tmp", not view.host_files and not extra,
              "fresh: no host file, nothing but its own folders" if not view.host_files and not extra else
              f"the kernel's /tmp shows {[*view.host_files, *extra]} of the host or another kernel; {FALLBACK}",
              required),
        Check("template network", offline,
              f"interfaces {list(view.interfaces) or 'none'}, all down: no address routable" if offline else
              f"the kernel can route to {list(view.reached)} (interfaces {list(view.interfaces)}); {FALLBACK}",
              required),
    ]


def probe(limits: Limits, backend=None) -> KernelView:
    """Fork one kernel from a template by ``backend`` (a ``backends.Template``; default: one given the course's
    default packages) as grading does, run ``CELL`` in it and read its cgroup. Raises
    ``SandboxUnavailable`` with the backend's own reason when its ``require`` refuses this host."""
    from autograder.judge.scoring import grading_env
    from autograder.run import template
    from autograder.run.backends import Template

    backend = backend or Template()
    backend.require()
    slots = template.slots()
    host_file = Path(tempfile.mkstemp(prefix="autograder-doctor-host-", dir="/tmp")[1])
    sibling = Path(tempfile.mkdtemp(prefix=f"kernel-{os.getpid()}-doctor-", dir=slots))
    (sibling / "decoy").write_text("another kernel's file")
    folder = Path(tempfile.mkdtemp(prefix=f"kernel-{os.getpid()}-", dir=slots))
    kernel = None
    try:
        kernel = backend.launch(folder, grading_env(), limits, owns_folder=True)
        cell = CELL % {"keys": (*CAPS, "NoNewPrivs", "Seccomp"), "host_files": [str(host_file), str(sibling / "decoy")]}
        run = kernel.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), limits)
        outputs = run.notebook.cells[0].outputs
        text = "".join(out.get("text", "") for out in outputs if out.get("name") == "stdout")
        if not text.strip():
            errors = [f"{out.get('ename')}: {out.get('evalue')}" for out in outputs
                      if out.get("output_type") == "error"]
            raise RuntimeError(f"the probe cell printed nothing ({run.status}: {run.reason or errors})")
        seen = json.loads(text.strip().splitlines()[-1])
        pid = kernel.manager.provisioner.process.pid
        group = kernel.group
        return KernelView(seen["pid"], seen["ppid"], tuple(seen["procs"]), seen["status"], seen["cgroup"],
                          tuple(seen["tmp"]), frozenset({".ipython", "matplotlib", folder.parent.name,
                                                         *_installed_tops(backend.packages)}),
                          tuple(seen["host_files"]), tuple(seen["interfaces"]), tuple(seen["reached"]),
                          group.folders[0].name if group else "",
                          group is not None and all(str(pid) in Path(p).read_text().split() for p in group.procs_files),
                          *_caps(group))
    finally:
        if kernel is not None:
            kernel.close()
        else:
            shutil.rmtree(folder, ignore_errors=True)
        template.close_templates()
        shutil.rmtree(sibling, ignore_errors=True)
        host_file.unlink(missing_ok=True)


def _installed_tops(packages: tuple[str, ...] | None) -> set[str]:
    """The first folder under /tmp of each installed folder bound back there (a course installed under /tmp)."""
    from autograder.run import sandbox, zygote

    folders = sandbox.python_dirs(packages=packages)
    return {Path(folder).parts[2] for folder in zygote.covered([str(f) for f in folders])}


def _caps(group) -> tuple[int | None, int | None]:
    """The memory and process caps of ``group`` as its files say (None where unreadable or unlimited)."""
    if group is None:
        return None, None
    if group.version == 2:
        memory, pids = group.folders[0] / "memory.max", group.folders[0] / "pids.max"
    else:
        by = {folder.parent.name: folder for folder in group.folders}
        memory = by.get("memory", Path("/nonexistent")) / "memory.limit_in_bytes"
        pids = by.get("pids", Path("/nonexistent")) / "pids.max"
    return _number(memory), _number(pids)


def _number(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def section(limits: Limits, required: bool = True, backend=None) -> list:
    """The template backend's lines of ``doctor``: why it cannot run here (the reason ``backend.require``
    gives, the one check grading and ``make demo`` ask), or one line per promise."""
    from autograder.run.sandbox import SandboxUnavailable
    from autograder.tools.doctor import Check

    try:
        view = probe(limits, backend)
    except SandboxUnavailable as why:
        return [Check("template backend", False, str(why), required)]
    except Exception as error:  # noqa: BLE001 - reported, never raised
        return [Check("template kernel", False, f"no kernel could be forked from a template ({type(error).__name__}: "
                      f"{str(error)[:200]}); set AUTOGRADER_TEMPLATE_LOG=/tmp/template.log to read the template's "
                      f"errors, and {FALLBACK}", required)]
    return checks(view, limits, required)
