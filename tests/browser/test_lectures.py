"""Every lecture notebook opens in JupyterLab and runs to the end (Run All) without an error output.

Each notebook gets its own server on its own copy of the course. Besides what the page shows, the
notebook is saved from the browser and the saved file is checked: every code cell ran, no error output.
"""

import json
import time

import nbformat
import pytest
from playwright.sync_api import expect

from coursetools.lab import Lab
from tests.browser import jlab
from tests.browser.support import ROOT, artifact, copy_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURES = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", LECTURES)
def test_lecture_runs_to_the_end_in_the_browser(name, page, start_lab, tmp_path):
    started = time.perf_counter()
    root = copy_course(tmp_path / "course")
    server = start_lab(Lab.at(root, root / "grading"))
    jlab.open_lab(page, server, f"notebooks/{name}")
    jlab.wait_notebook_ready(page)
    seconds = jlab.run_all(page, timeout=900)

    errors = jlab.notebook(page).locator(jlab.STDERR).filter(has_text="Traceback")
    expect(errors).to_have_count(0)
    jlab.save(page)
    saved = nbformat.read(root / "notebooks" / name, as_version=4)
    code = [cell for cell in saved.cells if cell.cell_type == "code" and cell.source.strip()]
    failed = [f"cell {saved.cells.index(c)}: {o.get('ename')}: {o.get('evalue')}"
              for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert failed == []
    unrun = [saved.cells.index(c) for c in code if c.get("execution_count") is None]
    assert unrun == [], f"cells that did not run: {unrun}"
    shown = jlab.outputs(page)
    total = time.perf_counter() - started
    print(f"{name}: run all {seconds:.1f} s, whole test {total:.1f} s, {shown['images']} images")
    timings_file = artifact("lecture-timings.json")
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    timings[name] = {"run_all_seconds": round(seconds, 1), "test_seconds": round(total, 1),
                     "images": shown["images"], "stderr_outputs": len(shown["stderr"])}
    timings_file.write_text(json.dumps(timings, indent=2, sort_keys=True))
