"""How the Jupyter server relays the kernel's frames to the page: at once (TCP_NODELAY).

jupyter_server's kernel WebSocket leaves Nagle's algorithm on (tornado's default; tornado's own
`WebSocketHandler.set_nodelay` documents the cost: "200-500ms delays due to the interaction between
Nagle's algorithm and TCP delayed ACKs"). A slider move sends the kernel's `status: busy` (small),
then the frame (10–35 KiB): with Nagle on, the frame's last segment waits for the page to
acknowledge the status, and the page's TCP delays that acknowledgement by up to 40 ms. While a
learner drags, that happens on every update (benchmarks/README.md: the drag's cycle).

`NoDelayKernelConnection` is jupyter_server's own kernel connection with the flag set once the
WebSocket is open. It is plugged in through the server's public option:

    jupyter lab \
        --ServerApp.kernel_websocket_connection_class=helpers._server.NoDelayKernelConnection

`course.py` starts JupyterLab with it (`jupyterlab_command`); for a server the course does not start
(Binder's, a JupyterHub's), `write_server_config()` puts it in the environment's own Jupyter
configuration (Binder's `postBuild` calls it). Nothing else changes: same class, same messages,
same protocol.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["CONNECTION_CLASS", "NoDelayKernelConnection", "SERVER_OPTION", "write_server_config"]


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's ZMQ kernel connection, with TCP_NODELAY on the page's WebSocket."""

    def connect(self):
        # `connect` runs from the handler's `open()`, once the WebSocket is established
        # (tornado's `set_nodelay` needs the connection).
        self.websocket_handler.set_nodelay(True)
        return super().connect()


CONNECTION_CLASS = f"{NoDelayKernelConnection.__module__}.{NoDelayKernelConnection.__qualname__}"
SERVER_OPTION = f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}"


def write_server_config(config_dir: str | Path | None = None) -> Path:
    """Set the connection class in `config_dir/jupyter_server_config.json` (default: this
    environment's `<sys.prefix>/etc/jupyter`, which every Jupyter server started from it reads),
    keeping whatever else the file holds. Returns the file's path."""
    if config_dir is not None and not isinstance(config_dir, (str, Path)):
        raise ValueError(
            f"config_dir must be a folder path (str or Path) or None, got "
            f"{type(config_dir).__name__}: {config_dir!r}"
        )
    folder = Path(config_dir) if config_dir is not None else Path(sys.prefix) / "etc" / "jupyter"
    path = folder / "jupyter_server_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config.setdefault("ServerApp", {})["kernel_websocket_connection_class"] = CONNECTION_CLASS
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path
