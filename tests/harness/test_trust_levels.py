"""The trust table, measured: the hostile corpus's tampering kinds against topic 01 at both trust levels.

*Trusted*: 01_perceptron of the frozen test course (``tests/files/courses/perceptron``) as it is, every test
cell calling ``autograder.checks`` (judged outside the kernel). *Kernel verdict*: its plain-assert twin
(``tests/harness/plain_twin.py``), in a course folder made here, every test cell plain ``assert``s with the
same meaning (scored as nbgrader does: points when the cell runs without raising). The kinds are those of
``hostile_corpus`` that attack the judging (monkeypatches, faked checks, records and outputs, hidden errors,
edited, deleted, relabelled or re-pointed test cells), not the machine (hangs, bombs, escapes, broken files),
plus the controls: the reference, the untouched release, and the wrong answers the tricks start from, handed
in without a trick.

One batch per trust level, two workers, the real sandbox. ``TABLE`` is the measured outcome of every
kind at both levels, inflated scores included; the README's table ("Bringing your own nbgrader course")
is checked against it, so the table there is what this test proves.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.core.config import Limits
from autograder.core.course import read_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.judge.scoring import CHECKS, KERNEL
from autograder.run.reference import reference_records
from autograder.run.worker import RunSettings
from tests.harness.hostile_corpus import ASSIGNMENT, FULL, KINDS, NOTEBOOK, WRONG_PREDICT_SCORE, build_corpus
from tests.harness.plain_twin import plain_course

LIMITS = Limits(cell_seconds=20, notebook_seconds=60)
README = Path(__file__).resolve().parents[2] / "README.md"
LEVELS = (CHECKS, KERNEL)


@dataclass(frozen=True)
class Outcome:
    status: str
    score: float

    def __str__(self) -> str:
        return f"{self.score:g}/{FULL:g} {self.status}"


def _g(score: float) -> Outcome:
    return Outcome("graded", score)


# kind -> (trusted, kernel verdict), as measured
TABLE: dict[str, tuple[Outcome, Outcome]] = {
    "control_correct": (_g(14), _g(14)),
    "control_untouched": (_g(0), _g(0)),
    "control_wrong": (_g(0), _g(0)),
    "patch_always_pass": (_g(0), _g(13)),
    "patch_record_expected": (_g(5), _g(0)),
    "input_transformer_blanks": (_g(0), _g(14)),
    "hide_errors": (_g(0), _g(0)),  # 14 before issue 26: a cell now fails by its execute reply, not its outputs
    "faked_outputs": (_g(0), _g(0)),
    "eq_always_true": (_g(11), _g(14)),
    "delete_test_cells": (_g(11), _g(11)),
    "test_cells_pass": (_g(11), _g(11)),
    "duplicate_answer_after_test": (_g(13), _g(13)),
    "relabel_test_ids": (_g(11), _g(11)),
    "points_100": (_g(14), _g(14)),
    "insert_and_reorder": (_g(14), _g(14)),
}
TAMPERING = tuple(TABLE)
# what each kind's answers earn without its trick (a wrong predict alone: WRONG_PREDICT_SCORE; a correct
# predict followed by a wrong copy: test_train fails); a score above it is inflated
HONEST = {kind: 0.0 for kind in ("control_untouched", "control_wrong", "patch_always_pass", "patch_record_expected",
                                 "input_transformer_blanks", "hide_errors", "faked_outputs")}
HONEST |= {kind: WRONG_PREDICT_SCORE for kind in ("eq_always_true", "delete_test_cells", "test_cells_pass",
                                                  "relabel_test_ids")}
HONEST |= {"control_correct": FULL, "points_100": FULL, "insert_and_reorder": FULL,
           "duplicate_answer_after_test": FULL - 1}
# the tricks that pay: on kernel verdicts every one aimed at the kernel; on trusted cells only recording
# the expected values a visible test publishes
INFLATED = {("patch_always_pass", KERNEL), ("input_transformer_blanks", KERNEL), ("eq_always_true", KERNEL),
            ("patch_record_expected", CHECKS)}


@pytest.fixture(scope="module")
def measured(tmp_path_factory, perceptron_course, sandbox_mode) -> dict[str, dict]:
    """Each trust level's results by student (kind), graded in one batch each."""
    course = perceptron_course
    root = tmp_path_factory.mktemp("trust")
    source = read_notebook(course.source_path(ASSIGNMENT, NOTEBOOK))
    twin = plain_course(root / "plain-course", course, ASSIGNMENT, {NOTEBOOK: reference_records(source, LIMITS)})
    out = {}
    for level, graded in ((CHECKS, course), (KERNEL, twin)):
        corpus, work = root / level / "submissions", root / level / "work"
        build_corpus(corpus, work, uuid.uuid4().hex[:12], 0, graded, only=TAMPERING)
        results = grade_assignment(graded, ASSIGNMENT, corpus, Workdir(work),
                                   GradeOptions(RunSettings(limits=LIMITS, sandbox=sandbox_mode),
                                                workers=2, progress=False))
        out[level] = {result.student_id: result for result in results}
    print(f"\n{'kind':<30} {'trusted':<16} {'kernel verdict':<16} tests failed (trusted; kernel verdict)")
    for kind in TAMPERING:
        cells = [str(Outcome(out[level][kind].status, out[level][kind].score)) for level in LEVELS]
        failed = ["+".join(t.grade_id for t in out[level][kind].tests if t.score is not None and t.score < t.points)
                  or "-" for level in LEVELS]
        print(f"{kind:<30} {cells[0]:<16} {cells[1]:<16} {failed[0]}; {failed[1]}")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("kind", TAMPERING)
def test_outcome(measured, kind, level):
    result = measured[level][kind]
    expected = TABLE[kind][LEVELS.index(level)]
    assert Outcome(result.status, result.score) == expected, (kind, level, result.reason)


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS)
def test_each_batch_grades_at_its_trust_level(measured, level):
    """Every autograded test of the twin is a kernel verdict, every one of the original is trusted (or a
    bound)."""
    assert set(measured[level]) == set(TAMPERING)
    # a written answer left as released scores nbgrader's automatic 0 (trust "manual"): not an autograded test;
    # a trusted cell whose only records are bounds (topic 01's test_gd) is shown as "bound": its number came
    # from the kernel
    auto = [[t for t in r.tests if t.score is not None and t.trust != "manual"] for r in measured[level].values()]
    trusts = {t.trust for tests in auto for t in tests}
    assert level in trusts and trusts <= ({level, "bound"} if level == "checks" else {level})
    assert all(sum(t.points for t in tests) == FULL for tests in auto)


def test_trusted_column_is_what_the_corpus_declares():
    """The corpus (test_hostile) declares each kind's trusted outcome; the table must not drift from it."""
    declared = {kind.name: kind for kind in KINDS}
    for name, (trusted, _) in TABLE.items():
        assert trusted.status in declared[name].statuses and trusted.score == declared[name].score, name


def test_the_inflated_scores_are_exactly_these():
    """The scores above what the same answers earn honestly: the README's bold cells."""
    inflated = {(kind, level) for kind, outcomes in TABLE.items() for level, outcome in zip(LEVELS, outcomes)
                if outcome.score > HONEST[kind]}
    assert inflated == INFLATED


def test_readme_table_is_the_measured_one():
    """README's rows: | `kind` | what it does | trusted | kernel verdict |, with cells like `11/14 graded`,
    bold (`**13/14 graded**`) where the score is inflated."""
    text = README.read_text()
    for name, outcomes in TABLE.items():
        rows = [line for line in text.splitlines() if line.startswith(f"| `{name}` |")]
        assert len(rows) == 1, f"README: no single row for {name}"
        cells = [cell.strip() for cell in rows[0].strip().strip("|").split("|")][-2:]
        expected = [f"**{o}**" if (name, level) in INFLATED else str(o) for level, o in zip(LEVELS, outcomes)]
        assert cells == expected, name
