"""MathJax from an installed package, beside the pages that load it, with no network."""

import os
import re

from nbformat.v4 import new_markdown_cell, new_notebook

from autograder.outputs import mathjax


def test_install_places_mathjax_its_configuration_and_fonts_once(tmp_path):
    target = mathjax.install(tmp_path)
    assert target == tmp_path / "mathjax"
    for part in ("MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js", "config/local/offline.js",
                 "extensions/Safe.js",
                 "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js"):
        assert (target / part).is_file(), part
    assert any((target / "fonts/HTML-CSS/STIX-Web/woff").glob("*.woff"))
    assert not (target / "localization").exists()
    source = mathjax.source_folder() / "MathJax.js"
    if os.stat(source).st_dev == os.stat(tmp_path).st_dev:  # one file system: linked, not copied
        assert os.path.samefile(source, target / "MathJax.js")
    before = os.stat(target / "MathJax.js").st_mtime_ns
    assert mathjax.install(tmp_path) == target and os.stat(target / "MathJax.js").st_mtime_ns == before


def test_pages_load_the_local_copy_not_a_cdn():
    notebook = new_notebook(cells=[new_markdown_cell("$$ a^2 + b^2 = c^2 $$")])
    body, _ = mathjax.exporter().from_notebook_node(notebook)
    assert f'src="{mathjax.URL}"' in body
    # nothing the page loads comes from the network (the mermaid loader in the template imports its
    # library only when a page has a diagram, and ours have none)
    assert [src for src in re.findall(r'<script[^>]*\ssrc="([^"]+)"', body) if "://" in src] == []


def test_the_exporters_sanitiser_is_nbconverts_remembered(monkeypatch):
    """Pages repeat most cells: bleach runs once per distinct text, and gives nbconvert's own answer."""
    from nbconvert.filters import strings
    from nbformat.v4 import new_code_cell

    calls = []
    real = strings.clean_html
    monkeypatch.setattr(strings, "clean_html", lambda html: calls.append(html) or real(html))
    mathjax.clean_html.cache_clear()
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>'
    assert mathjax.clean_html(hostile) == real(hostile) and "<script" not in real(hostile)
    assert "<img" not in mathjax.clean_html(hostile) and len(calls) == 1  # escaped into text
    cell = "def f(x):\n    return '<script>alert(3)</script>'"
    exporter = mathjax.exporter()
    notebook = new_notebook(cells=[new_code_cell(cell)])
    pages = [exporter.from_notebook_node(notebook)[0] for _ in range(3)]
    assert len(calls) == 2 and pages[0] == pages[1] == pages[2]  # the code cell's highlighted source: once
    assert "<script>alert(3)" not in pages[0]
    mathjax.clean_html.cache_clear()
