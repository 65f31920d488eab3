"""Every failure of a command is one or two sentences and exit status 2, never a traceback
(``--debug`` shows it)."""

import pytest

from autograder import cli


def _run(capsys, *argv):
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.err


@pytest.mark.parametrize("argv", [["grade", "nope", "--submissions", "."], ["release", "nope"],
                                  ["export", "nope", "--out", "x.csv"], ["feedback", "nope"]])
def test_an_unknown_assignment_names_the_known_ones(capsys, argv):
    status, err = _run(capsys, *argv)
    assert status == 2 and "no assignment 'nope'" in err and "01_perceptron" in err
    assert "Traceback" not in err


def test_a_broken_zip_and_a_damaged_gradebook_are_sentences(capsys, tmp_path):
    (tmp_path / "subs.zip").write_text("not a zip")
    status, err = _run(capsys, "grade", "01_perceptron", "--submissions", str(tmp_path / "subs.zip"),
                       "--workdir", str(tmp_path / "work"), "--unsafe-no-sandbox", "--quiet")
    assert status == 2 and "is not a zip archive that can be read" in err and "Traceback" not in err
    (tmp_path / "gradebook.db").write_text("not a database")
    status, err = _run(capsys, "export", "01_perceptron", "--db-url", f"sqlite:///{tmp_path / 'gradebook.db'}",
                       "--out", str(tmp_path / "grades.csv"))
    assert status == 2 and err.count("\n") == 1 and "the gradebook cannot be read" in err


def test_debug_shows_the_traceback_too(capsys, tmp_path):
    (tmp_path / "gradebook.db").write_text("not a database")
    status, err = _run(capsys, "--debug", "export", "01_perceptron", "--db-url",
                       f"sqlite:///{tmp_path / 'gradebook.db'}", "--out", str(tmp_path / "grades.csv"))
    assert status == 2 and "Traceback" in err and err.rstrip().splitlines()[-1].startswith("autograder: ")


def test_a_course_setting_that_is_not_a_limit_is_a_sentence(capsys, tmp_path, monkeypatch):
    (tmp_path / "source").mkdir()
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Autograder.cell_timout = 3\n")
    monkeypatch.chdir(tmp_path)
    status, err = _run(capsys, "export", "a1", "--out", "x.csv")
    assert status == 2 and "c.Autograder.cell_timout, which is not a setting" in err
