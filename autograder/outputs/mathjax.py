"""Formulas on the pages we write (feedback, the lecture site, the report) typeset with no network.

nbconvert's HTML templates load MathJax from a CDN, so on a course machine without internet every
formula stayed raw LaTeX. The Python package ``jupyter-server-mathjax`` carries MathJax 2.7 with its
STIX-Web fonts; ``install(folder)`` puts the part of it that the pages load into ``folder/mathjax/``
(hard links where the file system allows, so one copy per student costs no disk), and ``URL`` is the
relative address a page beside that folder loads it from. A page opened from disk or served from
127.0.0.1 then typesets its formulas.
"""

import functools
import os
import shutil
from pathlib import Path

FOLDER = "mathjax"
# the one combined configuration the package ships (TeX input, HTML-CSS output); Safe keeps \href and
# styles in a notebook from injecting script; local/offline (written by ``install``) uses the fonts the
# package carries, STIX-Web, instead of MathJax's default TeX fonts, which it does not carry
CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe,local/offline"
URL = f"{FOLDER}/MathJax.js?config={CONFIG}"
LOCAL_CONFIG = """MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
"""
# what the pages never load: translations (English is built in), and the SVG output's fonts (the
# package has no SVG output to use them)
SKIPPED = ("localization", os.path.join("jax", "output", "SVG"))


class MathJaxMissing(RuntimeError):
    """The package that carries MathJax is not installed."""


def source_folder() -> Path:
    """Where the installed ``jupyter_server_mathjax`` keeps MathJax."""
    try:
        import jupyter_server_mathjax
    except ImportError as error:
        raise MathJaxMissing("the package jupyter-server-mathjax is not installed, so formulas cannot be "
                             "typeset offline: pip install jupyter-server-mathjax (it is a dependency of "
                             "this project; `make setup` installs it)") from error
    folder = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
    if not (folder / "MathJax.js").is_file():
        raise MathJaxMissing(f"{folder} holds no MathJax.js: reinstall jupyter-server-mathjax")
    return folder


def install(folder: Path, source: Path | None = None) -> Path:
    """Put MathJax into ``folder/mathjax/`` (once; a later call finds it there) and return that path.

    ``source``, a folder an earlier ``install`` made, is linked from instead of the package: many pages'
    folders (one per student) then each cost one hard link per file on the same file system, however far
    the package is (another file system would mean a copy of every file for every student)."""
    target = Path(folder) / FOLDER
    if (target / "MathJax.js").is_file():
        return target
    if source is not None:
        partial = target.with_name(f".{FOLDER}-partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(source, partial, copy_function=_link_or_copy)
        try:
            partial.rename(target)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
        return target
    source = source_folder()
    partial = target.with_name(f".{FOLDER}-partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    for directory, subfolders, files in os.walk(source):
        relative = os.path.relpath(directory, source)
        subfolders[:] = [name for name in subfolders
                         if os.path.normpath(os.path.join(relative, name)) not in SKIPPED]
        (partial / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            _link_or_copy(Path(directory) / name, partial / relative / name)
    (partial / "config" / "local").mkdir(parents=True, exist_ok=True)
    (partial / "config" / "local" / "offline.js").write_text(LOCAL_CONFIG)
    try:
        partial.rename(target)
    except OSError:  # another process installed it first
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)


TEMPLATES = Path(__file__).resolve().parent / "templates"


def exporter():
    """nbconvert's HTML exporter with the ``offline`` template (``lab`` without require.js from a CDN),
    loading MathJax from ``mathjax/`` beside the page, and nbconvert's own sanitiser (``clean_html``, which
    the template applies to every code cell's highlighted source) remembering its answers (``clean_html``
    here)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)], mathjax_url=URL,
                        filters={"clean_html": clean_html})


@functools.lru_cache(maxsize=4096)
def clean_html(html: str) -> str:
    """nbconvert's ``clean_html`` (bleach) of ``html``, computed once per distinct text: the feedback pages of
    one assignment repeat most cells (the given code, the tests' descriptions, answers alike), and bleach
    parsing every cell of every page was half of a page's time. A pure function of its text: the same
    output, so the same safety."""
    from nbconvert.filters.strings import clean_html as sanitise

    return sanitise(html)
