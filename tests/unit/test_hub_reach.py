"""Where the hub's users see a checkout they cannot enter (coursetools.hub_reach): the plan, the paths given
to them, and (as root) the read-only bind mount and its undoing."""

import os
import subprocess
from pathlib import Path

import pytest

from coursetools import hub_reach
from coursetools.hub_config import HubPaths, SetupError, _jupyter_dirs, editable_packages

REPO = Path("/root/hubtest-clone")
PACKAGES = REPO / ".venv" / "lib" / "python3.11" / "site-packages"


def test_a_checkout_everyone_can_read_is_used_where_it_is(tmp_path):
    reach = hub_reach.plan(tmp_path, tmp_path / ".venv", readable=lambda path: True, base=tmp_path / "srv")
    assert reach == hub_reach.Reach(tmp_path.resolve(), tmp_path.resolve()) and not reach.mounted
    assert reach.paths(tmp_path / "state") == HubPaths(tmp_path.resolve(), tmp_path / "state", None)


def test_a_checkout_under_a_closed_folder_is_seen_under_the_mount_base():
    reach = hub_reach.plan(REPO, PACKAGES, readable=lambda path: False, base=Path("/srv/dlcourse-hub"))
    assert reach.mounted and reach.repo == REPO
    assert reach.seen.parent == Path("/srv/dlcourse-hub") and reach.seen.name.startswith("hubtest-clone-")
    assert hub_reach.mount_point(REPO) != hub_reach.mount_point(Path("/root/other/hubtest-clone"))


def test_packages_outside_a_closed_checkout_are_refused_with_what_to_do():
    with pytest.raises(SetupError, match="build the environment inside the checkout"):
        hub_reach.plan(REPO, Path("/root/.conda/envs/dl/lib/python3.11/site-packages"), readable=lambda path: False)


def test_the_users_are_given_the_mount_and_root_writes_through_the_checkout():
    paths = hub_reach.plan(REPO, PACKAGES, readable=lambda path: False).paths(Path("/tmp/hub-day-x/hub"))
    seen = paths.repo
    assert paths.origin == REPO and seen != REPO
    assert paths.python == seen / ".hub" / "python" / "bin" / "python"
    assert paths.public(PACKAGES) == seen / PACKAGES.relative_to(REPO)
    assert paths.private(paths.python) == REPO / ".hub" / "python" / "bin" / "python"
    assert paths.public("/usr/lib/python3.11") == Path("/usr/lib/python3.11")  # outside the checkout: unchanged
    assert paths.private(paths.state / "exchange") == paths.state / "exchange"


def test_the_jupyter_folders_given_to_the_users_are_the_ones_they_can_reach(monkeypatch):
    monkeypatch.setattr("sys.prefix", str(REPO / ".venv"))
    paths = hub_reach.plan(REPO, PACKAGES, readable=lambda path: False).paths(Path("/tmp/state"))
    share, etc = _jupyter_dirs(paths)
    assert share == paths.repo / ".venv" / "share" / "jupyter" and etc == paths.repo / ".venv" / "etc" / "jupyter"


@pytest.mark.skipif(os.geteuid() != 0, reason="binding a folder needs root")
def test_root_binds_a_closed_checkout_read_only_and_undoes_it(tmp_path):
    closed = tmp_path / "closed"
    repo = closed / "course"
    (repo / "autograder").mkdir(parents=True)
    (repo / "coursetools").mkdir()
    (repo / "autograder" / "x.py").write_text("x = 1\n")
    for folder in (repo, repo / "autograder", repo / "coursetools"):
        folder.chmod(0o755)
    closed.chmod(0o700)
    base = Path(f"/srv/dlcourse-hub-test-{os.getpid()}")
    reach = hub_reach.plan(repo, repo / ".venv", base=base)
    assert reach.mounted
    try:
        hub_reach.mount(reach)
        assert hub_reach.is_mount(reach.seen) and (reach.seen / "autograder" / "x.py").read_text() == "x = 1\n"
        with pytest.raises(OSError):
            (reach.seen / "planted.txt").write_text("no")
        probe = subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "cat",
                                str(reach.seen / "autograder" / "x.py")], capture_output=True, text=True)
        assert probe.returncode == 0 and probe.stdout == "x = 1\n", probe.stderr
        hub_reach.mount(reach)  # again: the mount in place is kept
    finally:
        hub_reach.unmount(reach)
    assert not hub_reach.is_mount(reach.seen) and not reach.seen.exists()
    base.rmdir()


def test_the_editable_installs_packages_are_read_from_setuptools_finder(tmp_path):
    (tmp_path / "__editable___dlcourse_0_1_0_finder.py").write_text(
        "from __future__ import annotations\n"
        "MAPPING: dict[str, str] = {'autograder': '/root/c/autograder', 'dlcourse': '/root/c/dlcourse'}\n"
        "NAMESPACES: dict[str, list[str]] = {}\n")
    assert editable_packages(tmp_path) == {"autograder": Path("/root/c/autograder"),
                                           "dlcourse": Path("/root/c/dlcourse")}
    assert editable_packages(tmp_path / "none") == {}
