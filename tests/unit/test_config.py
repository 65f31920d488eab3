"""One configuration: defaults, the course's c.Autograder settings, then the command line."""

import pytest

from autograder import cli
from autograder.config import DEFAULTS, Limits, course_limits
from autograder.errors import UserError


def _course(tmp_path, text):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n" + text)
    (tmp_path / "source").mkdir()
    return tmp_path


def test_course_settings_override_the_defaults(tmp_path):
    root = _course(tmp_path, "c.Autograder.cell_seconds = 12\nc.Autograder.processes = 64\n"
                             "c.Execute.timeout = 99  # nbgrader's own settings stay nbgrader's\n")
    limits = course_limits(root)
    assert (limits.cell_seconds, limits.processes) == (12.0, 64)
    assert limits.memory_bytes == DEFAULTS.memory_bytes and limits.notebook_seconds == DEFAULTS.notebook_seconds
    assert course_limits(None) == Limits() == course_limits(tmp_path / "elsewhere")


def test_a_setting_that_is_not_a_limit_or_a_broken_file_is_a_sentence(tmp_path):
    with pytest.raises(UserError, match="c.Autograder.cell_timeout, which is not a setting"):
        course_limits(_course(tmp_path, "c.Autograder.cell_timeout = 5\n"))
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Autograder.cell_seconds = 1 +\n")
    with pytest.raises(UserError, match="does not run"):
        course_limits(tmp_path)


def test_flags_override_the_course_and_every_command_has_the_same_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(_course(tmp_path, "c.Autograder.cell_seconds = 12\nc.Autograder.memory_bytes = 1 << 30\n"))
    seen = {}
    for argv in (["doctor"], ["validate", "x.ipynb"], ["grade", "a", "--submissions", "s"], ["release"]):
        args = cli.parser().parse_args(argv)
        seen[argv[0]] = cli._resolve_limits(args, cli.Course.find())
    assert len(set(seen.values())) == 1 and seen["grade"].cell_seconds == 12.0
    args = cli.parser().parse_args(["grade", "a", "--submissions", "s", "--cell-timeout", "3", "--memory-mib", "512"])
    limits = cli._resolve_limits(args, cli.Course.find())
    assert (limits.cell_seconds, limits.memory_bytes) == (3.0, 512 << 20)
