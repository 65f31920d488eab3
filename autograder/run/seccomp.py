"""A seccomp filter for sandboxed kernels: the system calls a notebook never needs and an attack on the
host's kernel often does fail with ``EPERM``.

Written by hand as a classic BPF program (``struct sock_filter`` records, 8 bytes each), which is what
bubblewrap's ``--seccomp FD`` loads, so no library is needed. It checks the architecture first (x86-64
only; a call made through the x32 or 32-bit ABI fails too), then denies:

- new namespaces and mounts (``unshare``, ``setns``, ``mount`` and the new mount API, ``pivot_root``,
  ``chroot``): nested user namespaces are the usual door to kernel bugs (bubblewrap's
  ``--disable-userns`` closes ``clone`` with ``CLONE_NEWUSER`` as well);
- looking into or driving other processes and the kernel (``ptrace``, ``process_vm_readv/writev``,
  ``perf_event_open``, ``bpf``, ``userfaultfd``, ``io_uring``, ``keyctl`` and friends, ``syslog``);
- administration (modules, ``kexec``, ``reboot``, swap, quotas, ``acct``, ``open_by_handle_at``).

Every other call is allowed: numpy, torch, matplotlib and ipykernel run unchanged. On another
architecture there is no filter, and ``doctor`` says so.
"""

import os
import platform
import struct
import tempfile
from pathlib import Path

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
EPERM = 1

# x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl)
DENIED = {
    "ptrace": 101, "syslog": 103, "vhangup": 153, "pivot_root": 155, "chroot": 161, "acct": 163, "mount": 165,
    "umount2": 166, "swapon": 167, "swapoff": 168, "reboot": 169, "init_module": 175, "delete_module": 176,
    "quotactl": 179, "lookup_dcookie": 212, "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250,
    "unshare": 272, "perf_event_open": 298, "name_to_handle_at": 303, "open_by_handle_at": 304, "setns": 308,
    "process_vm_readv": 310, "process_vm_writev": 311, "finit_module": 313, "kexec_file_load": 320, "bpf": 321,
    "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
}

# classic BPF opcodes
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000


def _op(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def supported() -> str | None:
    """None when a filter is built for this machine, else why not."""
    machine = platform.machine()
    return None if machine in ("x86_64", "AMD64") else f"no filter is written for {machine} (x86-64 only)"


def program() -> bytes:
    """The filter: offset 4 of ``struct seccomp_data`` is the architecture, offset 0 the call's number."""
    deny = RET_ERRNO | EPERM
    numbers = sorted(DENIED.values())
    body = [_op(_LD_W_ABS, 0, 0, 4),
            _op(_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
            _op(_RET_K, 0, 0, deny),  # another architecture's calling convention
            _op(_LD_W_ABS, 0, 0, 0),
            _op(_JGE_K, len(numbers) + 1, 0, X32_SYSCALL_BIT)]  # x32 calls: to the final deny
    for position, number in enumerate(numbers):
        body.append(_op(_JEQ_K, len(numbers) - position, 0, number))  # jump to the deny after the allow
    body += [_op(_RET_K, 0, 0, RET_ALLOW), _op(_RET_K, 0, 0, deny)]
    return b"".join(body)


_FILES: dict[int, Path] = {}  # by process id


def filter_file() -> Path | None:
    """The filter written once per process to a file every user may read (the sandbox's shell opens it as
    the descriptor bubblewrap reads), or None where there is no filter."""
    if supported() is not None:
        return None
    if os.getpid() not in _FILES:
        import multiprocessing.util

        handle, name = tempfile.mkstemp(prefix="autograder-seccomp-", suffix=".bpf")
        with os.fdopen(handle, "wb") as out:
            out.write(program())
        os.chmod(name, 0o644)
        multiprocessing.util.Finalize(None, os.unlink, args=(name,), exitpriority=0)
        _FILES[os.getpid()] = Path(name)
    return _FILES[os.getpid()]
