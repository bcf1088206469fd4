"""Kernel side of the slider-move trace (see benchmarks/README.md): where a move spends its time.

`install()`, run inside a live kernel (the browser test runs it through a second, silent client),
stamps with the wall clock (ms since the epoch, the clock the page's `performance.timeOrigin +
performance.now()` also reads):

  recv      a comm message from the page reaches the kernel's comm handler (msg_id, method)
  refresh   an explorer's observer starts and ends (`Explorer._refresh`)
  compute   / update / blit / full_draw / encode (`get_diff_image`: the frame's PNG), each with
            the kernel thread's CPU time in it (`time.thread_time`)
  send      every message the kernel sends while handling it (msg_id, what it is, bytes)
  zmq_out   the IOPub thread's zmq send of a message (msg_id)

Every record carries the msg_id of the page's message being handled, so the page's own stamps
(key press, WebSocket send, WebSocket receive, image decoded, painted) can be joined to them.
`dump()` returns the records as JSON and clears them. Measurement only: the wrappers are
instance attributes on the kernel's own objects, removed by `uninstall()`; nothing in `helpers`
depends on this module.
"""

from __future__ import annotations

import gc
import json
import time

__all__ = ["install", "uninstall", "dump"]

_records: list = []
_undo: list = []


def _now() -> float:
    return time.time() * 1e3


def _parent_id(kernel) -> str | None:
    try:
        return kernel.get_parent()["header"]["msg_id"]
    except (KeyError, TypeError, AttributeError):
        return None


def _what(msg_type, content) -> str:
    data = (content or {}).get("data") or {}
    method = data.get("method")
    if method == "custom":  # ipympl's own messages: {"data": '{"type": ...}'}
        data = data.get("content") or {}
        method = None
    if method:
        keys = ",".join(sorted((data.get("state") or {}).keys()))
        return f"{msg_type}:{method}:{keys}"
    if "data" in data:  # ipympl's custom messages: {"data": '{"type": ...}'}
        try:
            return f"{msg_type}:custom:{json.loads(data['data']).get('type')}"
        except (TypeError, ValueError):
            return f"{msg_type}:custom"
    return msg_type


def _wrap(obj, name, before=None, after=None):
    orig = getattr(obj, name)
    had = name in vars(obj)

    def wrapper(*args, **kwargs):
        t0 = _now()
        if before:
            before(t0, args, kwargs)
        c0 = time.thread_time()
        out = orig(*args, **kwargs)
        if after:
            after(t0, _now(), args, kwargs, out, (time.thread_time() - c0) * 1e3)
        return out

    setattr(obj, name, wrapper)
    _undo.append((obj, name, orig if had else None))


def install() -> int:
    """Wrap the kernel's comm handler and session, and every live explorer; return how many
    explorers are traced."""
    uninstall()
    from IPython import get_ipython

    from helpers.explorer import Explorer

    kernel = get_ipython().kernel

    handler = kernel.shell_handlers["comm_msg"]

    def traced_comm_msg(stream, ident, msg):
        data = msg["content"].get("data") or {}
        _records.append(
            {
                "kind": "recv",
                "t": _now(),
                "msg": msg["header"]["msg_id"],
                "what": _what("comm_msg", msg["content"]),
                "keys": sorted((data.get("state") or {}).keys()),
            }
        )
        return handler(stream, ident, msg)

    kernel.shell_handlers["comm_msg"] = traced_comm_msg
    _undo.append((kernel.shell_handlers, "comm_msg", handler))

    session = kernel.session

    def after_send(t0, t1, args, kwargs, out, cpu_ms):
        if not isinstance(out, dict):
            return
        header = out.get("header") or {}
        nbytes = sum(len(memoryview(b)) for b in (kwargs.get("buffers") or []))
        _records.append(
            {
                "kind": "send",
                "t": t1,
                "t0": t0,
                "parent": _parent_id(kernel),
                "msg": header.get("msg_id"),
                "what": _what(header.get("msg_type"), out.get("content")),
                "bytes": nbytes + len(json.dumps(out.get("content"), default=str)),
            }
        )

    _wrap(session, "send", after=after_send)

    # The IOPub thread's actual zmq send (ipykernel hands IOPub messages to a thread of its own):
    # how long a message waits in the kernel after `session.send` returned.
    io_thread = getattr(kernel.iopub_socket, "io_thread", None)
    if io_thread is not None and hasattr(io_thread, "_really_send"):

        def after_zmq(t0, t1, args, kwargs, out, cpu_ms):
            frames = args[0] if args else []
            try:
                i = [bytes(f) for f in frames].index(b"<IDS|MSG>")
                msg_id = json.loads(bytes(frames[i + 2]))["msg_id"]
            except (ValueError, IndexError, KeyError, TypeError):
                return
            _records.append({"kind": "zmq_out", "t": t0, "t1": t1, "msg": msg_id})

        _wrap(io_thread, "_really_send", after=after_zmq)

    def span(kind):
        def after(t0, t1, args, kwargs, out, cpu_ms):
            _records.append(
                {
                    "kind": kind,
                    "t": t0,
                    "t1": t1,
                    "cpu": cpu_ms,
                    "parent": _parent_id(kernel),
                }
            )

        return after

    explorers = [o for o in gc.get_objects() if isinstance(o, Explorer) and not o.closed]
    for ex in explorers:
        for name, kind in (
            ("_refresh", "refresh"),
            ("compute", "compute"),
            ("update", "update"),
            ("_blit", "blit"),
            ("_full_redraw", "full_draw"),
        ):
            _wrap(ex, name, after=span(kind))
        _wrap(ex.canvas, "get_diff_image", after=span("encode"))
    return len(explorers)


def uninstall() -> None:
    while _undo:
        obj, name, orig = _undo.pop()
        if isinstance(obj, dict):
            obj[name] = orig
        elif orig is None:
            try:
                delattr(obj, name)
            except AttributeError:
                pass
        else:
            setattr(obj, name, orig)


def dump() -> str:
    out = json.dumps(_records)
    _records.clear()
    return out
