"""The sandboxed kernel's command line, read without running it: namespaces, binds, environment, and
which caps apply with and without a cgroup."""

import subprocess
from pathlib import Path

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


def _venv_with_second_site_packages(tmp_path):
    """A virtual environment whose ``.pth`` file lists a second site-packages folder (the wheel test's
    set-up) holding ``second_pkg``: (its python, that folder)."""
    venv, second = tmp_path / "venv", tmp_path / "main-env" / "site-packages"
    subprocess.run([sandbox.sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    second.mkdir(parents=True)
    (second / "second_pkg.py").write_text("WHERE = 'second site-packages'\n")
    python = venv / "bin" / "python"
    site_dir = Path(subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"], check=True,
                                   capture_output=True, text=True, timeout=60).stdout.strip())
    (site_dir / "second.pth").write_text(f"# the main environment\n{second}\n")
    return python, second


def test_the_search_path_is_asked_of_the_kernels_interpreter_and_nothing_else_is_bound(tmp_path, monkeypatch):
    """The folder a venv's ``.pth`` adds is bound, because the interpreter reports it on ``sys.path``; the
    course folder on this process's ``sys.path`` and ``PYTHONPATH`` (a course root) is not."""
    python, second = _venv_with_second_site_packages(tmp_path)
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    monkeypatch.setattr(sandbox.sys, "path", [str(course), *sandbox.sys.path])
    monkeypatch.setenv("PYTHONPATH", str(course))
    asked = sandbox.ask_interpreter(str(python))
    assert second in asked.path and course not in asked.path
    assert asked.prefix == tmp_path / "venv" and asked.base_prefix != asked.prefix
    dirs = sandbox.python_dirs(str(python))
    assert set(dirs) == {asked.base_prefix, asked.prefix, *sandbox._package_dirs(), second}
    assert len(dirs) == len(set(dirs))  # the venv's own site-packages is listed, yet bound once (in the venv)
    bound = _ro_binds(sandbox.sandboxed_argv(tmp_path / "scratch", {}, Limits(), None, [str(python)],
                                             sandbox.Binds(read_only=dirs)))
    usr = {"/usr", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts"}
    fonts = {b for b in bound if b.endswith(".json") and "matplotlib" in b}
    assert bound - usr - fonts == {str(d) for d in dirs}


def test_the_interpreter_is_asked_once_per_process(monkeypatch):
    sandbox.ask_interpreter(sandbox.sys.executable)
    monkeypatch.setattr(sandbox.subprocess, "run", lambda *a, **k: pytest.fail("asked twice"))
    assert sandbox.ask_interpreter(sandbox.sys.executable).prefix == Path(sandbox.sys.prefix)


def test_an_interpreter_that_cannot_answer_is_a_sentence(tmp_path):
    with pytest.raises(sandbox.SandboxUnavailable, match="could not ask the kernel's interpreter .*make setup"):
        sandbox.ask_interpreter(str(tmp_path / "no-python"))


@pytest.mark.skipif(sandbox.bwrap_path() is None, reason="needs bubblewrap")
def test_the_sandboxed_interpreter_imports_from_the_second_site_packages_and_not_the_course(tmp_path, monkeypatch):
    python, second = _venv_with_second_site_packages(tmp_path)
    course = tmp_path / "course"
    course.mkdir()
    (course / "course_secret.py").write_text("X = 1\n")
    monkeypatch.setattr(sandbox.sys, "path", [str(course), *sandbox.sys.path])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    code = ("import importlib.util, second_pkg; print(second_pkg.WHERE); "
            "print(importlib.util.find_spec('course_secret') is None)")
    argv = sandbox.sandboxed_argv(scratch, {}, Limits(), None, [str(python), "-c", code],
                                  sandbox.Binds(read_only=sandbox.python_dirs(str(python))))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["second site-packages", "True"]


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


def _course(root: Path) -> Path:
    (root / "source" / "a1").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    return root


def test_a_folder_holding_course_files_is_recognised_and_one_beside_them_is_not(tmp_path):
    course = _course(tmp_path / "work" / "course")
    (course / "src").mkdir()
    roots = [course]
    for entry in (course, tmp_path / "work", tmp_path, course / "source", course / "source" / "a1", course / "grading"):
        assert sandbox.holds_course_files(entry, roots), entry
    for entry in (course / "src", tmp_path / "work" / "other"):
        assert not sandbox.holds_course_files(entry, roots), entry
    unknown = _course(tmp_path / "elsewhere")  # a course root this grader was not told of: nbgrader_config.py
    assert sandbox.holds_course_files(unknown, []) and not sandbox.holds_course_files(unknown / "source", [])


def test_a_course_root_on_the_search_path_is_bound_only_as_its_packages(tmp_path, monkeypatch):
    course = _course(tmp_path / "course")
    (course / "helpers").mkdir()
    (course / "helpers" / "__init__.py").write_text("")
    lib = tmp_path / "lib"
    lib.mkdir()
    asked = sandbox.Interpreter(Path(sandbox.sys.prefix), Path(sandbox.sys.base_prefix), (course, lib))
    monkeypatch.setattr(sandbox, "ask_interpreter", lambda python: asked)
    monkeypatch.chdir(course)
    dirs = sandbox.python_dirs()
    assert course not in dirs and lib in dirs, dirs
    monkeypatch.setattr(sandbox.sys, "path", [str(course), *sandbox.sys.path])  # as `python -m` puts it first
    dirs = sandbox.python_dirs(packages=("helpers",))
    assert course / "helpers" in dirs and course not in dirs, dirs


def test_an_environment_holding_the_course_is_refused_with_a_sentence(tmp_path, monkeypatch):
    course = _course(tmp_path / "course")
    asked = sandbox.Interpreter(course, Path(sandbox.sys.base_prefix), ())
    monkeypatch.setattr(sandbox, "ask_interpreter", lambda python: asked)
    with pytest.raises(sandbox.SandboxUnavailable, match="holds the course folder.*folder of its own"):
        sandbox.python_dirs()


def test_the_course_a_grader_runs_inside_is_known_from_a_subfolder(tmp_path, monkeypatch):
    course = _course(tmp_path / "course")
    monkeypatch.chdir(course / "source" / "a1")
    assert course in sandbox.course_roots([])
    monkeypatch.chdir(tmp_path)
    assert course not in sandbox.course_roots([]) and course in sandbox.course_roots([course / "helpers"])
