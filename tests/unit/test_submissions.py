"""Submission layouts an instructor may download, and archives that try to escape."""

import zipfile

import pytest

from autograder.core.errors import UserError
from autograder.intake.submissions import Finding, discover, unpack_zip, valid_student_id


def touch(path, text="{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_nbgrader_layout_and_missing(tmp_path):
    touch(tmp_path / "alice" / "a1" / "nb.ipynb")
    (tmp_path / "bob" / "a1").mkdir(parents=True)
    found = {s.student_id: s for s in discover(tmp_path, "a1", ["nb"], Finding(roster=["carol"]))}
    assert found["alice"].notebooks["nb"].name == "nb.ipynb"
    assert found["bob"].notebooks["nb"] is None
    assert found["carol"].notebooks["nb"] is None


def test_flat_lms_layout(tmp_path):
    touch(tmp_path / "alice_1234_a1.ipynb")
    touch(tmp_path / "bob_nb.ipynb")
    found = {s.student_id: s for s in discover(tmp_path, "a1", ["nb"])}
    assert set(found) == {"alice", "bob"}


def test_zip_is_unpacked_safely(tmp_path):
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("subs/alice_a1.ipynb", "{}")
        z.writestr("subs/__MACOSX/._alice_a1.ipynb", "junk")
    folder = unpack_zip(archive, tmp_path / "out")
    assert [s.student_id for s in discover(folder, "a1", ["nb"])] == ["alice"]


@pytest.mark.parametrize("name", ["../evil.ipynb", "/etc/evil.ipynb"])
def test_zip_slip_is_refused(tmp_path, name):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(name, "{}")
    with pytest.raises(UserError, match="unsafe path"):
        unpack_zip(archive, tmp_path / "out")


@pytest.mark.parametrize("sid, ok", [("alice", True), ("a.b-c@x", True), ("../x", False), ("", False),
                                     ("a b", False)])
def test_student_ids(sid, ok):
    assert valid_student_id(sid) is ok
