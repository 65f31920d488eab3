"""What of a hidden test no page may show: found at any offset, whatever the spacing, and never what the
notebook shows anyway."""

import random

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.outputs import redact


def _test(source: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                                 "grade_id": "t", "points": 1}
    return cell


HIDDEN = '''"""Visible description."""
x_visible = 1
### BEGIN HIDDEN TESTS
_r = np.random.default_rng(12345)
assert_close(layer_forward(_r.normal(size=(7, 5)), _r.normal(size=(5, 3))), REFERENCE, what="layer on a (7, 5) batch")
assert f(3) == 0.73105857863, "a hand-written expected value"
assert g() == [1.5, 2.5, 3.5]
x_visible = 1
### END HIDDEN TESTS'''
NOTEBOOK = new_notebook(cells=[new_markdown_cell("Call `np.random.default_rng(12345)` yourself."), _test(HIDDEN)])
SECRETS = redact.Secrets.of(NOTEBOOK)


def test_every_fragment_is_found_at_every_offset_and_spacing():
    code = redact.squash(redact.hidden_regions(HIDDEN)[0])
    rng = random.Random(0)
    for start in range(len(code) - redact.GRAM + 1):
        piece = code[start:start + redact.GRAM]
        cuts = sorted(rng.sample(range(1, len(piece)), 4))
        spaced = " \n ".join(piece[a:b] for a, b in zip([0, *cuts], [*cuts, len(piece)]))
        assert SECRETS.found_in("x" * rng.randrange(0, 50) + spaced + "y" * rng.randrange(0, 50)), piece
    line = redact.squash(HIDDEN.splitlines()[4])[5:45]  # inside assert_close(...): no line or value of its own
    assert SECRETS.found_in(line) and not SECRETS.found_in(line[:redact.GRAM - 1] + "|" + line[redact.GRAM - 1:])


def test_values_lines_and_what_is_public():
    found = SECRETS.found_in
    assert found("expected 0.73105857863") and found("('a hand-written expected value',)")
    assert found("g() returned [1.5, 2.5, 3.5]") and found("array([1.5,2.5,3.5])")
    assert found("\x1b[1;31mwhat=&quot;layer on a (7, 5) batch&quot;\x1b[0m")
    assert not found("np.random.default_rng(12345)")  # the notebook shows it outside the hidden region
    assert not found("x_visible = 1") and not found("Visible description.")
    assert found("f(3) = 0.73105857863.") and not found("f(3) = 0.7310585786300049")  # more digits: computed
    assert not found("1.5 2.5 [1.5, 2.5] float64 REFERENCE 10.73105857863")  # not what was written there
    assert not redact.Secrets.of(new_notebook(cells=[_test("assert f(1) == 2")]))


def test_numbers_count_their_significant_digits():
    assert [redact._significant(text) for text in ("0.73105858", "1000.0", "12_345", "1e-07", "0.000123")] == [
        8, 1, 5, 1, 3]
