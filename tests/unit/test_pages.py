"""Every HTML page or page part the harness writes comes from ``templates/pages/`` (autoescaped): no
string literal in ``autograder/`` outside a docstring holds an HTML tag."""

import ast
import re
from pathlib import Path

import nbformat

from autograder.core.results import TestResult
from autograder.outputs import feedback

PACKAGE = Path(feedback.__file__).resolve().parents[1]  # autograder/
TAG = re.compile(r"</?(a|p|div|span|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|html|head|body|script|style|pre|"
                 r"code|img|strong|em|br|blockquote|nav|section)[\s/>]", re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def html_in_strings(path: Path) -> list[str]:
    """The string literals of ``path`` (not its docstrings) that hold an HTML tag, with their lines."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = _docstrings(tree)
    return [f"{path.name}:{node.lineno}: {node.value[:80]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and TAG.search(node.value)]


def test_no_module_builds_html_from_strings():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in html_in_strings(path)]
    assert found == []


def test_the_check_finds_html_built_in_an_f_string(tmp_path):
    module = tmp_path / "page.py"
    module.write_text('"""A page: <p>in a docstring is fine</p>."""\n\n\n'
                      'def page(name):\n    return f"<p>Hello {name}</p>"\n')
    assert html_in_strings(module) == ["page.py:5: '<p>Hello '", "page.py:5: '</p>'"]


def test_a_test_cells_anchor_is_rendered_and_escaped():
    cell = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "grade_id": 'x"><script>', "locked": True, "points": 1, "schema_version": 3, "solution": False}})
    notebook = nbformat.v4.new_notebook(cells=[cell])
    safe = feedback.feedback_notebook(notebook, [TestResult('x"><script>', "d", 1.0, 1.0, False, "passed", "")])
    assert safe.cells[0].source == '<a id="test-x&#34;&gt;&lt;script&gt;"></a>'
