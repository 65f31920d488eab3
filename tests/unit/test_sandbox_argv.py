"""The sandboxed kernel's command line, read without running it: namespaces, binds, environment, and
which caps apply with and without a cgroup."""

import pytest

from autograder.core.config import Limits
from autograder.run import cgroups, sandbox


def _group(tmp_path):
    return cgroups.KernelGroup([tmp_path / "pids" / "cgroup.procs", tmp_path / "memory" / "cgroup.procs"], 1 << 30,
                               1, [tmp_path / "pids", tmp_path / "memory"])


def test_kernel_runs_isolated_with_a_clean_environment(tmp_path):
    argv = sandbox.kernel_argv(tmp_path, {"SECRET_LOOKING": "x"}, Limits(notebook_seconds=100), _group(tmp_path))
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in argv
    assert argv[argv.index("--cap-drop") + 1] == "ALL" and argv[argv.index("--uid") + 1] == "65534"
    assert argv[argv.index("--tmpfs") + 1] == "/tmp" and argv.index("--tmpfs") < argv.index("--bind")
    assert argv[argv.index("--bind") + 1:argv.index("--bind") + 3] == [str(tmp_path), str(tmp_path)]
    bound = {argv[i + 1] for i, arg in enumerate(argv) if arg == "--ro-bind"}
    assert {str(p) for p in sandbox.python_dirs()} <= bound
    env = {argv[i + 1]: argv[i + 2] for i, arg in enumerate(argv) if arg == "--setenv"}
    assert env["OMP_NUM_THREADS"] == "1" and env["HOME"] == "/tmp" and env["SECRET_LOOKING"] == "x"
    assert argv[-6:] == [sandbox.sys.executable, "-m", "autograder.run.kernel_launcher", "-f", "{connection_file}",
                         "--HistoryManager.hist_file=:memory:"]
    assert "--cpu=130" in argv and f"--nofile={Limits().open_files}" in argv


def test_with_a_cgroup_the_kernel_enters_it_and_prlimit_caps_no_memory(tmp_path):
    argv = sandbox.kernel_argv(tmp_path, {}, Limits(), _group(tmp_path))
    assert argv[:2] == ["/bin/sh", "-c"]
    assert f"echo $$ > {tmp_path / 'pids' / 'cgroup.procs'} &&" in argv[2]
    assert f"echo $$ > {tmp_path / 'memory' / 'cgroup.procs'} &&" in argv[2]
    assert not any(arg.startswith(("--as=", "--nproc=")) for arg in argv)


def test_without_a_cgroup_prlimit_caps_processes_and_address_space(tmp_path):
    argv = sandbox.kernel_argv(tmp_path, {}, Limits(), None)
    assert "echo" not in argv[2]
    assert f"--nproc={Limits().processes}" in argv and f"--as={Limits().memory_bytes * 2}" in argv


def test_grading_refuses_without_cgroup_caps_unless_allowed(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(sandbox, "cgroup_backend", lambda: (None, "/sys/fs/cgroup/pids is not writable"))
    with pytest.raises(sandbox.SandboxUnavailable, match="doctor.*--allow-weaker-sandbox"):
        sandbox.require(sandbox.BWRAP, allow_weaker=False)
    sandbox.require(sandbox.BWRAP, allow_weaker=True)
    assert "prlimit --nproc" in sandbox.caps_summary()


def test_missing_bubblewrap_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.require(sandbox.BWRAP)


def _ro_binds(argv: list[str]) -> set[str]:
    return {argv[i + 1] for i, arg in enumerate(argv) if arg == "--ro-bind"}


def test_pth_dirs_reads_pth_files_as_site_does(tmp_path):
    site_dir, outside, relative = tmp_path / "site-packages", tmp_path / "other-env", tmp_path / "site-packages" / "sub"
    for folder in (site_dir, outside, relative):
        folder.mkdir(parents=True)
    (site_dir / "a.pth").write_text(f"# a comment\n\nimport os; os.environ\n{outside}\nsub\n{tmp_path / 'missing'}\n")
    (site_dir / "b.txt").write_text(f"{tmp_path}\n")  # not a .pth file
    assert sandbox.pth_dirs([site_dir]) == [outside, relative]


def test_packages_a_pth_file_adds_are_bound_and_nothing_else_of_sys_path(tmp_path, monkeypatch):
    """A venv whose .pth lists another environment's site-packages (the wheel test's set-up): the kernel
    imports from there, so it is bound; the current folder and PYTHONPATH entries (a course root) are not."""
    import site

    site_dir, other, course = tmp_path / "site-packages", tmp_path / "main-env" / "site-packages", tmp_path / "course"
    for folder in (site_dir, other, course / "source"):
        folder.mkdir(parents=True)
    inside = sandbox.Path(sandbox.sys.prefix)  # already bound: listed, yet not bound twice
    (site_dir / "main-env.pth").write_text(f"{other}\n{inside}\n")
    monkeypatch.setattr(site, "getsitepackages", lambda: [str(site_dir)])
    monkeypatch.setattr(sandbox.sys, "path", [str(course), str(site_dir), *sandbox.sys.path])
    dirs = sandbox.python_dirs()
    assert other in dirs and site_dir in dirs and dirs.count(inside) == 1
    assert course not in dirs and not any(d in (course, course / "source") for d in dirs)
    bound = _ro_binds(sandbox.kernel_argv(tmp_path / "scratch", {}, Limits(), None))
    assert str(other) in bound and str(course) not in bound
    assert not any(sandbox.Path(b) == sandbox.Path.home() for b in bound)


def test_newer_bubblewrap_options_are_used_where_the_installed_one_has_them(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "features", lambda: {"size": True, "disable-userns": True, "seccomp": True})
    argv = sandbox.kernel_argv(tmp_path, {}, Limits(disk_bytes=123 << 20), _group(tmp_path))
    assert argv[argv.index("--size") + 1:argv.index("--size") + 4] == [str(123 << 20), "--tmpfs", "/tmp"]
    assert {"--unshare-user", "--disable-userns", "--assert-userns-disabled"} <= set(argv)
    assert argv[argv.index("--seccomp") + 1] == "9" and " 9< " in argv[2]  # the shell opens the filter as fd 9
    monkeypatch.setattr(sandbox, "features", lambda: {})
    older = sandbox.kernel_argv(tmp_path, {}, Limits(), _group(tmp_path))
    assert not {"--size", "--disable-userns", "--seccomp"} & set(older) and "9<" not in older[2]


def test_without_a_cgroup_as_root_the_summary_says_nproc_does_not_apply(monkeypatch):
    monkeypatch.setattr(sandbox, "cgroup_backend", lambda: (None, "no cgroup"))
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    assert "exempts root" in sandbox.caps_summary()
