"""Repository gates: ruff clean, notebooks stored without outputs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff():
    result = subprocess.run([BIN / "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebooks_have_no_outputs():
    notebooks = sorted(str(p.relative_to(ROOT)) for pattern in ("notebooks/*.ipynb", "source/*/*.ipynb",
                                                                  "release/*/*.ipynb") for p in ROOT.glob(pattern))
    command = [BIN / "nbstripout", "--keep-id", "--verify", *notebooks]  # keep-id: cell ids are stable keys
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"outputs stored in: {result.stdout}{result.stderr} (run nbstripout)"


def broken_inline_formulas(markdown: str) -> list[str]:
    """Inline formulas (``$...$``) that continue on a line starting with ``+``, ``-`` or ``*`` and a space:
    a markdown parser reads that line as a list item before the formula is typeset, and the rendered page
    runs the following text together as math. Returns each such formula's first 60 characters."""
    import re

    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    spans = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", text, flags=re.S)
    return [span[:60] for span in spans if re.search(r"\n[ \t]*[-+*][ \t]", span)]


def test_broken_inline_formula_is_found():
    assert broken_inline_formulas("momentum $v = \\beta v\n+ g$ keeps going") == ["v = \\beta v\n+ g"]
    assert broken_inline_formulas("$a + b$ and\n- a list item with $c$") == []


def test_no_inline_formula_is_split_before_a_list_marker():
    import json

    broken = []
    for pattern in ("notebooks/*.ipynb", "source/*/*.ipynb"):
        for path in sorted(ROOT.glob(pattern)):
            for index, cell in enumerate(json.loads(path.read_text())["cells"]):
                if cell["cell_type"] == "markdown":
                    broken += [f"{path.relative_to(ROOT)} cell {index}: ${span}..."
                               for span in broken_inline_formulas("".join(cell["source"]))]
    assert not broken, "keep each inline formula on one line:\n" + "\n".join(broken)
