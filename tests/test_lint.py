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
