"""ruff over every .py and .ipynb file (configured in pyproject.toml), as part of the test
command; and no stored notebook output shows a warning (stderr)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extra: pip install -e .[test])")
    result = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stored_outputs_show_no_stderr():
    """What a reader sees on GitHub (and what nbval compares) has no warning in it: a library's
    warning that reaches a stored output (matplotlib's font warnings, say) is a defect to fix
    at its source, not an output to keep."""
    import json

    found = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    text = "".join(out.get("text", ""))[:120]
                    found.append(f"{path.relative_to(ROOT)} cell {i}: {text!r}")
    assert not found, "\n".join(found)
