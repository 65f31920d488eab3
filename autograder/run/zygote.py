"""The template kernel's process, inside its own bubblewrap sandbox: imports once, forks a kernel per run.

Started by ``autograder.run.template`` before any student file exists, it imports the modules the assignment's
given code imports (``AUTOGRADER_PRELOAD``) and ipykernel's machinery, creates nothing else (no zmq
context, no event loop, no thread, no file), and waits on its control socket. Each request names a fresh
work folder and socket folder (bound into this sandbox through a shared mount, under ``slots``) and comes
with one end of a socket pair for the new kernel. For each it forks:

- C0 (stays in this PID namespace, dies with the template): new mount, PID, network, IPC and UTS
  namespaces; mounts made private; a fresh capped tmpfs on ``/tmp`` (hiding every other kernel's folder
  and the template's own ``/tmp``) and on ``/dev/shm``; only its own two folders bound back, and read-only
  the installation's folders that lie under ``/tmp`` (``AUTOGRADER_TEMPLATE_READ_ONLY``: a clone there);
- C1, PID 1 of the new PID namespace: a fresh ``/proc`` (only its own processes), then non-dumpable,
  capabilities dropped and the seccomp filter; it reaps and ends the namespace when the kernel ends;
- C2, the kernel: tells the grader it is ready over its socket (the grader reads its PID from the
  socket's credentials and moves it into its own cgroup), waits for the grader's go, then closes every
  inherited descriptor, sets its rlimits, drops every capability, sets no_new_privs, loads the seccomp
  filter, reseeds ``random``, numpy and torch from ``os.urandom`` (as a fresh process would be seeded),
  enters its folder and starts ipykernel (its sockets, event loop and zmq context made here, after fork).

Nothing of a student's runs before all of that. Grading's side: ``autograder.run.template``.
"""

import array
import ctypes
import json
import os
import resource
import signal
import socket
import sys

from autograder.run import kernel_launcher

FD_ENV = "AUTOGRADER_TEMPLATE_FD"
READ_ONLY_ENV = "AUTOGRADER_TEMPLATE_READ_ONLY"  # JSON list: the installation's folders under /tmp, bound back
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 4096, 16384, 1 << 18
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 32, 1024, 2048, 1 << 21
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 1, 4, 22, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SECCOMP_MODE_FILTER = 2
_LIBC = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda text: None if text is None else os.fsencode(text))
    _check(_LIBC.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _prctl(option: int, value: int) -> None:
    _check(_LIBC.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def lock_down(bpf: bytes | None) -> None:
    """Drop every capability (effective, permitted, inheritable, ambient), set no_new_privs and load the
    seccomp filter ``bpf`` (classic BPF, ``autograder.run.seccomp.program()``; None where there is none)."""
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    _check(_LIBC.capset(ctypes.byref(header), data), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if bpf:
        buffer = ctypes.create_string_buffer(bpf, len(bpf))
        program = _SockFprog(len(bpf) // 8, ctypes.cast(buffer, ctypes.c_void_p))
        _check(_LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0), "seccomp")


def _bind_fd(fd: int, target: str, directory: bool = True, read_only: bool = False) -> None:
    """Bind what ``fd`` (opened before ``/tmp`` was covered) refers to onto ``target``, made here; with
    ``read_only``, with what is mounted under it too, and read-only (checked: else it raises)."""
    if directory:
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "w").close()
    _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | (MS_REC if read_only else 0))
    os.close(fd)
    if read_only and not os.statvfs(target).f_flag & os.ST_RDONLY:
        _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _kept_flags(target))
        if not os.statvfs(target).f_flag & os.ST_RDONLY:
            raise OSError(f"{target} stayed writable after a read-only remount")


def _kept_flags(target: str) -> int:
    """The flags of the mount on ``target`` a remount must keep (Linux locks them in a user namespace)."""
    flag = os.statvfs(target).f_flag
    pairs = [(os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
             (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)]
    return sum(ms for st, ms in pairs if flag & st)


def covered(folders: list[str]) -> list[str]:
    """Those of ``folders`` that a fresh ``/tmp`` hides, outermost first, none inside another (a recursive
    bind of the outer one holds it)."""
    under = sorted({os.path.normpath(f) for f in folders if os.path.normpath(f).startswith("/tmp/")},
                   key=lambda f: (f.count("/"), f))
    out: list[str] = []
    for folder in under:
        if not any(folder.startswith(outer + "/") for outer in out):
            out.append(folder)
    return out


def _isolate(request: dict, installed: list[str]) -> None:
    """C0: new namespaces, a fresh /tmp and /dev/shm, only this kernel's folders bound back, and read-only the
    ``installed`` folders under /tmp (an interpreter, the harness or a course package installed there)."""
    _check(_LIBC.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing mounted for a sibling reaches this one any more
    keep = [(os.open(folder, os.O_PATH), folder, os.path.isdir(folder), True) for folder in installed]
    keep += [(os.open(request[key], os.O_PATH | os.O_DIRECTORY), request[key], True, False)
             for key in ("folder", "sockets")]
    if request.get("fonts"):
        keep.append((os.open(request["fonts"], os.O_PATH), request["fonts"], False, False))
    size = f"size={int(request['tmp_bytes'])}"
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=1777")
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=1777")
    os.makedirs("/tmp/matplotlib", exist_ok=True)
    for fd, target, directory, read_only in keep:
        _bind_fd(fd, target, directory, read_only)


def _reap_until(kernel: int) -> None:
    """C1, PID 1 of the kernel's namespace: reap every process until the kernel itself has ended (then the
    namespace ends: Linux kills whatever is left in it)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == kernel:
            return


def _reseed() -> None:
    """Seed what the template imported from fresh entropy, as a fresh interpreter would be."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(int.from_bytes(os.urandom(4), "little"))
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(int.from_bytes(os.urandom(8), "little") >> 1)


def _limit(request: dict) -> None:
    for name, value in request["rlimits"].items():
        resource.setrlimit(getattr(resource, name), (value, value))


def _kernel(request: dict, channel: socket.socket, bpf: bytes | None) -> None:
    """C2: wait to be moved into its cgroup, lock down, start ipykernel."""
    channel.sendall(b"ready")  # the grader reads this process's PID from the socket's credentials
    if channel.recv(16) != b"go":
        os._exit(3)
    channel.close()
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    _limit(request)
    lock_down(bpf)
    os.chdir(request["folder"])
    _reseed()
    import atexit

    from ipykernel import kernelapp

    from autograder.run.grading_kernel import GradingKernel

    try:
        kernelapp.launch_new_instance(argv=["-f", request["connection_file"], "--HistoryManager.hist_file=:memory:"],
                                      kernel_class=GradingKernel)
    finally:  # as an interpreter's exit would: ipykernel's close() sends what its sockets still hold
        atexit._run_exitfuncs()


def _spawn(request: dict, channel: socket.socket, bpf: bytes | None, installed: list[str]) -> None:
    """The forked C0 (never returns)."""
    code = 1
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _isolate(request, installed)
        first = os.fork()
        if first:  # C0: wait for the namespace's init, then go
            channel.close()
            code = os.waitstatus_to_exitcode(os.waitpid(first, 0)[1])
            return
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _mount("proc", "/proc", "proc", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)  # read-only as the template's
        os.setsid()  # a session and process group led by PID 1, as bubblewrap's kernels have
        kernel = os.fork()
        if kernel:  # C1
            channel.close()
            _prctl(PR_SET_DUMPABLE, 0)
            lock_down(bpf)
            _reap_until(kernel)
            code = 0
            return
        _kernel(request, channel, bpf)
        code = 0
    except BaseException as error:  # noqa: BLE001 - a forked child must never return into the template
        try:
            os.write(2, f"template child: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(code)


def _preload() -> None:
    kernel_launcher.preload()
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401

    import autograder.run.grading_kernel  # noqa: F401


def _receive(control: socket.socket) -> tuple[dict | None, socket.socket | None]:
    fds = array.array("i")
    message, ancillary, _, _ = control.recvmsg(1 << 16, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    if not message:
        return None, None
    return json.loads(message), socket.socket(fileno=fds[0]) if fds else None


def main() -> None:
    control = socket.socket(fileno=int(os.environ.pop(FD_ENV)))
    bpf_path = os.environ.pop("AUTOGRADER_TEMPLATE_BPF", "")
    bpf = open(bpf_path, "rb").read() if bpf_path else None
    installed = covered(json.loads(os.environ.pop(READ_ONLY_ENV, "[]")))
    _preload()
    control.sendall(b"ready")
    while True:
        request, channel = _receive(control)
        if request is None:
            return  # the grader closed its end: the template is done
        while True:  # reap the C0s of kernels that ended
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if channel is None:
            continue
        if os.fork() == 0:
            control.close()
            _spawn(request, channel, bpf, installed)
        channel.close()


if __name__ == "__main__":
    main()
