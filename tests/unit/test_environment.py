"""environment.yml (conda users) lists the same packages as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def names(specs):
    return {re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower() for spec in specs}


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = {spec for spec in project["dependencies"] + extras["dev"] + extras["dask"] + extras["hub"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in conda["dependencies"] if isinstance(item, dict))
    listed = [line for line in pip_section if not line.startswith("-e")]
    assert "-e .[dev,dask,hub]" in pip_section, "the conda environment installs this repository"
    assert names(listed) == names(wanted)
    assert set(listed) == wanted, "versions differ between environment.yml and pyproject.toml"
    assert "torch==2.13.0" in listed and "torch==2.13.0" in project["dependencies"]
