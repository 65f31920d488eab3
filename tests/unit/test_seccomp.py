"""The hand-written seccomp filter, run here by a small classic-BPF interpreter: the denied calls get
EPERM, everything else is allowed, another architecture and x32 calls are denied."""

import struct

from autograder.run import seccomp


def _run(program: bytes, nr: int, arch: int = seccomp.AUDIT_ARCH_X86_64) -> int:
    data = struct.pack("iI", nr, arch)
    ops = [struct.unpack("HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = ops[pc]
        if code == 0x20:
            acc = struct.unpack_from("I", data, k)[0]
        elif code in (0x15, 0x35):
            taken = acc == k if code == 0x15 else acc >= k
            pc += jt if taken else jf
        elif code == 0x06:
            return k
        else:
            raise AssertionError(f"unknown opcode {code:#x}")
        pc += 1


def test_denied_calls_fail_with_eperm_and_the_rest_pass():
    program = seccomp.program()
    deny, allow = seccomp.RET_ERRNO | seccomp.EPERM, seccomp.RET_ALLOW
    for name, nr in seccomp.DENIED.items():
        assert _run(program, nr) == deny, name
    for nr in (0, 1, 2, 9, 56, 57, 59, 60, 231, 257, 435):  # read write open mmap clone fork execve exit ...
        assert _run(program, nr) == allow, nr
    assert _run(program, 0 | seccomp.X32_SYSCALL_BIT) == deny
    assert _run(program, 0, arch=0x40000003) == deny  # i386


def test_every_jump_stays_inside_the_program():
    program = seccomp.program()
    count = len(program) // 8
    for index in range(count):
        code, jt, jf, _ = struct.unpack("HBBI", program[index * 8:index * 8 + 8])
        if code in (0x15, 0x35):
            assert index + 1 + max(jt, jf) < count
