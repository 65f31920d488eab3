"""The similarity report: a renamed, reformatted, re-commented copy ranks above every pair of
independently written solutions; starter code and untouched cells never make two students alike."""

import ast
import copy

from autograder.core.course import Course, grade_id, is_answer, read_notebook, solution_notebook
from autograder.tools.samples import build, read_sample
from autograder.tools.similarity import answers, normalise, similar_pairs

A = "01_perceptron"


class _Rename(ast.NodeTransformer):
    """What a student hiding a copy does: every own name changed, the layout redone by ast.unparse."""

    KEEP = {"np", "range", "len", "zip", "sum", "float", "int", "abs", "max", "min", "enumerate", "list"}

    def visit_Name(self, node):
        if node.id not in self.KEEP:
            node.id = f"my_{node.id}"
        return node

    def visit_arg(self, node):
        node.arg = f"my_{node.arg}"
        return node


def _disguised(notebook):
    out = copy.deepcopy(notebook)
    for cell in out.cells:
        if is_answer(cell) and cell.cell_type == "code":
            tree = _Rename().visit(ast.parse(cell.source))
            cell.source = "# my own work\n" + ast.unparse(tree).replace("\n", "\n\n# step\n", 2)
    return out


def test_names_comments_and_layout_do_not_change_the_tokens():
    one = "def f(x, y):\n    # add\n    total = x + y\n    return total\n"
    two = "def f(a,b):\n\n    s=a+b  # sum\n    return s"
    assert normalise(one) == normalise(two) and normalise(one) != normalise("def f(x, y):\n    return x - y\n")


def test_a_disguised_copy_ranks_above_every_independent_pair():
    course = Course.find()
    source = read_notebook(course.source_path(A, A))
    release = read_notebook(course.release_path(A, A))
    loops = build(read_sample(course.root / "tests/files/submissions" / A / "correct_loops.py"), source, release)
    students = {"ref": solution_notebook(source), "loops": loops, "copy": _disguised(loops), "blank": release}
    windows = {name: answers(notebook, release) for name, notebook in students.items()}
    assert windows["blank"] == {}  # an untouched release has no answers to compare
    pairs = similar_pairs(windows)
    ranked = [(p.first, p.second) for p in pairs]
    assert ranked[0] == ("copy", "loops") and pairs[0].score > 0.9
    independent = [p.score for p in pairs if {p.first, p.second} != {"copy", "loops"}]
    assert all(score < pairs[0].score - 0.3 for score in independent), [(p.first, p.second, p.score) for p in pairs]
    answered = {grade_id(c) for c in loops.cells if is_answer(c) and c.cell_type == "code"}
    assert {gid for gid, _ in pairs[0].cells} <= answered


def test_the_page_shows_answers_and_names_as_text():
    from autograder.tools.similarity import Pair, _page

    hostile = "</pre></div><script>alert(1)</script>"
    page = _page("a1", [Pair("ann", "b<o>b", 0.9, [("predict", 0.9)])],
                 {"ann": {"predict": hostile}, "b<o>b": {"predict": "x = 1"}}, 2)
    assert "<script>" not in page and "&lt;/pre&gt;&lt;/div&gt;&lt;script&gt;alert(1)" in page and "b&lt;o&gt;b" in page
    assert page.count("<pre>") == page.count("</pre>") == 2
    assert "No two submissions" in _page("a1", [], {}, 0)
