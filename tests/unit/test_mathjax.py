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
