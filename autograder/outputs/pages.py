"""Pages from templates: the feedback summary and its anchors before each test cell, the report, the similarity
report and the lecture site's index and navigation are rendered by jinja2 from ``templates/pages/`` with
autoescaping on (no module of the package builds HTML from strings: ``tests/unit/test_pages.py``), so no
text a student or a test wrote (a description with ``|``, an answer holding ``</td><script>``) can change a
page's structure: every value is escaped where it is placed, unless a template marks it ``safe`` (only HTML
this package made, such as a page part rendered by another template).

Formulas still typeset: MathJax (``autograder.outputs.mathjax``) reads ``$...$`` in the escaped text as before.
"""

from functools import lru_cache
from pathlib import Path

import jinja2

from autograder.outputs import mathjax

FOLDER = Path(__file__).resolve().parent / "templates" / "pages"


def number(value: float) -> str:
    """A score or a count as people write it: 2, 0.5, 1.25."""
    return format(value, "g")


def points(value: float) -> str:
    """``2 points``, ``1 point``."""
    return f"{value:g} point" + ("" if value == 1 else "s")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one environment of this package's pages: autoescape on, undefined names an error."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FOLDER)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=number, points=points)
    env.globals.update(mathjax_url=mathjax.URL)
    return env


def render(template: str, **context) -> str:
    """The page (or page part) ``templates/pages/<template>`` with ``context``."""
    return environment().get_template(template).render(**context)
