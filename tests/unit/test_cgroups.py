"""The cgroup backends against fake cgroup trees made here: what they write, what they read.

A real cgroupfs creates a group's interface files itself; in a fake tree the backend's writes create
them, so each test reads back exactly what the backend wrote.
"""

from pathlib import Path

import pytest

from autograder.run import cgroups


def _v2_tree(root: Path, controllers: str = "cpu io memory pids") -> Path:
    root.mkdir(exist_ok=True)
    (root / "cgroup.controllers").write_text(controllers + "\n")
    (root / "cgroup.subtree_control").write_text("")
    (root / "cgroup.procs").write_text("1\n")
    return root


def test_v2_as_root_caps_memory_and_processes_under_its_own_subtree(tmp_path):
    root = _v2_tree(tmp_path / "cg")
    backend = cgroups.V2(root, euid=0)
    assert backend.unavailable() is None
    backend.prepare()
    assert (root / "autograder").is_dir()
    assert set((root / "cgroup.subtree_control").read_text().split()) == {"+cpu", "+memory", "+pids"}
    assert set((root / "autograder" / "cgroup.subtree_control").read_text().split()) == {"+cpu", "+memory", "+pids"}
    # a fake tree's subtree_control holds what was written ("+cpu ..."); a real one lists "cpu memory pids"
    (root / "autograder" / "cgroup.subtree_control").write_text("cpu memory pids\n")
    group = backend.create("k2", 2 << 30, 128, cpu_cores=0.5)
    folder = root / "autograder" / "k2"
    assert (folder / "memory.max").read_text() == str(2 << 30)
    assert (folder / "pids.max").read_text() == "128"
    assert (folder / "cpu.max").read_text() == "50000 100000" and (folder / "cpu.weight").read_text() == "100"
    assert group.procs_files == [folder / "cgroup.procs"] and group.cpu_folder() == folder


def test_v2_memory_events_say_whether_the_cap_was_hit(tmp_path):
    root = _v2_tree(tmp_path / "cg")
    backend = cgroups.V2(root, euid=0)
    backend.prepare()
    group = backend.create("k", 1000, 16)
    (root / "autograder" / "k" / "memory.events").write_text("low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n")
    assert not group.memory_hit()
    (root / "autograder" / "k" / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.memory_hit()
    (root / "autograder" / "k" / "memory.events").write_text("max 0\noom_kill 0\n")
    (root / "autograder" / "k" / "memory.peak").write_text("950\n")  # ran into the cap without a kill
    assert group.memory_hit()


def test_v2_removal_kills_the_whole_group(tmp_path):
    root = _v2_tree(tmp_path / "cg")
    backend = cgroups.V2(root, euid=0)
    backend.prepare()
    group = backend.create("k", 1000, 16)
    (root / "autograder" / "k" / "cgroup.kill").write_text("0")
    group.remove()  # the fake folder holds files, so it stays; a real one would be gone
    assert (root / "autograder" / "k" / "cgroup.kill").read_text() == "1"


def test_v2_as_a_user_moves_itself_into_a_leaf_of_its_delegated_group(tmp_path):
    root = _v2_tree(tmp_path / "cg")
    own = root / "user.slice" / "user-1000.slice" / "user@1000.service" / "app.slice" / "grade.scope"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("memory pids\n")
    (own / "cgroup.subtree_control").write_text("")
    (own / "cgroup.procs").write_text("4242\n")
    proc_self = tmp_path / "self-cgroup"
    proc_self.write_text("0::/user.slice/user-1000.slice/user@1000.service/app.slice/grade.scope\n")
    backend = cgroups.V2(root, euid=1000, proc_self=proc_self)
    assert backend.base == own and backend.unavailable() is None
    backend.prepare()
    assert (own / "autograder-grader" / "cgroup.procs").read_text() == "4242"
    assert set((own / "cgroup.subtree_control").read_text().split()) == {"+memory", "+pids"}
    backend.create("k", 1 << 30, 64)
    assert (own / "k" / "memory.max").read_text() == str(1 << 30)


def test_v2_says_why_it_cannot_be_used(tmp_path):
    root = _v2_tree(tmp_path / "cg", controllers="cpu io")
    assert "does not offer the memory and pids" in cgroups.V2(root, euid=0).unavailable()
    plain = tmp_path / "plain"
    plain.mkdir()
    assert "not a cgroup v2" in cgroups.V2(plain, euid=0).unavailable()
    backend, why = cgroups.detect(plain)
    assert backend is None and "no cgroup v1 memory controller" in why


def _v1_tree(root: Path, cpu: bool = True) -> Path:
    for controller in ("pids", "memory") + (("cpu",) if cpu else ()):
        (root / controller).mkdir()
        (root / controller / "cgroup.procs").write_text("")
    if cpu:
        (root / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    return root


def test_v1_writes_its_caps_on_processes_memory_and_cpu(tmp_path):
    _v1_tree(tmp_path)
    backend, why = cgroups.detect(tmp_path)
    assert isinstance(backend, cgroups.V1) and why == "cgroup v1"
    group = backend.create("autograder-x", 2 << 30, 128, cpu_cores=1.0)
    assert (tmp_path / "pids" / "autograder-x" / "pids.max").read_text() == "128"
    assert (tmp_path / "memory" / "autograder-x" / "memory.limit_in_bytes").read_text() == str(2 << 30)
    cpu = tmp_path / "cpu" / "autograder-x"
    assert (cpu / "cpu.cfs_quota_us").read_text() == "100000" and (cpu / "cpu.cfs_period_us").read_text() == "100000"
    assert (cpu / "cpu.shares").read_text() == "1024"
    assert group.cpu_folder() == cpu and cpu / "cgroup.procs" in group.procs_files
    (tmp_path / "memory" / "autograder-x" / "memory.failcnt").write_text("2\n")
    assert group.memory_hit()


def test_a_group_that_cannot_be_created_fails_closed(tmp_path):
    for controller in ("pids", "memory"):
        (tmp_path / controller).mkdir()
        (tmp_path / controller / "cgroup.procs").write_text("")
    backend = cgroups.V1(tmp_path)
    (tmp_path / "pids" / "taken").mkdir()
    with pytest.raises(cgroups.CgroupError, match="cannot create the cgroup taken"):
        backend.create("taken", 1, 1)


def test_a_sweep_removes_only_empty_groups_whose_grader_is_gone(tmp_path, monkeypatch):
    import os
    import subprocess

    root = _v2_tree(tmp_path / "cg")
    backend = cgroups.V2(root, euid=0)
    backend.prepare()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id that has ended
    names = {"live_empty": f"{cgroups.PREFIX}{os.getpid()}-aaaa", "dead_empty": f"{cgroups.PREFIX}{gone.pid}-bbbb",
             "dead_busy": f"{cgroups.PREFIX}{gone.pid}-cccc"}
    for name in names.values():
        backend.create(name, 1 << 30, 64)
        (root / "autograder" / name / "cgroup.procs").write_text("")
    (root / "autograder" / names["dead_busy"] / "cgroup.procs").write_text("999999\n")
    # a fake tree's folders hold files, so rmdir fails there: record what the sweep tries to remove
    removed = []
    monkeypatch.setattr(cgroups, "_kill_and_remove",
                        lambda folders, kill_file=None, seconds=10.0: removed.extend(f.name for f in folders))
    backend.sweep()
    assert removed == [names["dead_empty"]]


def test_v1_without_a_cpu_controller_still_caps_processes_and_memory(tmp_path):
    backend, _ = cgroups.detect(_v1_tree(tmp_path, cpu=False))
    group = backend.create("autograder-y", 1 << 30, 64, cpu_cores=1.0)
    assert group.cpu_cores is None and group.cpu_folder() is None and len(group.folders) == 2


@pytest.mark.parametrize("version", [1, 2])
def test_a_leaked_kernel_group_is_found_on_either_version(tmp_path, version):
    """What test_hostile's test_no_cgroup_left_behind asserts, shown able to fail: a group a batch's worker
    created and left is found, on v1 under every controller it used, on v2 under the grader's subtree."""
    import os

    if version == 1:
        backend = cgroups.V1(_v1_tree(tmp_path))
    else:
        backend = cgroups.V2(_v2_tree(tmp_path / "cg"), euid=0)
        backend.prepare()
    before = backend.groups()
    worker = os.getpid()
    group = backend.create(f"{cgroups.PREFIX}{worker}-leak", 1 << 30, 64, cpu_cores=1.0)
    other = backend.create(f"{cgroups.PREFIX}1-other", 1 << 30, 64)  # another grader's: not ours to count
    leaked = cgroups.left_behind(backend, before, {worker})
    assert leaked == set(group.folders) and not leaked & set(other.folders)
    for folder in group.folders:  # removed (a fake tree's folders hold files: remove them by hand)
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
    assert cgroups.left_behind(backend, before, {worker}) == set()
