"""make html: notebooks executed and rendered with outputs, an index in course order."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coursetools import site


def _notebook(title: str, code: str) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=[new_markdown_cell(f"# {title}\n\nSome prose."), new_code_cell(code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def test_title_is_the_first_heading():
    assert site.title_of(_notebook("The *perceptron*", ""), "x") == "The perceptron"
    assert site.title_of(new_notebook(cells=[new_code_cell("1")]), "fallback") == "fallback"
    for heading in ("01 · The perceptron", "5. The perceptron", "04 — The perceptron"):
        assert site.title_of(_notebook(heading, ""), "x") == "The perceptron"


def test_progress_widgets_are_dropped():
    notebook = _notebook("T", "")
    notebook.cells[1].outputs = [
        new_output("display_data", data={site.WIDGET_VIEW: {"model_id": "x"}, "text/plain": "HBox()"}),
        new_output("stream", name="stdout", text="kept\n")]
    notebook.metadata["widgets"] = {"state": {}}
    clean = site.drop_widgets(notebook)
    assert [out.output_type for out in clean.cells[1].outputs] == ["stream"]
    assert "widgets" not in clean.metadata and "widgets" in notebook.metadata


def test_index_lists_topics_in_course_order(tmp_path):
    pages = [site.Page("02_mlp_xor", "MLPs", 3.0), site.Page("01_perceptron", "Perceptron", 2.0, error="boom")]
    text = site.index_page(sorted(pages, key=lambda p: p.name), "Course")
    assert text.index("01_perceptron.html") < text.index("02_mlp_xor.html")
    assert "did not run to the end: boom" in text


@pytest.mark.slow
def test_one_small_notebook_is_executed_and_rendered(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(_notebook("Tiny topic", "print(6 * 7)\nopen('scratch.txt', 'w').write('x')"),
                   source / "01_tiny.ipynb")
    broken = _notebook("Broken topic", "raise ValueError('on purpose')")
    nbformat.write(broken, source / "00_broken.ipynb")
    out = tmp_path / "site"
    pages = site.build_site(sorted(source.glob("*.ipynb")), out, timeout=120, progress=False)
    assert [p.name for p in pages] == ["00_broken", "01_tiny"]
    assert pages[1].error == "" and pages[0].error == "ValueError: on purpose"
    tiny = (out / "01_tiny.html").read_text()
    assert "42" in tiny and "Tiny topic" in tiny and 'href="index.html"' in tiny and "00_broken.html" in tiny
    index = (out / "index.html").read_text()
    assert index.index("00_broken.html") < index.index("01_tiny.html")
    assert not (source / "scratch.txt").exists()  # executed in a scratch folder
    assert site.main([str(source / "00_broken.ipynb"), "--out", str(tmp_path / "again")]) == 1


def test_titles_and_errors_are_text_on_the_index_and_the_navigation():
    pages = [site.Page("01_a", "<b>bold</b> & co", 1.0), site.Page("02_b", "x", 1.0, error="<script>alert(1)</script>")]
    index = site.index_page(pages, "Course <i>")
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in index and "<title>Course &lt;i&gt;</title>" in index
    nav = site._nav(pages, 1)
    assert '<a href="01_a.html">&larr; &lt;b&gt;bold&lt;/b&gt; &amp; co</a>' in nav and "02_b.html" not in nav
    page = site.render(_notebook("T", "1"), "T", nav)
    assert page.index("<main>") < page.index('<nav class="course-nav"') < page.index("Some prose")
