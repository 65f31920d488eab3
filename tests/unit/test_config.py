"""One configuration: defaults, the course's c.Autograder settings, then the command line."""

import pytest

from autograder import cli
from autograder.core.config import DEFAULTS, Limits, course_limits
from autograder.core.errors import UserError


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


def test_every_setting_has_help_a_flag_and_a_line_in_help_all(capsys):
    from autograder.core.config import flag_name, settings_traits

    with pytest.raises(SystemExit) as done:
        cli.main(["--help-all"])
    assert done.value.code == 0
    listed = capsys.readouterr().out
    traits = settings_traits()
    assert len(traits) >= 30
    for name, trait in traits.items():
        assert trait.help.strip(), f"c.Autograder.{name} has no help text"
        assert f"c.Autograder.{name} = " in listed and f"--{flag_name(name)}" in listed, name
    grade = cli.parser()._subparsers._group_actions[0].choices["grade"]
    flags = {option for action in grade._actions for option in action.option_strings}
    assert {f"--{flag_name(name)}" for name in traits} <= flags


def test_each_flag_sets_its_setting_over_the_course(tmp_path, monkeypatch):
    from traitlets import Bool, Dict, Enum, Float, Int, List

    from autograder.core.config import flag_name, settings_traits

    monkeypatch.chdir(_course(tmp_path, "c.Autograder.workers = 3\nc.Autograder.sandbox = 'none'\n"))
    for name, trait in settings_traits().items():
        if isinstance(trait, Bool):
            argv, want = [f"--{flag_name(name)}"], True
        elif isinstance(trait, Dict):
            argv, want = [f"--{flag_name(name)}", '{"a1": "2026-12-01T12:00:00Z"}'], {"a1": "2026-12-01T12:00:00Z"}
        elif isinstance(trait, Enum):
            argv, want = [f"--{flag_name(name)}", trait.values[-1]], trait.values[-1]
        elif isinstance(trait, Int | Float):
            argv, want = [f"--{flag_name(name)}", "7"], (7 << 20 if trait.metadata.get("mib") else 7)
        elif isinstance(trait, List):
            argv, want = [f"--{flag_name(name)}", "dlcourse, mylib"], ["dlcourse", "mylib"]
        else:
            argv, want = [f"--{flag_name(name)}", "bwrap"], "bwrap"
        args = cli.parser().parse_args(["grade", "a", "--submissions", "s", *argv])
        assert getattr(cli._resolve_settings(args, cli.Course.find()), name) == want, name
    args = cli.parser().parse_args(["grade", "a", "--submissions", "s"])
    settings = cli._resolve_settings(args, cli.Course.find())
    assert (settings.workers, settings.sandbox) == (3, "none")
    args = cli.parser().parse_args(["grade", "a", "--submissions", "s", "--workers", "many"])
    with pytest.raises(UserError, match="--workers many: not a value of c.Autograder.workers"):
        cli._resolve_settings(args, cli.Course.find())


def test_limits_are_a_view_of_the_settings_declared_once():
    from dataclasses import fields

    from autograder.core.config import Autograder, settings_traits

    limit_traits = {name: trait for name, trait in settings_traits().items() if trait.metadata.get("limit")}
    assert [field.name for field in fields(Limits)] == list(limit_traits)
    assert all(getattr(DEFAULTS, name) == trait.default_value for name, trait in limit_traits.items())
    assert Autograder(cell_seconds=5.0).limits() == Limits(cell_seconds=5.0)
    # the former module constants are settings now
    assert {"max_zip_bytes", "kernel_start_seconds", "worker_grace_seconds", "cluster_retries"} <= set(limit_traits)


def test_no_function_of_the_harness_takes_more_than_six_parameters():
    """Settings travel as one object (``Autograder``, ``GradeOptions``, ``RunSettings``, ...), never as a
    long list of parameters."""
    import ast
    from pathlib import Path

    import autograder

    package = Path(autograder.__file__).parent
    long = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                names = [a.arg for a in arguments if a.arg not in ("self", "cls")]
                names += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
                if len(names) > 6:
                    long.append(f"{path.relative_to(package.parent)}:{node.lineno} {node.name} ({len(names)})")
    assert not long, "functions with more than six parameters:\n" + "\n".join(long)


def test_kernel_packages_are_none_by_default_and_this_course_names_its_helpers(tmp_path):
    from autograder.core.config import course_settings
    from autograder.core.course import Course

    assert course_settings(None).kernel_packages == [] == course_settings(_course(tmp_path, "")).kernel_packages
    assert course_settings(Course.find().root).kernel_packages == ["dlcourse"]
