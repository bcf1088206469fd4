"""An explorer gives back what it holds: re-running lesson 00's explorer cell 100 times in a real
kernel keeps its resident memory within 30 MB (before, 40 re-runs added 273 MB)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

jupyter_client = pytest.importorskip("jupyter_client")

ROOT = Path(__file__).resolve().parent.parent
RERUNS = 100
LIMIT_MB = 30.0


def _explorer_cell() -> str:
    nb = json.loads((ROOT / "notebooks/00_start_here.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    setup = next(c for c in cells if "import" in c)
    cell = next(c for c in cells if re.search(r"=\s*AttentionExplorer\(", c))
    return setup, cell


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _run(kc, code: str) -> None:
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_rerunning_an_explorer_cell_does_not_pile_up_memory():
    setup, cell = _explorer_cell()
    km, kc = jupyter_client.manager.start_new_kernel(
        kernel_name="python3", cwd=str(ROOT / "notebooks"), env={**os.environ, "MPLBACKEND": "Agg"}
    )
    try:
        pid = km.provisioner.process.pid
        _run(kc, setup)
        for _ in range(5):  # warm up: imports, caches, first figures
            _run(kc, cell)
        before = _rss_mb(pid)
        for _ in range(RERUNS):
            _run(kc, cell)
        _run(kc, "import gc; gc.collect()")
        after = _rss_mb(pid)
        printed = []
        kc.execute_interactive(
            "import ipywidgets; print(len(ipywidgets.widgets.widget._instances))",
            timeout=60,
            output_hook=lambda m: printed.append(m["content"].get("text", "")),
        )
        live_widgets = int("".join(printed).split()[0])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    grew = after - before
    print(f"kernel RSS {before:.1f} MB → {after:.1f} MB after {RERUNS} re-runs: +{grew:.1f} MB")
    assert grew < LIMIT_MB, f"re-running the explorer cell grew the kernel by {grew:.1f} MB"
    # one explorer's controls, boxes, canvas, layouts and styles: not one set per re-run
    assert live_widgets < 60, f"{live_widgets} widgets still live after {RERUNS} re-runs"
