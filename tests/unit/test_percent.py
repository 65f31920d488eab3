"""The text format notebooks may be written in."""

import pytest

from autograder.tools.percent import parse, render

TEXT = """# %% [markdown]
# # Title
#
# prose
# %% answer id=f
def f():
    return 1
# %% test id=t points=2
assert f() == 1
# %% [markdown] manual id=why points=1
# answer
"""


def test_roles_become_nbgrader_metadata():
    nb = parse(TEXT)
    meta = [cell.metadata.get("nbgrader", {}) for cell in nb.cells]
    assert meta[1] == {"schema_version": 3, "grade_id": "f", "grade": False, "solution": True, "locked": False}
    assert meta[2]["grade"] and meta[2]["locked"] and meta[2]["points"] == 2
    assert nb.cells[3].cell_type == "markdown" and meta[3]["solution"] and meta[3]["grade"]
    assert nb.cells[0].source == "# Title\n\nprose"


def test_roundtrip():
    assert parse(render(parse(TEXT))) == parse(TEXT)


@pytest.mark.parametrize("bad", ["# %% test id=t\nx", "# %% answer\nx", "# %% [markdown] answer id=a\nx",
                                 "# %% wobble id=a\nx", "x = 1\n# %%\ny"])
def test_mistakes_are_reported(bad):
    with pytest.raises(ValueError):
        parse(bad)
