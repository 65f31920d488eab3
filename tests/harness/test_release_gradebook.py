"""``write_release`` into a gradebook a caller keeps (``make demo``: one scratch gradebook for every release, not
an ``alembic`` run per release) writes the same student versions as into a fresh one."""

import shutil
from pathlib import Path

from autograder.core.course import Course
from autograder.release.generate import write_release
from autograder.release.verify import check_in_sync

PLAIN = Path(__file__).resolve().parents[1] / "files" / "courses" / "plain"


def test_releases_written_into_one_kept_gradebook_are_in_sync(tmp_path):
    shutil.copytree(PLAIN, tmp_path / "course")
    course = Course(tmp_path / "course")
    shutil.rmtree(tmp_path / "course" / "release", ignore_errors=True)
    kept = f"sqlite:///{tmp_path}/kept.db"
    for _ in range(2):  # the second time, the assignment is already in the kept gradebook
        for assignment in course.assignments():
            write_release(course, assignment, kept)
            assert check_in_sync(course, assignment) == []
    assert (tmp_path / "kept.db").exists()
