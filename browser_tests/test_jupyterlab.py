"""End-to-end: every lesson driven in a real JupyterLab, in headless chromium.

For each notebook: open it, Run All, check no cell failed; find every explorer (`.course-explorer`,
the
VBox `helpers.explorer.Explorer` builds; or any widget box holding controls and an ipympl figure);
operate
each control as a learner does (arrow keys on slider handles, typing in text boxes, choosing in
dropdowns,
clicking toggles) and check that the figure in the page changes; screenshot each explorer before and
after;
measure the latency from a slider key press to the redrawn figure; shut the kernel down.

Latency is measured inside the page: a capture-phase `keydown` listener stamps the press, and a
wrapper
around `CanvasRenderingContext2D.drawImage` stamps every frame ipympl paints onto the figure's
canvas.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import statistics
import time
import urllib.error

import pytest
from conftest import (
    NOTEBOOKS_DIR,
    ROOT,
    LessonLatency,
    latency_table,
    lesson_notebooks,
    targets_table,
    trace_table,
)

PRESSES_PER_LESSON = 24  # ≥ 20 timed slider presses per lesson
RUN_TIMEOUT_S = float(os.environ.get("COURSE_RUN_TIMEOUT", "900"))
FRAME_TIMEOUT_S = 15.0  # a press or a change with no new frame by then counts as "nothing happened"
QUIET_S = 0.35  # no new frame for this long = the figure has settled
STDERR = "application/vnd.jupyter.stderr"

INIT_SCRIPT = r"""
(() => {
  if (window.__e2e) return;
  const e2e = window.__e2e = { lastKey: 0 };
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const out = drawImage.apply(this, args);
    const c = this.canvas;
    if (c && c.__e2eDraws) c.__e2eDraws.push(performance.now());
    return out;
  };
  window.addEventListener('keydown', () => { e2e.lastKey = performance.now(); }, true);
  // Where the time goes: the page sends the new value to the kernel (WebSocket.send), the
  // kernel's image arrives (ipympl turns it into a blob URL), the frame is painted (drawImage
  // above).
  e2e.sent = []; e2e.images = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    e2e.sent.push(performance.now());
    if (e2e.sent.length > 500) e2e.sent.splice(0, 250);
    return send.call(this, data);
  };
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (obj) {
    if (obj && obj.type === 'image/png') {
      e2e.images.push(performance.now());
      if (e2e.images.length > 500) e2e.images.splice(0, 250);
    }
    return createObjectURL.call(this, obj);
  };
  // The trace (benchmarks/README.md): every WebSocket message in and out, stamped with the wall
  // clock the kernel's stamps use (ms since the epoch), with its msg_id and what it is.
  e2e.epoch = () => performance.timeOrigin + performance.now();
  e2e.ws = [];
  const utf8 = new TextDecoder();
  const what = (msg) => {
    if (!msg || !msg.header) return '?';
    const type = msg.header.msg_type;
    let data = (msg.content && msg.content.data) || {};
    if (data.method === 'custom') data = data.content || {};
    if (data.method) {
      return type + ':' + data.method + ':' + Object.keys(data.state || {}).sort().join(',');
    }
    if (typeof data.data === 'string') {
      try { return type + ':custom:' + JSON.parse(data.data).type; } catch (e) { /* below */ }
    }
    return type;
  };
  const decode = (raw) => {
    try {
      if (typeof raw === 'string') return JSON.parse(raw);
      const buf = raw instanceof ArrayBuffer ? raw : raw.buffer;
      const dv = new DataView(buf);
      const n = Number(dv.getBigUint64(0, true));
      if (n > 0 && n < 64) {  // the v1 kernel protocol: offsets, channel, header, ..., content
        const off = [];
        for (let i = 1; i <= n; i++) off.push(Number(dv.getBigUint64(8 * i, true)));
        const part = (i) => utf8.decode(new Uint8Array(buf, off[i], off[i + 1] - off[i]));
        return { header: JSON.parse(part(1)), parent_header: JSON.parse(part(2)),
                 content: JSON.parse(part(4)) };
      }
      const m = dv.getUint32(0);  // the legacy protocol: buffers after a JSON message
      const start = dv.getUint32(4);
      const end = m > 1 ? dv.getUint32(8) : buf.byteLength;
      return JSON.parse(utf8.decode(new Uint8Array(buf, start, end - start)));
    } catch (e) { return null; }
  };
  const size = (raw) => (typeof raw === 'string' ? raw.length : raw.byteLength || 0);
  const stamp = (dir, raw) => {
    const t = e2e.epoch();
    const msg = decode(raw);
    e2e.ws.push({ t, dir, bytes: size(raw), msg: msg && msg.header && msg.header.msg_id,
                  parent: msg && msg.parent_header && msg.parent_header.msg_id,
                  what: what(msg) });
    if (e2e.ws.length > 6000) e2e.ws.splice(0, 3000);
  };
  const wsSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    stamp('out', data);
    return wsSend.call(this, data);
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new NativeWS(...args);
    ws.addEventListener('message', (ev) => stamp('in', ev.data));
    return ws;
  };
  window.WebSocket.prototype = NativeWS.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  e2e.canvas = (root) => {
    const div = root.querySelector('.jupyter-matplotlib-canvas-div');
    return div ? div.querySelector('canvas') : root.querySelector('.jupyter-matplotlib canvas');
  };
  e2e.watch = (root) => { const c = e2e.canvas(root); if (c) c.__e2eDraws = []; };
  e2e.draws = (root) => {
    const c = e2e.canvas(root);
    return c && c.__e2eDraws ? c.__e2eDraws.slice() : [];
  };
  // What the learner sees: the figure's pixels, whether it is shown, and any message in its place.
  e2e.signature = (root) => {
    const c = e2e.canvas(root);
    let pix = 'none';
    if (c && c.width && c.height) {
      const image = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      const data = new Uint32Array(image.data.buffer);
      let h = 0x811c9dc5;
      for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 16777619);
      pix = c.width + 'x' + c.height + ':' + (h >>> 0).toString(16);
    }
    const shown = !!(c && c.offsetParent !== null);
    const msgs = [...root.querySelectorAll('.widget-html')]
      .filter((el) => el.offsetParent !== null && !el.closest('.widget-inline-hbox'))
      .map((el) => el.innerText.trim()).join(' | ');
    return pix + '|' + shown + '|' + msgs;
  };
})();
"""

CONTROL_SELECTOR = (
    ".widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-toggle-button, "
    ".widget-checkbox, "
    ".widget-text, .widget-textarea, .widget-radio, .widget-select, .widget-select-multiple"
)

FIND_EXPLORERS = r"""
(controlSel) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document;
  // helpers.explorer.Explorer builds a VBox with the class `course-explorer` ...
  const roots = [...panel.querySelectorAll('.course-explorer')];
  // ... and any other widget box holding controls and an ipympl figure counts as an explorer too.
  for (const fig of panel.querySelectorAll('.jupyter-matplotlib')) {
    if (roots.some((r) => r.contains(fig))) continue;
    for (let el = fig.parentElement; el && el !== panel; el = el.parentElement) {
      if (el.classList.contains('jp-OutputArea-output')) break;
      if (el.classList.contains('widget-box') && el.querySelector(controlSel)) {
        if (!roots.includes(el) && !el.querySelector('.course-explorer')) roots.push(el);
        break;
      }
    }
  }
  const sorted = roots.filter((r) => r.querySelector('.jupyter-matplotlib'))
    .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  sorted.forEach((r, i) => r.setAttribute('data-e2e-explorer', String(i)));
  return sorted.map((r) => r.classList.contains('course-explorer') ? 'Explorer' : 'widget box');
}
"""

LIST_CONTROLS = r"""
(root, controlSel) => {
  const all = [...root.querySelectorAll(controlSel)]
    .filter((el) => !el.closest('.jupyter-matplotlib'));
  const outer = all.filter((el) => !all.some((o) => o !== el && o.contains(el)));
  return outer.map((el, i) => {
    el.setAttribute('data-e2e-control', String(i));
    const c = el.classList;
    let kind = 'unknown';
    if (el.querySelector('.noUi-handle')) kind = 'slider';
    else if (c.contains('widget-dropdown')) kind = 'dropdown';
    else if (c.contains('widget-toggle-buttons')) kind = 'toggle-buttons';
    else if (c.contains('widget-toggle-button')) kind = 'toggle-button';
    else if (c.contains('widget-checkbox')) kind = 'checkbox';
    else if (c.contains('widget-textarea')) kind = 'textarea';
    else if (c.contains('widget-text')) kind = 'text';
    else if (c.contains('widget-radio')) kind = 'radio';
    else if (c.contains('widget-select') || c.contains('widget-select-multiple')) kind = 'select';
    const clean = (t) => (t || '').replace(/[\u200b\s]+/g, ' ').trim();
    const label = clean((el.querySelector('.widget-label') || {}).innerText)
      || clean((el.querySelector('.widget-label-basic') || {}).innerText) || clean(el.innerText);
    const disabled = !!el.querySelector(
      'input:disabled, select:disabled, button:disabled, [disabled]');
    const isStatic = c.contains('course-static-control');
    return { i, kind, label: label.trim().slice(0, 40), static: isStatic, disabled };
  });
}
"""

NOTEBOOK_STATE = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = panel
    ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map((p) => p.textContent.trim())
    : [];
  return { status: ind ? ind.getAttribute('data-status') : null,
           running: prompts.filter((p) => p.includes('*')).length,
           started: prompts.some((p) => /\[(\*|\d+)\]/.test(p)), cells: prompts.length };
}
"""

TRACEBACKS = r"""
(mime) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document;
  return [...panel.querySelectorAll(`.jp-OutputArea-output[data-mime-type="${mime}"]`)]
    .map((el) => el.textContent)
    .filter((t) => /Traceback \(most recent call last\)|^\s*\w*(Error|Exception)\b/m.test(t));
}
"""


def _lessons():
    names = lesson_notebooks()
    return names or [
        pytest.param(None, marks=pytest.mark.skip(reason=f"no notebooks in {NOTEBOOKS_DIR} yet"))
    ]


# ---- the server itself ---------------------------------------------------------------------------
def test_server_requires_the_token(lab_server):
    """The README's server is not open to anyone on the machine: no token, no API."""
    status, _ = lab_server.api("GET", "/api/status")
    assert status == 200
    with pytest.raises(urllib.error.HTTPError) as err:
        lab_server.api("GET", "/api/contents", token=False)
    assert err.value.code in (401, 403)


# ---- one lesson ----------------------------------------------------------------------------------
@pytest.mark.parametrize("notebook", _lessons())
def test_lesson_in_jupyterlab(notebook, lab_server, browser, artifacts_dir, latency_book):
    rel = f"notebooks/{notebook}"
    stem = notebook.removesuffix(".ipynb")
    shots = artifacts_dir / stem
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    skip_reason = None
    try:
        t0 = time.monotonic()
        open_notebook(page, lab_server, rel)
        run_all(page, lab_server, rel)
        t_run = time.monotonic() - t0
        problems += cell_errors(page, lab_server, rel)
        print(
            f"\n[{stem}] Run All finished in {t_run:.0f} s; "
            f"{'cells OK' if not problems else 'CELL ERRORS'}",
            flush=True,
        )
        if problems:  # explorers after a failed cell are not worth driving
            return
        statics = tag_static_controls(lab_server, rel)
        found = page.evaluate(FIND_EXPLORERS, CONTROL_SELECTOR)
        n = len(found)
        print(
            f"[{stem}] {n} explorer(s) {found}; static controls per the kernel: {statics}",
            flush=True,
        )
        if n == 0:
            skip_reason = f"{notebook} has no explorer (every lesson is expected to have one)"
            return
        book = latency_book.setdefault(notebook, LessonLatency(notebook))
        sliders = []
        for i in range(n):
            problems += drive_explorer(page, i, stem, shots, sliders)
        traced = kernel_eval(lab_server, rel, TRACE_INSTALL, "__e2e_traced")
        print(f"[{stem}] kernel trace installed on {traced} explorer(s)", flush=True)
        problems += measure_latency(page, sliders, book)
        if "/" not in notebook:  # the editions share the explorers: drag in the English ones
            measure_drags(page, sliders, book)
        book.kernel += kernel_records(lab_server, rel)
        print(latency_table([book]), flush=True)
        print(targets_table([book]), flush=True)
        print(trace_table([book]), flush=True)
    except BaseException as exc:  # pytest.fail too: record it, so the page is screenshotted
        problems.append(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if problems:
            try:
                page.screenshot(path=str(shots / "failure_page.png"), full_page=False)
            except Exception:  # noqa: BLE001
                pass
            widget_errors = sorted(
                {
                    e[:300]
                    for e in console_errors
                    if re.search(r"widget|matplotlib|setting state|model", e, re.I)
                }
            )
            if widget_errors:
                problems.append("the browser console said: " + " || ".join(widget_errors[:5]))
        context.close()
        deleted = lab_server.delete_sessions(rel)
        print(f"[{stem}] kernel sessions shut down: {deleted}; screenshots: {shots}", flush=True)
        if problems:
            pytest.fail(f"{notebook}:\n  - " + "\n  - ".join(problems), pytrace=False)
        if skip_reason:
            pytest.skip(skip_reason)


# ---- steps ---------------------------------------------------------------------------------------
def open_notebook(page, lab, rel):
    page.goto(f"{lab.url}/lab/tree/{rel}?reset&token={lab.token}", wait_until="domcontentloaded")
    panel = page.locator(".jp-NotebookPanel")
    panel.first.wait_for(state="visible", timeout=120_000)
    dismiss_popups(page)
    page.locator(".jp-Notebook-ExecutionIndicator").first.wait_for(
        state="attached", timeout=120_000
    )


def dismiss_popups(page):
    """The news toast (if it shows despite the setting) and a kernel chooser dialog (if the
    notebook has no kernelspec)."""
    for _ in range(3):
        toast_no = page.locator(".jp-toast-button", has_text=re.compile(r"^\s*No\s*$"))
        if toast_no.count():
            toast_no.first.click()
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():
            dialog.first.click()
        page.wait_for_timeout(300)


def menu(page, title, command):
    """Click a main-menu entry: the menu bar item `title`, then the item bound to `command`."""
    page.locator("li.lm-MenuBar-item").filter(
        has=page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{title}$"))
    ).click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").click()


def wait_kernel_ready(page, lab, rel, timeout=180):
    """The notebook's kernel is started, connected to this page and idle (Run All before that
    runs nothing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dismiss_popups_quick(page)
        kernels = [s.get("kernel") or {} for s in lab.sessions(rel)]
        if any(
            k.get("execution_state") == "idle" and k.get("connections", 0) >= 1 for k in kernels
        ):
            if page.evaluate(NOTEBOOK_STATE)["status"] == "idle":
                return
        page.wait_for_timeout(500)
    pytest.fail(f"the kernel of {rel} was not ready within {timeout} s")


def run_all(page, lab, rel):
    wait_kernel_ready(page, lab, rel)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    # The lessons are stored executed: clear the stored outputs first, so every prompt and
    # output the test
    # reads afterwards comes from this run (in the page and in the served copy; the repo's
    # file is untouched).
    menu(page, "Edit", "editmenu:clear-all")
    deadline = time.monotonic() + 30
    while page.evaluate(NOTEBOOK_STATE)["started"] and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    for _attempt in range(3):
        menu(page, "Run", "runmenu:run-all")
        started = time.monotonic()
        while time.monotonic() - started < 30 and not page.evaluate(NOTEBOOK_STATE)["started"]:
            page.wait_for_timeout(250)
        if page.evaluate(NOTEBOOK_STATE)["started"]:
            break
        wait_kernel_ready(page, lab, rel)  # nothing ran: the kernel was not there yet; try again
    else:
        pytest.fail("Run All did not start any cell (3 attempts)")
    start = time.monotonic()
    settled = 0
    while time.monotonic() - start < RUN_TIMEOUT_S:
        dismiss_popups_quick(page)
        st = page.evaluate(NOTEBOOK_STATE)
        busy = st["status"] != "idle" or st["running"] > 0
        settled = 0 if busy else settled + 1
        if settled >= 4:
            return
        page.wait_for_timeout(500)
    pytest.fail(f"Run All did not finish within {RUN_TIMEOUT_S:.0f} s (COURSE_RUN_TIMEOUT)")


def dismiss_popups_quick(page):
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    if dialog.count():
        dialog.first.click()


def save_notebook(page, path):
    """Save the served copy (never the repo's file) so the outputs can be read back exactly as
    stored."""
    before = path.stat().st_mtime_ns
    menu(page, "File", "docmanager:save")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        dismiss_popups_quick(page)
        if path.stat().st_mtime_ns != before:
            page.wait_for_timeout(500)
            return True
        page.wait_for_timeout(250)
    return False


def cell_errors(page, lab, rel) -> list[str]:
    """Errors as the page shows them (traceback text in stderr outputs) and as the saved
    notebook stores them
    (outputs of type `error`, code cells Run All never reached)."""
    problems = [
        f"traceback shown in the page: {t.strip()[:400]}" for t in page.evaluate(TRACEBACKS, STDERR)
    ]
    served = lab.served / rel
    if not save_notebook(page, served):
        return problems + ["could not save the served copy to read its outputs"]
    nb = json.loads(served.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {k} raised {out.get('ename')}: {out.get('evalue')}"[:400])
        if cell.get("execution_count") is None:
            problems.append(f"cell {k} was not executed by Run All")
    return problems


TAG_STATIC = r"""
def __e2e_tag_static():
    import gc, sys
    mod = sys.modules.get("helpers.explorer")
    if mod is None:
        return []
    found = []
    for o in gc.get_objects():
        if isinstance(o, mod.Explorer):
            names = sorted(n for n in (getattr(o, "static_controls", ()) or ()) if n in o.controls)
            for n in names:
                o.controls[n].add_class("course-static-control")
            found.append((type(o).__name__, names))
    return found
"""


def kernel_eval(lab, rel, code, expr, *, after=None):
    """Run `code` silently in the notebook's kernel as a second client (nothing appears in the
    notebook) and return repr-free text of `expr` (its text/plain), or a message saying why not.
    `after`: code run once `expr` is read (to tidy up what `code` defined)."""
    try:
        from jupyter_client import BlockingKernelClient
    except ImportError:
        return "jupyter_client missing"
    sessions = lab.sessions(rel)
    if not sessions:
        return "no session"
    conn = lab.runtime_dir / f"kernel-{sessions[0]['kernel']['id']}.json"
    if not conn.exists():
        return "no connection file"
    kc = BlockingKernelClient()
    kc.load_connection_file(str(conn))
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive(
            code,
            silent=True,
            store_history=False,
            timeout=60,
            user_expressions={"r": expr},
        )
        if after is not None:
            kc.execute_interactive(after, silent=True, store_history=False, timeout=30)
        out = reply["content"].get("user_expressions", {}).get("r", {})
        return out.get("data", {}).get("text/plain", out.get("evalue", "?"))
    # noqa: BLE001 - reported by the caller
    except Exception as exc:
        return f"could not ask the kernel: {exc}"
    finally:
        kc.stop_channels()


# the kernel runs in notebooks/, where the repository's `benchmarks` package is not importable
TRACE_INSTALL = (
    f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
    "import benchmarks.trace as __e2e_trace\n__e2e_traced = __e2e_trace.install()\n"
    f"sys.path.remove({str(ROOT)!r})"
)


def kernel_records(lab, rel) -> list[dict]:
    """The kernel's trace records (benchmarks.trace), then the tracer is removed."""
    text = kernel_eval(lab, rel, "__e2e_trace.uninstall()", "__e2e_trace.dump()")
    try:
        return json.loads(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        print(f"[trace] no kernel records: {text[:200]}", flush=True)
        return []


def tag_static_controls(lab, rel):
    """Ask the notebook's kernel which controls its explorers declare static
    (`Explorer.static_controls`: they
    may leave the picture unchanged) and mark them with a CSS class the page can see. Connects
    to the same
    kernel as a second client, silently (nothing appears in the notebook)."""
    # if the kernel cannot be asked, the test treats every control as one that must change
    return kernel_eval(
        lab, rel, TAG_STATIC, "repr(__e2e_tag_static())", after="del __e2e_tag_static"
    )


def settle(page, root_sel, before_sig, timeout=FRAME_TIMEOUT_S):
    """Wait until the explorer's figure is stable after an action; return (signature, frames
    drawn)."""
    root = page.locator(root_sel)
    deadline = time.monotonic() + timeout
    last_sig, last_count, quiet_since = None, -1, time.monotonic()
    while time.monotonic() < deadline:
        draws = root.evaluate("(r) => window.__e2e.draws(r)")
        sig = root.evaluate("(r) => window.__e2e.signature(r)")
        if sig != last_sig or len(draws) != last_count:
            last_sig, last_count, quiet_since = sig, len(draws), time.monotonic()
        elif (sig != before_sig or draws) and time.monotonic() - quiet_since >= QUIET_S:
            return sig, len(draws)
        page.wait_for_timeout(60)
    return last_sig, max(last_count, 0)


WAIT_QUIET = r"""
async (r, [quietMs, timeoutMs]) => {
  const t0 = performance.now();
  const c = window.__e2e.canvas(r);
  for (;;) {
    await new Promise((res) => setTimeout(res, 40));
    const d = (c && c.__e2eDraws) || [];
    const now = performance.now();
    if (d.length && now - d[d.length - 1] >= quietMs) return d.length;
    if (now - t0 > timeoutMs) return d.length;
  }
}
"""


def wait_frames_quiet(root, timeout=FRAME_TIMEOUT_S) -> int:
    """Wait, inside the page, until a frame was painted and none followed for QUIET_S; return the
    frames painted. One round trip: the timed presses are not slowed by the test's own polling
    (two cores are shared by the browser, the server, the kernel and this test)."""
    return root.evaluate(WAIT_QUIET, [QUIET_S * 1e3, timeout * 1e3])


def explorer_stderr(root) -> list[str]:
    return root.evaluate(
        "(r) => [...r.querySelectorAll('.widget-output .jp-OutputArea-output')]"
        ".filter((o) => (o.getAttribute('data-mime-type') || '').includes('stderr')).map((o) => "
        "o.textContent)"
    )


OPPOSITE = {
    "ArrowRight": "ArrowLeft",
    "ArrowLeft": "ArrowRight",
    "PageUp": "PageDown",
    "PageDown": "PageUp",
}
# Slider presses, escalating: a small step may land on the same picture (a pixel slider inside one
# patch).
SLIDER_STEPS = ["ArrowRight", "ArrowRight", "ArrowRight", "PageUp", "PageUp", "PageUp", "PageUp"]


class Control:
    """One control of an explorer, operated as a learner would, and put back as it was."""

    def __init__(self, root, info):
        self.info, self.kind = info, info["kind"]
        self.el = root.locator(f"[data-e2e-control='{info['i']}']")
        self.name = f"{self.kind} {info['label']!r}"
        self.undo = []  # what restore() must do
        self.attempts = 0

    def is_disabled(self) -> bool:
        return self.el.evaluate(
            "(el) => !!el.querySelector('input:disabled, select:disabled, button:disabled, "
            "[disabled]')"
        )

    def handle(self):
        return self.el.locator(".noUi-handle").first

    def can_try_again(self) -> bool:
        if self.kind == "slider":
            return self.attempts < len(SLIDER_STEPS)
        if self.kind in ("dropdown", "select", "text", "textarea"):
            return self.attempts < 3
        return False  # toggles: one flip is the test

    def act(self) -> str:
        """One learner action; returns what was done."""
        kind, el = self.kind, self.el
        self.attempts += 1
        if kind == "slider":
            key = SLIDER_STEPS[min(self.attempts, len(SLIDER_STEPS)) - 1]
            key = slider_key(self.handle(), key)
            self.handle().press(key)
            self.undo.append(("key", OPPOSITE[key]))
            return key
        if kind in ("dropdown", "select"):
            sel = el.locator("select").first
            options = sel.locator("option").all_inner_texts()
            current = sel.evaluate("(s) => s.selectedIndex")
            if len(options) < 2:
                return "only one option"
            if not self.undo:
                self.undo.append(("index", current))
            nxt = (current + 1) % len(options)
            sel.select_option(index=nxt)
            return f"chose {options[nxt].replace(chr(0xA0), ' ').strip()!r}"
        if kind == "toggle-buttons":
            buttons = el.locator("button")
            classes = [buttons.nth(j).get_attribute("class") or "" for j in range(buttons.count())]
            active = [j for j, c in enumerate(classes) if "mod-active" in c]
            for j, c in enumerate(classes):
                if "mod-active" not in c:
                    buttons.nth(j).click()
                    if active:
                        self.undo.append(("button", active[0]))
                    return f"clicked {buttons.nth(j).inner_text().strip()!r}"
            return "no other button"
        if kind == "toggle-button":
            el.click()
            self.undo.append(("click", None))
            return "clicked"
        if kind == "checkbox":
            el.locator("input[type=checkbox]").first.click()
            self.undo.append(("checkbox", None))
            return "toggled"
        if kind == "radio":
            radios = el.locator("input[type=radio]")
            checked = [j for j in range(radios.count()) if radios.nth(j).is_checked()]
            for j in range(radios.count()):
                if j not in checked:
                    radios.nth(j).click()
                    if checked:
                        self.undo.append(("radio", checked[0]))
                    return f"picked option {j}"
            return "no other option"
        if kind in ("text", "textarea"):
            box = el.locator("textarea" if kind == "textarea" else "input").first
            if (box.get_attribute("type") or "text") == "number":
                old = box.input_value()
                step = box.get_attribute("step")
                new = (
                    float(old or 0) + (float(step) if step and step != "any" else 1) * self.attempts
                )
                new_text = str(int(new) if new.is_integer() else new)
                box.fill(new_text)
                box.press("Enter")
                if not any(u[0] == "fill" for u in self.undo):
                    self.undo.append(("fill", old))
                return f"typed {new_text}"
            words = box.input_value().split()
            # Repeat a word already there: the sentence stays in the vocabulary the explorer knows.
            extra = (" " + words[(self.attempts - 1) % len(words)]) if words else "the"
            box.click()
            box.press("End")
            box.press_sequentially(extra, delay=40)
            box.press("Enter")
            self.undo.append(("backspace", len(extra)))
            return f"typed {extra!r}"
        return "unknown control kind: not operated"

    def restore(self, original_now) -> None:
        """Undo every action, newest first, so the next control starts from the explorer's
        default state."""
        kind, el = self.kind, self.el
        for what, arg in reversed(self.undo):
            if what == "key":
                self.handle().press(arg)
            elif what == "index":
                el.locator("select").first.select_option(index=arg)
            elif what == "button":
                el.locator("button").nth(arg).click()
            elif what == "click":
                el.click()
            elif what == "checkbox":
                el.locator("input[type=checkbox]").first.click()
            elif what == "radio":
                el.locator("input[type=radio]").nth(arg).click()
            elif what == "fill":
                box = el.locator("input").first
                box.fill(arg)
                box.press("Enter")
            elif what == "backspace":
                box = el.locator("textarea" if kind == "textarea" else "input").first
                box.press("End")
                for _ in range(arg):
                    box.press("Backspace")
                box.press("Enter")
        if kind == "slider" and original_now is not None:  # undo clamping at the ends of the range
            for _ in range(40):
                now = self.handle().get_attribute("aria-valuenow")
                if now is None or float(now) == float(original_now):
                    break
                self.handle().press(
                    "ArrowLeft" if float(now) > float(original_now) else "ArrowRight"
                )
        self.undo.clear()


def slider_key(handle, preferred):
    now, lo, hi = (
        handle.get_attribute(a) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
    )
    try:
        now, lo, hi = float(now), float(lo), float(hi)
    except (TypeError, ValueError):
        return preferred
    if preferred in ("ArrowRight", "PageUp") and now >= hi:
        return OPPOSITE[preferred]
    if preferred in ("ArrowLeft", "PageDown") and now <= lo:
        return OPPOSITE[preferred]
    return preferred


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:30] or "control"


def signature(root) -> str:
    return root.evaluate("(r) => window.__e2e.signature(r)")


def drive_explorer(page, i, stem, shots, sliders) -> list[str]:
    """Operate every control of explorer i from its default state: the figure must change each
    time."""
    problems = []
    root_sel = f"[data-e2e-explorer='{i}']"
    root = page.locator(root_sel)
    root.scroll_into_view_if_needed()
    canvas = root.locator(".jupyter-matplotlib-canvas-div canvas").first
    try:
        canvas.wait_for(state="visible", timeout=30_000)
    except Exception:  # noqa: BLE001
        size = canvas.evaluate("(c) => c.width + 'x' + c.height") if canvas.count() else "no canvas"
        return [f"explorer {i}: its figure never became visible (canvas {size})"]
    page.wait_for_timeout(300)
    root.screenshot(path=str(shots / f"explorer{i}_before.png"))
    start_sig = signature(root)
    controls = root.evaluate(LIST_CONTROLS, CONTROL_SELECTOR)
    if not controls:
        problems.append(f"explorer {i}: no controls found")
    report, n_changed = [], 0
    for info in controls:
        ctrl = Control(root, info)
        if ctrl.is_disabled():
            report.append(f"{ctrl.name}: disabled in the default state, skipped")
            continue
        ctrl.el.scroll_into_view_if_needed()
        original_now = (
            ctrl.handle().get_attribute("aria-valuenow") if ctrl.kind == "slider" else None
        )
        changed, actions, error = False, [], None
        while True:
            before = signature(root)
            root.evaluate("(r) => window.__e2e.watch(r)")
            actions.append(ctrl.act())
            after, _frames = settle(
                page, root_sel, before, timeout=4.0 if info["static"] else FRAME_TIMEOUT_S
            )
            errs = explorer_stderr(root)
            if errs:
                error = errs[0].strip()[-400:]
                break
            if after != before:
                changed = True
                break
            if not ctrl.can_try_again():
                break
        what = ", ".join(actions)
        if error:
            problems.append(f"explorer {i}, {ctrl.name}: error shown after {what}: {error}")
        elif not changed and not info["static"]:
            problems.append(f"explorer {i}, {ctrl.name}: the figure did not change after {what}")
        if changed:
            n_changed += 1
            root.scroll_into_view_if_needed()
            root.screenshot(
                path=str(shots / f"explorer{i}_after_{info['i']:02d}_{_slug(info['label'])}.png")
            )
        # put it back, so every control is tried from the explorer's default state
        restored = signature(root)
        if ctrl.undo:
            ctrl.restore(original_now)
            restored, _ = settle(
                page, root_sel, restored, timeout=FRAME_TIMEOUT_S if changed else 3.0
            )
        note = (
            ""
            if restored == start_sig
            else " (restored controls, figure not identical to the start)"
        )
        report.append(
            f"{ctrl.name}: {what} -> {'figure changed' if changed else 'no change'}"
            f"{' [static per the explorer]' if info['static'] else ''}{note if changed else ''}"
        )
        if ctrl.kind == "slider" and changed and not info["static"]:
            sliders.append((root_sel, info["i"], ctrl.name))
    if controls and n_changed == 0 and not problems:
        problems.append(f"explorer {i}: no control changed the figure")
    print(f"[{stem}] explorer {i}:\n    " + "\n    ".join(report), flush=True)
    return problems


def measure_latency(page, sliders, book: LessonLatency) -> list[str]:
    """≥ 20 timed presses spread over the lesson's sliders: keydown → last frame painted for that
    press."""
    if not sliders:
        return []
    per = max(2, math.ceil(PRESSES_PER_LESSON / len(sliders)))
    for root_sel, ci, _name in sliders:
        root = page.locator(root_sel)
        handle = root.locator(f"[data-e2e-control='{ci}'] .noUi-handle").first
        handle.scroll_into_view_if_needed()
        direction = "ArrowRight"
        for _ in range(per):
            direction = slider_key(handle, direction)
            before = root.evaluate("(r) => window.__e2e.signature(r)")
            root.evaluate("(r) => window.__e2e.watch(r)")
            handle.press(direction)
            wait_frames_quiet(root)
            after = signature(root)
            key_t, draws, sent, images = root.evaluate(
                "(r) => [window.__e2e.lastKey, window.__e2e.draws(r), window.__e2e.sent, "
                "window.__e2e.images]"
            )
            draws = [d for d in draws if d >= key_t]
            if not draws:
                book.timeouts += 1
                continue
            origin, ws = root.evaluate("() => [performance.timeOrigin, window.__e2e.ws.slice()]")
            book.presses.append(
                {
                    "key": origin + key_t,
                    "draw": origin + draws[-1],
                    "ws": [m for m in ws if origin + key_t <= m["t"] <= origin + draws[-1]],
                }
            )
            book.samples_ms.append(draws[-1] - key_t)
            book.first_ms.append(draws[0] - key_t)
            sent = [t for t in sent if key_t <= t <= draws[-1]]
            images = [t for t in images if key_t <= t <= draws[-1]]
            if sent and images and images[-1] >= sent[0]:
                book.phases.append((sent[0] - key_t, images[-1] - sent[0], draws[-1] - images[-1]))
            if after == before:
                book.unchanged += 1
    if len(book.samples_ms) < 20:
        return [
            f"only {len(book.samples_ms)} timed slider presses produced a frame (need 20; "
            f"{book.timeouts} had none)"
        ]
    if book.samples_ms:
        print(
            f"[{book.notebook}] latency median {statistics.median(book.samples_ms):.1f} ms over "
            f"{len(book.samples_ms)} presses",
            flush=True,
        )
    return []


DRAGS_PER_LESSON = 3
# Mouse moves, back to back (each is a round trip to the browser, ~20 ms): sweeps across the
# slider's track, there and back, fast enough for a slider to offer more than 20 values a second.
DRAG_SWEEPS = 4
DRAG_MOVES = 40  # per sweep
# While dragging, count the values the slider offers: its readout's text changes (a slider with
# a few values cannot give 20 figure updates per second, however fast the figure is).
WATCH_READOUT = r"""
(ctl) => {
  const out = ctl.querySelector('.widget-readout');
  const seen = { n: 0, last: out ? out.textContent : null };
  if (out) {
    const mo = new MutationObserver(() => {
      if (out.textContent !== seen.last) { seen.n += 1; seen.last = out.textContent; }
    });
    mo.observe(out, { subtree: true, childList: true, characterData: true });
    seen.stop = () => { mo.disconnect(); return seen.n; };
  } else {
    seen.stop = () => null;
  }
  window.__e2e.readout = seen;
}
"""


def measure_drags(page, sliders, book: LessonLatency) -> None:
    """Drag slider handles with the mouse as a learner does: figure updates per second while
    dragging, and how long after the release the last frame comes (a backlog shows here)."""
    for root_sel, ci, _name in sliders[:DRAGS_PER_LESSON]:
        root = page.locator(root_sel)
        handle = root.locator(f"[data-e2e-control='{ci}'] .noUi-handle").first
        track = root.locator(f"[data-e2e-control='{ci}'] .noUi-target").first
        handle.scroll_into_view_if_needed()
        hb, tb = handle.bounding_box(), track.bounding_box()
        if not hb or not tb:
            continue
        x, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
        room_right = tb["x"] + tb["width"] - x
        span = (room_right if room_right >= x - tb["x"] else -(x - tb["x"])) * 0.9
        root.evaluate("(r) => window.__e2e.watch(r)")
        root.locator(f"[data-e2e-control='{ci}']").first.evaluate(WATCH_READOUT)
        page.mouse.move(x, y)
        page.mouse.down()
        t_down = root.evaluate("() => performance.now()")
        for sweep in range(DRAG_SWEEPS):
            for i in range(1, DRAG_MOVES + 1):
                f = i / DRAG_MOVES if sweep % 2 == 0 else 1 - i / DRAG_MOVES
                page.mouse.move(x + span * f, y)
        t_up = root.evaluate("() => performance.now()")
        offered = root.evaluate("() => window.__e2e.readout.stop()")
        page.mouse.up()
        wait_frames_quiet(root)
        draws, origin, ws = root.evaluate(
            "(r) => [window.__e2e.draws(r), performance.timeOrigin, window.__e2e.ws.slice()]"
        )
        sent = [
            m
            for m in ws
            if m["dir"] == "out"
            and m["what"].startswith("comm_msg:update")
            and origin + t_down <= m["t"] <= origin + t_up
        ]
        during = [d for d in draws if t_down <= d <= t_up]
        after = [d for d in draws if d > t_up]
        # One update's cycle while dragging: sent → the kernel's `status: idle` for it (ipywidgets
        # sends the next value only then) → the next update sent.
        idle_at = {
            m["parent"]: m["t"] for m in ws if m["dir"] == "in" and m["what"] == "status"
        }
        frame_at = {
            m["parent"]: m["t"]
            for m in ws
            if m["dir"] == "in" and m["what"].endswith("custom:binary")
        }
        # per update: msg_id, sent, its idle received, its frame received (page stamps; joined to
        # the kernel's records later, conftest.drag_cycle)
        updates = [[m["msg"], m["t"], idle_at.get(m["msg"]), frame_at.get(m["msg"])] for m in sent]
        busy = [idle - t for _, t, idle, _ in updates if idle is not None]
        gaps = [
            b[1] - a[2] for a, b in zip(updates, updates[1:], strict=False) if a[2] is not None
        ]
        seconds = max((t_up - t_down) / 1e3, 1e-3)
        book.drags.append(
            {
                "updates_per_s": len(during) / seconds,
                "backlog_ms": (after[-1] - t_up) if after else 0.0,
                "frames": len(draws),
                "sent_per_s": len(sent) / seconds,
                "moves_per_s": DRAG_SWEEPS * DRAG_MOVES / seconds,
                # value changes the slider offered while dragging (None: no readout to watch)
                "offered_per_s": offered / seconds if offered is not None else None,
                "to_idle_ms": statistics.median(busy) if busy else None,
                "idle_to_next_ms": statistics.median(gaps) if gaps else None,
                "updates": updates,
            }
        )
