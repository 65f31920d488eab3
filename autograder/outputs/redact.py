"""Nothing of a hidden test on a page a student reads: the outputs and messages that would show one.

Student code runs in the same kernel as the hidden tests and is called by them, so it can see a hidden
test while it runs (its caller's frame, the request being executed) and print, store or write what it saw
for a later cell to show. The kernel keeps the easy routes empty (``autograder.run.hidden_cells``); this
module does not trust the kernel and judges what comes out of it.

``Secrets.of(notebook)`` collects, from the hidden regions (``### BEGIN/END HIDDEN TESTS``) of a graded
notebook's test cells, what must never be shown, each compared without whitespace (so re-indenting or
re-spacing changes nothing): every line of at least ``MIN_LINE`` characters, every ``GRAM``-character
fragment of the hidden code, and every literal value written there (strings of at least ``MIN_VALUE``
characters, list, tuple, set and dict displays, and numbers with at least ``MIN_DIGITS`` significant
digits, these as numbers of their own: a computed 0.7310585786300049 does not show a written
0.73105857863). Whatever the notebook holds outside hidden regions (visible tests, given cells, the
student's own cells) is left out: it is published, or the student wrote it.

Guaranteed, on the feedback page (``autograder.outputs.feedback``, with the secrets of every notebook of the
submission): no output of any cell, no test message and no reason contains such a line, fragment or
value verbatim, after removing whitespace, terminal colours and HTML entities, whatever the student's
code printed, displayed, raised, wrote to a file and printed later, or kept from a frame; an output that
does is replaced by ``WITHHELD``. Pictures and other binary outputs of cells from the first hidden test
on cannot be read, so they are withheld too (``PICTURE_WITHHELD``).

Not guaranteed: what a student's code *transforms* before showing it (base64, reversed, split into
pieces shorter than the above, drawn into a picture). No scan recognises every encoding; against that,
hidden tests hold no answer (``REFERENCE``: the expected values never enter the student's kernel) and
their inputs are worth little on their own. A withheld output also tells the student that what it
showed was hidden code: a guess can be confirmed, one grading run per guess.
"""

import ast
import functools
import html
import json
import re
import textwrap
import tokenize
from dataclasses import dataclass
from io import StringIO

from autograder.core.course import BEGIN_HIDDEN, END_HIDDEN, is_hidden, is_test

MIN_LINE = 10  # characters, without whitespace: shorter lines ("else:", "_X, _y = xor()") are common code
GRAM = 32  # characters of hidden code, without whitespace, that no output may contain
SEED = GRAM // 2  # where the scan looks for a fragment first
MIN_VALUE = 10  # characters of a string or display literal (shorter ones, "float64", "valid", are common)
MIN_DIGITS = 5  # significant digits of a number literal (0.73106, 12345)
BEGIN, END = BEGIN_HIDDEN, END_HIDDEN  # as nbgrader's ClearHiddenTests matches them
WITHHELD = "[withheld by the grader: this output shows code or values of a hidden test]\n"
PICTURE_WITHHELD = ("[withheld by the grader: a picture or other non-text output shown after the first hidden "
                    "test, which cannot be checked for hidden code]\n")
MESSAGE_WITHHELD = "failed (its message is withheld: it shows code or values of a hidden test)"
REASON_WITHHELD = "(the reason is withheld: it shows code or values of a hidden test)"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_WHITESPACE = re.compile(r"\s+")
_TEXT_MIMES = ("text/", "application/json", "application/javascript", "image/svg+xml")
_LINES = ("text/", "application/javascript", "image/svg+xml")  # kept as a list of lines in a notebook file


def squash(text: str) -> str:
    """``text`` as compared: without terminal colours, HTML entities and whitespace."""
    return _WHITESPACE.sub("", html.unescape(_ANSI.sub("", text)))


def hidden_regions(source: str) -> list[str]:
    """The code inside a cell's hidden regions (without the marker lines), one string per region."""
    regions, inside = [], None
    for line in source.splitlines():
        if BEGIN in line:
            inside = []
        elif END in line and inside is not None:
            regions.append("\n".join(inside))
            inside = None
        elif inside is not None:
            inside.append(line)
    if inside:  # an unclosed region runs to the end of the cell
        regions.append("\n".join(inside))
    return regions


def visible_part(source: str) -> str:
    """A cell's source without its hidden regions."""
    kept, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


@dataclass(frozen=True)
class Secrets:
    """What of a notebook's hidden tests no page may show, squashed (see the module's docstring)."""

    short: frozenset[str]  # lines shorter than GRAM, and values: found as substrings
    grams: frozenset[str]  # GRAM-character fragments of hidden code
    numbers: frozenset[str] = frozenset()  # precise number literals: found with no digit before or after

    @classmethod
    def of(cls, notebook) -> "Secrets":
        """The secrets of ``notebook`` (a graded notebook, assembled from the instructor's source)."""
        visible, regions = [], []
        for cell in notebook.cells:
            if is_test(cell) and is_hidden(cell):
                regions += hidden_regions(cell.source)
                visible.append(visible_part(cell.source))
            else:
                visible.append(cell.source)
        public = squash("\n".join(visible))
        short, grams, numbers = set(), set(), set()
        for region in regions:
            grams.update(_grams(squash(region)))
            short.update(line for line in map(squash, region.splitlines()) if MIN_LINE <= len(line) < GRAM)
            short.update(_values(region))
            numbers.update(_numbers(region))
        grams -= _grams(public)
        return cls(frozenset(text for text in short if text not in public), frozenset(grams),
                   frozenset(number for number in numbers if not _number_in(number, public)))

    def __or__(self, other: "Secrets") -> "Secrets":
        """The secrets of two notebooks of one submission."""
        return Secrets(self.short | other.short, self.grams | other.grams, self.numbers | other.numbers)

    def __bool__(self) -> bool:
        return bool(self.short or self.grams or self.numbers)

    def found_in(self, text: str) -> bool:
        """Does ``text`` show a hidden line, fragment or value (whitespace, colours and entities aside)?"""
        if not self or not text:
            return False
        text = squash(text)
        if any(secret in text for secret in self.short) or any(_number_in(number, text) for number in self.numbers):
            return True
        # a GRAM-long match holds a SEED-long piece that starts at a multiple of SEED: look only there first
        grams, seeds = self.grams, self._seeds
        for i in range(0, len(text) - SEED + 1, SEED):
            if text[i:i + SEED] in seeds and any(text[j:j + GRAM] in grams for j in range(max(i - SEED, 0), i + 1)):
                return True
        return False

    @functools.cached_property
    def _seeds(self) -> frozenset[str]:
        return frozenset(gram[k:k + SEED] for gram in self.grams for k in range(GRAM - SEED + 1))


def _grams(text: str) -> set[str]:
    return {text[i:i + GRAM] for i in range(len(text) - GRAM + 1)}


def _significant(number: str) -> int:
    """Significant digits of a number literal: 0.73105858 has 8, 1000.0 has 1, 12_345 has 5."""
    mantissa = number.lower().replace("_", "").split("e")[0].rstrip("j")
    return len(mantissa.replace(".", "").strip("0"))


def _numbers(region: str) -> set[str]:
    """The precise number literals of hidden code (``MIN_DIGITS`` significant digits or more)."""
    found = set()
    try:
        for token in tokenize.generate_tokens(StringIO(region).readline):
            if token.type == tokenize.NUMBER and _significant(token.string) >= MIN_DIGITS \
                    and not token.string.lower().startswith(("0x", "0o", "0b")):
                found.add(token.string.replace("_", ""))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def _number_in(number: str, text: str) -> bool:
    """Is ``number`` in ``text`` as a number of its own (0.73105 in "p = 0.73105", not in "0.731052")?"""
    start = text.find(number)
    while start >= 0:
        before, after = text[start - 1:start], text[start + len(number):start + len(number) + 1]
        if not (before.isdigit() or before == ".") and not after.isdigit():
            return True
        start = text.find(number, start + 1)
    return False


def _values(region: str) -> set[str]:
    """The literal values written in hidden code, squashed: long strings and displays (lists, tuples, ...)."""
    found = set()
    try:
        for token in tokenize.generate_tokens(StringIO(region).readline):
            if token.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(token.string)
                except (ValueError, SyntaxError):
                    continue
                text = squash(value if isinstance(value, str) else repr(value))
                if len(text) >= MIN_VALUE:
                    found.add(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    try:
        tree = ast.parse(textwrap.dedent(region))
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            try:
                value = ast.literal_eval(node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            for text in (squash(ast.unparse(node)), squash(repr(value))):
                if len(text) >= MIN_VALUE:
                    found.add(text)
    return found


def output_texts(output) -> list[str]:
    """Every text an output carries: streams, errors, text-like data (``text/*``, JSON, JavaScript, SVG,
    a widget's state) and metadata. Base64 data (pictures, PDFs) is not text: see ``opaque``."""
    texts: list[str] = []
    kind = output.get("output_type")
    if kind == "stream":
        texts.append(_joined(output.get("text", "")))
    elif kind == "error":
        texts += [str(output.get("ename", "")), str(output.get("evalue", "")),
                  "\n".join(map(str, output.get("traceback", [])))]
    for mime, value in (output.get("data") or {}).items():
        if isinstance(value, str):
            texts += [value] if mime.startswith(_TEXT_MIMES) else []
        elif isinstance(value, list) and all(isinstance(line, str) for line in value) and mime.startswith(_LINES):
            texts.append("".join(value))  # nbformat's multi-line text
        else:
            texts += _strings(value)
    texts += _strings(output.get("metadata") or {})
    return texts


def opaque(output) -> bool:
    """Does the output carry data no scan can read (a picture, a PDF, base64 of anything)?"""
    return any(not mime.startswith(_TEXT_MIMES) and isinstance(value, (str, list))
               for mime, value in (output.get("data") or {}).items())


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _strings(value) -> list[str]:
    """Every string in a JSON value (keys too), and the value as JSON."""
    if isinstance(value, str):
        return [value]
    out = [json.dumps(value, ensure_ascii=False, default=str)]
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack += list(item.keys()) + list(item.values())
        elif isinstance(item, (list, tuple)):
            stack += list(item)
    return out


def safe_outputs(outputs: list, secrets: Secrets, after_hidden: bool) -> list:
    """``outputs`` with every output that shows a secret replaced by a note, and, from the first hidden test on
    (``after_hidden``), every output no scan can read too."""
    import nbformat

    kept = []
    for output in outputs:
        if any(secrets.found_in(text) for text in output_texts(output)):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=WITHHELD))
        elif after_hidden and opaque(output):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=PICTURE_WITHHELD))
        else:
            kept.append(output)
    return kept


def safe_message(text: str, secrets: Secrets, withheld: str = MESSAGE_WITHHELD) -> str:
    """``text`` (a test's message, a reason), or ``withheld`` when it shows a secret."""
    return withheld if secrets.found_in(text) else text
