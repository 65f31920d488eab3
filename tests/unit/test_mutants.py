"""Mutants of a reference solution: single-point changes inside the solution lines only."""

import ast

from nbformat.v4 import new_code_cell, new_notebook

from autograder.tools.mutants import Mutant, Verdict, mutants, summary


def _source():
    cell = new_code_cell('def f(x, y):\n    """Doc."""\n    ### BEGIN SOLUTION\n    total = np.sum(x, axis=0) + 2 * y\n'
                         '    return total if total > 0 else -total\n    ### END SOLUTION')
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "f",
                                 "schema_version": 3}
    return new_notebook(cells=[cell])


def test_every_kind_of_change_inside_the_solution_and_nothing_outside():
    found = mutants(_source())
    kinds = {m.what for m in found}
    assert {"Add->Sub", "Mult->Div", "Gt->GtE", "axis=0->1", ".sum->.mean", "minus sign removed",
            "constant 2->3", "line 3 deleted"} <= kinds
    assert all(m.line in (3, 4) for m in found)  # never the signature or the docstring
    assert len({m.id for m in found}) == len(found)
    original = ast.unparse(ast.parse('def f(x, y):\n    """Doc."""\n    total = np.sum(x, axis=0) + 2 * y\n'
                                     '    return total if total > 0 else -total'))
    for mutant in found:
        assert mutant.source != original and ast.parse(mutant.source)  # a real change, valid Python


def test_summary_lists_survivors_and_leaves_explained_ones_out_of_the_count():
    a, b, c = (Mutant("f", 4, what, "") for what in ("Add->Sub", "Gt->GtE", "line 4 deleted"))
    verdicts = [Verdict(a, 2, 3, ["t"]), Verdict(b, 3, 3), Verdict(c, 3, 3)]
    text, killed = summary(verdicts, {c.id: "the value is recomputed below"})
    assert "SURVIVED f:4:Gt->GtE" in text and "equivalent f:4:line_4_deleted" in text
    assert killed == 0.5
