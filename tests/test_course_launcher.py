"""`python course.py open` starts JupyterLab on 127.0.0.1 with a token, landing on lesson 00."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import course  # noqa: E402


def test_command_binds_localhost_with_a_token_and_opens_lesson_00():
    cmd = course.jupyterlab_command(Path(sys.executable), "secret-token", 8899, open_browser=False)
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert "--IdentityProvider.token=secret-token" in cmd
    assert not any("token=''" in c or c.endswith("token=") for c in cmd)
    assert cmd[-1] == course.FIRST_NOTEBOOK and (ROOT / course.FIRST_NOTEBOOK).exists()
    assert ("--allow-root" in cmd) == (hasattr(os, "geteuid") and os.geteuid() == 0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_server_refuses_requests_without_the_token():
    port, token = free_port(), "t0k3n-for-the-test"
    cmd = course.jupyterlab_command(Path(sys.executable), token, port, open_browser=False)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(ROOT / ".venv" / "jupyter-runtime-test")}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status = get(f"{base}/api/status?token={token}")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("JupyterLab did not start within 60 s")
                time.sleep(0.5)
        assert status == 200
        assert get(f"{base}/api/status") == 403
        assert get(f"{base}/api/contents/notebooks?token={token}") == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
