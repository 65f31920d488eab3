"""``make html``: the lecture notebooks executed and rendered, with their outputs, to a static site.

    python -m coursetools.site [--out site] [--notebooks notebooks] [--timeout 600] [NOTEBOOK ...]

Each notebook runs top to bottom in a fresh kernel (nbclient, one BLAS/torch thread, in a scratch copy
of its folder, so nothing is written next to the course) and is rendered by nbconvert's HTMLExporter
with the ``lab`` template; formulas typeset offline with the MathJax copied into ``site/mathjax/``
(``autograder.outputs.mathjax``). ``index.html`` lists the topics in course order (the notebooks' ``NN_``
prefixes), each page links to the previous and next topic. Progress-bar widgets are dropped from the
pages: a finished progress bar says nothing on a page (and would need the widget JavaScript from a CDN).
A notebook that fails to run is still rendered up to its error, marked in the index, and makes the
command exit 1.
"""

import argparse
import copy
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.config import THREAD_ENV
from autograder.outputs import mathjax
from autograder.outputs import pages as templates

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
THREADS = {**THREAD_ENV, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


@dataclass
class Page:
    name: str  # notebook name without .ipynb, e.g. 01_perceptron
    title: str
    seconds: float = 0.0
    error: str = ""

    @property
    def file(self) -> str:
        return f"{self.name}.html"


def title_of(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of the notebook (its title), else ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^\s*#{1,6}\s+(.*\S)\s*$", line)
            if match:  # "01 · The perceptron", "5. Recurrent networks": the index numbers topics itself
                title = re.sub(r"[*_`]", "", match[1])
                return re.sub(r"^0*\d+\s*[.·:—–-]\s*", "", title) or title
    return fallback


def execute(path: Path, timeout: float = 600, kernel_name: str = "python3") -> tuple[nbformat.NotebookNode, str]:
    """Run ``path`` in a scratch copy of its folder; (executed notebook, error text or "")."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    notebook = nbformat.read(str(path), as_version=4)
    saved = {key: os.environ.get(key) for key in THREADS}
    os.environ.update(THREADS)  # the kernel inherits this process's environment
    error = ""
    try:
        with tempfile.TemporaryDirectory(prefix="site-") as scratch:
            shutil.copyfile(path, Path(scratch) / path.name)
            # IPC transport (an absolute socket path): no "running over TCP without encryption" warning
            config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(scratch) / "kernel")}})
            client = NotebookClient(notebook, config=config, timeout=timeout, kernel_name=kernel_name,
                                    allow_errors=False, resources={"metadata": {"path": scratch}})
            try:
                client.execute()
            except CellExecutionError as failure:
                text = re.sub(r"\x1b\[[0-9;]*m", "", str(failure)).strip()  # without terminal colours
                error = text.splitlines()[-1] if text else "cell failed"
            except Exception as failure:  # a dead kernel or a timeout: still render what ran
                error = f"{type(failure).__name__}: {failure}"
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook, error


def drop_widgets(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without widget outputs (progress bars) and without stored widget state."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.get("outputs", [])
                            if WIDGET_VIEW not in out.get("data", {})]
    return notebook


def _nav(pages: list[Page], index: int) -> str:
    """The links to the previous topic, the contents and the next topic (``templates/pages/site_nav.html.j2``)."""
    return templates.render("site_nav.html.j2", previous=pages[index - 1] if index > 0 else None,
                            next=pages[index + 1] if index + 1 < len(pages) else None)


def render(notebook: nbformat.NotebookNode, title: str, nav: str = "") -> str:
    """Standalone HTML of an executed notebook (nbconvert's lab template), with ``nav`` on top; it loads
    MathJax from ``mathjax/`` beside it (``build_site`` puts it there)."""
    exporter = mathjax.exporter()
    body, _ = exporter.from_notebook_node(drop_widgets(notebook),
                                          resources={"metadata": {"name": title}, "page_top": nav})
    return body


def index_page(pages: list[Page], course_title: str) -> str:
    """The contents page: topics in course order, with how long each took to run
    (``templates/pages/site_index.html.j2``)."""
    return templates.render("site_index.html.j2", pages=pages, course_title=course_title)


def build_site(notebooks: list[Path], out: Path, timeout: float = 600, course_title: str = "Deep learning",
               progress: bool = True) -> list[Page]:
    """Execute and render ``notebooks`` (sorted by name: course order) into ``out``; the pages written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    mathjax.install(out)
    notebooks = sorted(notebooks, key=lambda p: p.name)
    executed, pages = [], []
    for path in notebooks:
        started = time.perf_counter()
        if progress:
            print(f"running {path.name} ...", flush=True)
        notebook, error = execute(path, timeout)
        page = Page(path.stem, title_of(notebook, path.stem), time.perf_counter() - started, error)
        if progress:
            print(f"  {page.seconds:.1f} s" + (f"  FAILED: {error}" if error else ""), flush=True)
        executed.append(notebook)
        pages.append(page)
    for index, (notebook, page) in enumerate(zip(executed, pages)):
        (out / page.file).write_text(render(notebook, page.title, _nav(pages, index)), encoding="utf-8")
    (out / "index.html").write_text(index_page(pages, course_title), encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools.site", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="default: every notebook in --notebooks")
    parser.add_argument("--out", default="site", help="output folder (default: %(default)s)")
    parser.add_argument("--notebooks", dest="folder", default=None, help="default: the course's notebooks/")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per cell (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.notebooks:
        paths = [Path(p) for p in args.notebooks]
    else:
        if args.folder:
            folder = Path(args.folder)
        else:
            from autograder.core.course import Course

            folder = Course.find().root / "notebooks"
        paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        print("no notebooks to render", file=sys.stderr)
        return 2
    pages = build_site(paths, Path(args.out), args.timeout)
    failed = [page for page in pages if page.error]
    print(f"wrote {len(pages)} pages and {Path(args.out) / 'index.html'}"
          + (f"; {len(failed)} did not run to the end: {', '.join(p.name for p in failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
