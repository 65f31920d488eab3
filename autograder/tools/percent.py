"""Write notebooks as plain text: the "percent" format, with nbgrader roles in the cell markers.

An instructor may author a source notebook as a ``.py`` file and convert it (``python -m autograder
percent lesson.py lesson.ipynb``); the ``.ipynb`` is what the course keeps. Cell markers::

    # %% [markdown]                      a markdown cell (every line starts with "# " or is "#")
    # %%                                 a plain code cell
    # %% answer id=predict               student answer (### BEGIN/END SOLUTION inside)
    # %% test id=test_predict points=2   autograded test (### BEGIN/END HIDDEN TESTS optional)
    # %% locked id=setup                 read-only code cell
    # %% [markdown] manual id=why points=2   manually graded written answer
    # %% [markdown] locked id=intro      read-only markdown
"""

import re
import sys
from pathlib import Path

import nbformat

_MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?P<rest>.*)$")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _role_metadata(role: str, options: dict[str, str], markdown: bool) -> dict:
    grade_id = options.get("id")
    if role and not grade_id:
        raise ValueError(f"a '{role}' cell needs id=...")
    flags = {
        "answer": dict(grade=False, solution=True, locked=False),
        "test": dict(grade=True, solution=False, locked=True),
        "locked": dict(grade=False, solution=False, locked=True),
        "manual": dict(grade=True, solution=True, locked=False),
    }
    if role not in flags:
        raise ValueError(f"unknown cell role {role!r}")
    if (role == "manual") != markdown and role in ("manual", "answer", "test"):
        raise ValueError(f"a '{role}' cell must be {'markdown' if role == 'manual' else 'code'}")
    meta = dict(schema_version=3, grade_id=grade_id, **flags[role])
    if meta["grade"]:
        points = float(options.get("points", 0))
        meta["points"] = int(points) if points.is_integer() else points
        if meta["points"] <= 0:
            raise ValueError(f"graded cell {grade_id} needs points=N > 0")
    return {"nbgrader": meta}


def parse(text: str) -> nbformat.NotebookNode:
    """Notebook from percent-format ``text`` (cells as described in the module docstring)."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC,
                                                  "language_info": {"name": "python"}})
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if _MARKER.match(line):
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip():
            raise ValueError("text before the first '# %%' marker")
    for index, (marker, lines) in enumerate(blocks):
        match = _MARKER.match(marker)
        markdown = bool(match["markdown"])
        words = match["rest"].split()
        role = words[0] if words and "=" not in words[0] else ""
        options = dict(word.split("=", 1) for word in words[1 if role else 0:])
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        metadata = _role_metadata(role, options, markdown) if role else {}
        cell_id = options.get("id", f"cell-{index:03d}")
        if markdown:
            body = "\n".join(re.sub(r"^# ?", "", line) for line in lines)
            cell = nbformat.v4.new_markdown_cell(body, metadata=metadata)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(lines), metadata=metadata)
        cell.id = cell_id
        notebook.cells.append(cell)
    ids = [cell.id for cell in notebook.cells]
    duplicates = {cell_id for cell_id in ids if ids.count(cell_id) > 1}
    if duplicates:
        raise ValueError(f"duplicate cell ids: {sorted(duplicates)}")
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    """Percent-format text of ``notebook`` (inverse of ``parse`` for the roles it knows)."""
    out = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        role = ""
        if meta.get("grade") and meta.get("solution"):
            role = "manual"
        elif meta.get("grade"):
            role = "test"
        elif meta.get("solution"):
            role = "answer"
        elif meta.get("locked"):
            role = "locked"
        marker = "# %%" + (" [markdown]" if cell.cell_type == "markdown" else "")
        if role:
            marker += f" {role} id={meta['grade_id']}"
            if meta.get("grade"):
                marker += f" points={meta['points']:g}"
        out.append(marker)
        if cell.cell_type == "markdown":
            out.extend(("# " + line).rstrip() for line in cell.source.splitlines())
        else:
            out.extend(cell.source.splitlines())
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """``percent IN OUT``: convert .py to .ipynb or .ipynb to .py, by the files' suffixes."""
    source, target = Path(argv[0]), Path(argv[1])
    if source.suffix == ".py":
        nbformat.write(parse(source.read_text()), target)
    else:
        target.write_text(render(nbformat.read(source, as_version=4)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
