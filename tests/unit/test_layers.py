"""The harness's imports point one way: each pipeline step imports only the steps below it (docs/pipeline.md).

``LAYERS`` is the order, lowest first: a step folder of ``autograder/`` (``core``, ``judge``, ...) or a
module at its top (``checks``, ``grade``, ``cli``). A module may import its own layer and any layer
below; an import of a layer above, or of the course's own packages, fails naming the file and the line.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "autograder"
LAYERS = ["core", "judge", "checks", "intake", "run", "release", "store", "outputs", "grade", "tools", "cli",
          "__main__", "__init__"]
COURSE_PACKAGES = ("coursetools", "dlcourse")  # the course's own: the harness runs for any course without them


def layer_of(path: Path, package: Path = PACKAGE) -> str:
    """The layer of a file of ``autograder/``: its step folder, or its own name at the package's top."""
    relative = path.relative_to(package)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in ``tree``, functions' bodies included; ``from autograder
    import x`` counts as importing ``autograder.x``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "autograder":
                found += [(node.lineno, f"autograder.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def breaches(package: Path = PACKAGE) -> list[str]:
    """Every import of ``package`` that points up a layer, or out to the course's packages, as
    ``file:line imports module (layer a imports layer b)``."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        layer = layer_of(path, package)
        where = path.relative_to(package.parent)
        if layer not in LAYERS:
            problems.append(f"{where}: layer {layer!r} is not in LAYERS; add it where its imports put it")
            continue
        for line, module in imported(ast.parse(path.read_text(), str(path))):
            top, *rest = module.split(".")
            if top in COURSE_PACKAGES:
                problems.append(f"{where}:{line} imports {module} (the harness must not import the course's packages)")
            elif top == "autograder" and rest:
                target = rest[0]
                if target in LAYERS and LAYERS.index(target) > LAYERS.index(layer):
                    problems.append(f"{where}:{line} imports {module} ({layer} sits below {target})")
    return problems


def test_every_import_points_down_the_layers():
    """No step imports a step above it, and nothing in the harness imports the course's own packages."""
    assert breaches() == []


def test_every_file_has_a_layer():
    """A new step folder or top-level module must be placed in LAYERS before it is checked."""
    layers = {layer_of(path) for path in PACKAGE.rglob("*.py")}
    assert layers <= set(LAYERS), f"not in LAYERS: {sorted(layers - set(LAYERS))}"


@pytest.mark.parametrize("source, expected", [
    ("from autograder.outputs.feedback import write_feedback\n", "core sits below outputs"),
    ("from autograder import grade\n", "core sits below grade"),
    ("def f():\n    import coursetools.demo\n", "must not import the course's packages"),
    ("from dlcourse import data\n", "must not import the course's packages"),
])
def test_an_upward_import_is_caught(tmp_path, source, expected):
    """The check itself can fail: a core module importing upwards (even inside a function) is named."""
    package = tmp_path / "autograder"
    (package / "core").mkdir(parents=True)
    (package / "core" / "bad.py").write_text(source)
    (package / "core" / "fine.py").write_text("from autograder.core import errors\nimport json\n")
    problems = breaches(package)
    assert len(problems) == 1 and problems[0].startswith("autograder/core/bad.py:") and expected in problems[0]
