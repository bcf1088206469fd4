"""environment.yml (conda, JupyterHub), .binder/ (Binder) and pyproject.toml (pip) agree."""

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def parse(spec: str) -> tuple[str, str]:
    name, version = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def pyproject_specs() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [
        s for s in project["optional-dependencies"]["test"] if ";" not in s
    ]
    return dict(parse(s) for s in specs)


# conda-forge's names for the packages pip knows by another name
CONDA_NAMES = {"python-isal": "isal"}


def conda_specs(path: Path) -> tuple[dict[str, str], list]:
    env = yaml.safe_load(path.read_text())
    assert env["channels"] == ["conda-forge"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    specs = dict(parse(s) for s in plain)
    specs = {CONDA_NAMES.get(name, name): version for name, version in specs.items()}
    specs.pop("python"), specs.pop("pip")
    return specs, pip


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    specs, pip = conda_specs(ROOT / "environment.yml")
    assert specs == pyproject_specs()
    assert pip == [["-e ."]], (
        "environment.yml must install the course itself through its pip section"
    )


def test_binder_environment_is_the_same_without_the_pip_section():
    specs, pip = conda_specs(ROOT / ".binder" / "environment.yml")
    assert specs == pyproject_specs()
    assert pip == []
    assert "pip install --no-deps -e ." in (ROOT / ".binder" / "postBuild").read_text()


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
