"""helpers/_server.py: the Jupyter server relays the kernel's frames at once (TCP_NODELAY on the
kernel WebSocket). A real jupyter_server, in a subprocess: the WebSocket's socket option is read on
the server's own end, with jupyter_server's default connection class and with the course's."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import pytest  # noqa: E402

import course  # noqa: E402
from helpers import _server  # noqa: E402

# Starts a jupyter_server with the given connection class (or its default), opens one kernel's
# WebSocket as the page does, and prints TCP_NODELAY as the server's end of that socket has it.
PROBE = r"""
import asyncio, gc, json, socket, sys, tempfile
import tornado.httpclient, tornado.websocket
from jupyter_server.serverapp import ServerApp
from jupyter_server.services.kernels.connection.base import BaseKernelWebsocketConnection

app = ServerApp()
argv = ["--ServerApp.ip=127.0.0.1", "--ServerApp.port=0", "--IdentityProvider.token=tok",
        f"--ServerApp.root_dir={tempfile.mkdtemp()}", "--ServerApp.open_browser=False",
        "--allow-root"] + sys.argv[1:]
app.initialize(argv=argv, find_extensions=False)
out = {}

async def client():
    base, auth = f"http://127.0.0.1:{app.port}", {"Authorization": "token tok"}
    http = tornado.httpclient.AsyncHTTPClient()
    try:
        r = await http.fetch(base + "/api/kernels", method="POST", body="{}", headers=auth)
        kid = json.loads(r.body)["id"]
        ws = await tornado.websocket.websocket_connect(tornado.httpclient.HTTPRequest(
            base.replace("http", "ws", 1) + f"/api/kernels/{kid}/channels?session_id=probe",
            headers=auth))
        await asyncio.sleep(0.3)
        conns = [o for o in gc.get_objects() if isinstance(o, BaseKernelWebsocketConnection)]
        out["connections"] = [
            {"class": f"{type(c).__module__}.{type(c).__qualname__}",
             "nodelay": c.websocket_handler.ws_connection.stream.socket.getsockopt(
                 socket.IPPROTO_TCP, socket.TCP_NODELAY)}
            for c in conns if c.websocket_handler is not None and c.websocket_handler.ws_connection
        ]
        ws.close()
        await http.fetch(base + f"/api/kernels/{kid}", method="DELETE", headers=auth)
    finally:
        app.stop()

app.io_loop.add_callback(client)
app.start()
print("PROBE " + json.dumps(out))
"""


def probe(*args: str, env: dict | None = None) -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    lines = [ln for ln in run.stdout.splitlines() if ln.startswith("PROBE ")]
    assert run.returncode == 0 and lines, run.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("PROBE "))["connections"]


def test_the_launcher_and_the_module_name_the_same_option():
    assert course.SERVER_OPTION == _server.SERVER_OPTION
    cmd = course.jupyterlab_command(Path(sys.executable), "tok", 8899, open_browser=False)
    assert _server.SERVER_OPTION in cmd


def test_a_server_the_course_does_not_start_gets_it_from_the_environment_s_config(tmp_path):
    """Binder's postBuild (and a JupyterHub admin) call write_server_config(): the file it writes,
    on a config path, makes a server use the course's connection; other settings stay."""
    post_build = (ROOT / ".binder" / "postBuild").read_text(encoding="utf-8")
    assert "write_server_config()" in post_build
    (tmp_path / "jupyter_server_config.json").write_text(
        '{"ServerApp": {"shutdown_no_activity_timeout": 600}}'
    )
    path = _server.write_server_config(tmp_path)
    kept = json.loads(path.read_text(encoding="utf-8"))["ServerApp"]
    assert kept["shutdown_no_activity_timeout"] == 600
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(tmp_path))
    assert probe(env=env) == [{"class": "helpers._server.NoDelayKernelConnection", "nodelay": 1}]


def test_write_server_config_names_a_bad_folder():
    with pytest.raises(ValueError, match="config_dir"):
        _server.write_server_config(3)


def test_the_kernel_websocket_has_nodelay_with_the_course_option_and_not_without():
    default = probe()
    assert [c["nodelay"] for c in default] == [0], (
        f"jupyter_server's own kernel WebSocket: {default}. If it now sets TCP_NODELAY itself, "
        "helpers/_server.py is no longer needed."
    )
    ours = probe(_server.SERVER_OPTION)
    assert ours == [{"class": "helpers._server.NoDelayKernelConnection", "nodelay": 1}], ours
