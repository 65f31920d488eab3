"""The capped work folder (a tmpfs mounted by the grader, where it may mount): its caps, the reason a full
one gives, and the sweep of folders a killed grader left mounted."""

import os

import pytest

from autograder.run import workfolder


@pytest.fixture
def mountable(tmp_path):
    why = workfolder.can_mount(tmp_path)
    if why is not None:
        pytest.skip(f"this user cannot mount a tmpfs: {why}")
    return tmp_path


def test_a_full_folder_names_the_cap_it_reached(mountable):
    folder = mountable / f"kernel-{os.getpid()}-a"
    folder.mkdir()
    assert workfolder.mount(folder, 1 << 20, 50) is None
    try:
        assert workfolder.full(folder, 1 << 20, 50) is None
        with pytest.raises(OSError):
            for index in range(100):
                (folder / str(index)).touch()
        assert workfolder.full(folder, 1 << 20, 50) == "the kernel's work folder reached its cap of 50 files"
        for path in folder.iterdir():
            path.unlink()
        with pytest.raises(OSError), open(folder / "big", "wb") as out:
            out.write(b"x" * (2 << 20))
        assert "cap of 1 MiB" in workfolder.full(folder, 1 << 20, 50)
    finally:
        workfolder.unmount(folder)


def test_a_killed_graders_folders_are_swept_and_a_live_ones_kept(mountable):
    dead, live = mountable / "kernel-999999-x", mountable / f"kernel-{os.getpid()}-y"
    for folder in (dead, live):
        folder.mkdir()
        assert workfolder.mount(folder, 1 << 20, 50) is None
        (folder / "file").write_text("a kernel's")
    try:
        swept = workfolder.sweep(alive=lambda pid: pid != 999999)
        assert dead in swept and live not in swept and not dead.exists()
        assert (live / "file").exists()
    finally:
        workfolder.unmount(live)
