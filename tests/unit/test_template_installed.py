"""Which folders of an installation a kernel forked from a template gets back on its fresh /tmp
(``autograder.run.zygote.covered``), and which the template backend refuses (``backends.unreachable``)."""

from pathlib import Path

from autograder.run.backends import unreachable
from autograder.run.zygote import covered


def test_only_folders_under_tmp_are_bound_back_outermost_first_and_none_twice():
    folders = ["/usr/lib/python3.11", "/tmp/ci/clone/.venv", "/tmp/ci/clone/autograder", "/tmp/ci/clone/.venv/lib",
               "/tmp/other", "/tmp/ci/clone/dlcourse/", "/tmpfoo/x", "/work/site-packages"]
    assert covered(folders) == ["/tmp/other", "/tmp/ci/clone/.venv", "/tmp/ci/clone/autograder",
                                "/tmp/ci/clone/dlcourse"]


def test_tmp_itself_is_never_bound_back():
    assert covered(["/tmp", "/tmp/", "/work/x"]) == []


def test_the_template_refuses_tmp_itself_and_dev_but_not_a_folder_under_tmp():
    assert unreachable([Path("/tmp/clone/.venv"), Path("/usr"), Path("/work/course")]) == []
    assert unreachable([Path("/tmp/clone/.venv"), Path("/tmp")]) == ["/tmp"]
    assert unreachable([Path("/dev/shm/venv")]) == ["/dev/shm/venv"]
