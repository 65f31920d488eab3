"""``serve`` fails with a sentence a person can act on: no inbox, an unknown assignment, no course id."""

from pathlib import Path

import pytest

from autograder import cli
from autograder.core.errors import UserError
from autograder.serve.exchange import find_exchange


def _run(capsys, *argv):
    status = cli.main(list(argv))
    return status, capsys.readouterr().err


def test_a_missing_inbox_and_an_unknown_assignment_are_sentences(capsys, tmp_path):
    status, err = _run(capsys, "serve", "01_perceptron", "--once", "--exchange", str(tmp_path / "nowhere"),
                       "--workdir", str(tmp_path / "work"))
    assert status == 2 and "the exchange has no inbox at" in err and "--exchange" in err and "Traceback" not in err
    status, err = _run(capsys, "serve", "nope", "--once", "--exchange", str(tmp_path), "--workdir",
                       str(tmp_path / "work"))
    assert status == 2 and "no assignment 'nope'" in err and "Traceback" not in err


def test_the_exchange_comes_from_nbgraders_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter"))
    (tmp_path / "jupyter").mkdir()
    (tmp_path / "jupyter" / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(tmp_path / 'ex')!r}\n")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "nbgrader_config.py").write_text("c.CourseDirectory.course_id = 'dl'\n")
    found = find_exchange(tmp_path / "course")
    assert (found.root, found.course_id) == ((tmp_path / "ex").resolve(), "dl")
    assert found.inbound == (tmp_path / "ex").resolve() / "dl" / "inbound"
    assert find_exchange(tmp_path / "course", str(tmp_path / "other")).root == (tmp_path / "other").resolve()
    (tmp_path / "course" / "nbgrader_config.py").write_text("c.Exchange.root = '/x'\n")
    with pytest.raises(UserError, match="no course id: set c.CourseDirectory.course_id"):
        find_exchange(Path(tmp_path / "course"))
