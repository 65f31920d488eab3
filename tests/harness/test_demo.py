"""`make demo` (``python -m coursetools.demo``): the course's tooling drives the harness end to end."""

import pytest

from coursetools.demo import main

A = "01_perceptron"


@pytest.mark.slow
def test_demo_on_one_assignment(tmp_path, capsys):
    """`make demo`'s job for one topic: release verified (in the background), samples graded as declared,
    feedback, CSV and report written."""
    assert main([A, "--workdir", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    assert f"release/{A}: verified" in out and "every sample graded as expected" in out
    assert (tmp_path / "work" / "exports" / f"{A}.csv").is_file()
    assert list((tmp_path / "work" / "feedback").glob(f"*/{A}/{A}.html"))


def test_demo_refuses_an_unknown_assignment(capsys):
    """An assignment the course does not have is one sentence and exit 2, before anything runs."""
    assert main(["99_no_such_topic", "--workdir", "unused"]) == 2
    assert "99_no_such_topic" in capsys.readouterr().err
