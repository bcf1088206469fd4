#!/usr/bin/env python3
"""Set up and run the course "Self-Attention, Interactively" with nothing but Python ≥ 3.10 and pip.

    python course.py open        set up .venv (created if missing, reused if present) and open
                                 the course in JupyterLab on 127.0.0.1 with a token
    python course.py open --lang zh-Hant|zh-Hans|en
                                 the same, in that edition (with JupyterLab's language pack)
    python course.py test        set up the same way and run every test (unit tests + nbval)
    python course.py browser     the end-to-end test in a real JupyterLab (needs chromium)
    python course.py setup --extras test,torch,browser
                                 only set up, with the optional extras for the full test run
    python course.py bench       the benchmarks (attention maths and explorer redraw speed)
    python course.py execute NB  re-execute notebooks in place and tidy them (for authors)
    python course.py translate   update the catalogs and build + execute the Chinese editions
                                 (for translators; --no-execute for a quick build; i18n/README.md)

Works the same on Linux, macOS and Windows: no conda, no make.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
LANGUAGES = ("en", "zh-Hant", "zh-Hans")
EDITIONS_FILE = ROOT / "i18n" / "editions.json"
# One place for the nbval flags, shared by `test` and by CI.
NBVAL_ARGS = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg"]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(cmd, **kwargs) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], **kwargs)


def setup(extras: list[str]) -> Path:
    """Create .venv if missing and install the course into it with `extras`; skip pip when
    nothing changed."""
    py = venv_python()
    if not py.exists():
        print(f"Creating the virtual environment {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp_file = VENV / ".course-installed.json"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    installed = set(stamp.get("extras", [])) if stamp.get("pyproject") == digest else None
    if installed is None or not set(extras) <= installed:
        wanted = sorted(set(extras) | (installed or set()))
        spec = "." + (f"[{','.join(wanted)}]" if wanted else "")
        print(f"Installing the course ({spec}) into {VENV} …", flush=True)
        code = run(
            [py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", spec], cwd=ROOT
        )
        if code:
            sys.exit(f"pip install failed (exit {code}); see the messages above.")
        stamp_file.write_text(json.dumps({"pyproject": digest, "extras": wanted}))
    quiet_lab_plugins(py)
    return py


# JupyterLab plugins the course turns off in its own environment (.venv's page_config, the level
# `jupyter labextension disable` writes by default). faviconbusy swaps the tab's icon on every
# kernel busy/idle, and a slider move is one busy/idle: the browser re-fetches the icon from the
# server on each (a 304), ~5 ms of a move's 40 on two cores (benchmarks/README.md). The kernel's
# status still shows in the notebook's toolbar.
QUIET_PLUGINS = ("@jupyterlab/application-extension:faviconbusy",)


def lab_page_config() -> dict:
    """The page config JupyterLab reads at .venv's own level (read here by hand: this script runs
    on the machine's Python, which need not have jupyterlab_server)."""
    path = VENV / "etc" / "jupyter" / "labconfig" / "page_config.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def quiet_lab_plugins(py: Path) -> None:
    disabled = lab_page_config().get("disabledExtensions", {})
    for plugin in QUIET_PLUGINS:
        if disabled.get(plugin) is not True:
            run([py, "-m", "jupyter", "labextension", "disable", "--level=sys_prefix", plugin])


def first_notebook(lang: str = "en") -> str:
    """The first lesson of an edition, relative to the repository: notebooks/ for English,
    notebooks/<lang>/ for a Chinese edition (its lessons are listed in i18n/editions.json)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    if lang == "en":
        return FIRST_NOTEBOOK
    return f"notebooks/{lang}/{Path(FIRST_NOTEBOOK).name}"


def lab_settings_dir(lang: str) -> Path:
    """Where `open --lang` keeps JupyterLab's user settings for a Chinese edition: inside .venv,
    never the user's own ~/.jupyter."""
    return VENV / "course-lab-settings" / lang


def write_lab_locale(settings_dir: Path, lang: str) -> Path:
    """Write JupyterLab's language setting (the language pack's locale, e.g. zh_TW for zh-Hant)
    into `settings_dir`; returns the settings file."""
    editions = json.loads(EDITIONS_FILE.read_text(encoding="utf-8"))["editions"]
    locale = editions[lang]["jupyterlab_locale"]
    path = settings_dir / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"locale": locale}, indent=2) + "\n", encoding="utf-8")
    return path


# helpers._server.SERVER_OPTION (this file runs before the course is installed; a test keeps the two
# equal)
SERVER_OPTION = (
    "--ServerApp.kernel_websocket_connection_class=helpers._server.NoDelayKernelConnection"
)


def jupyterlab_command(
    py: Path,
    token: str,
    port: int,
    open_browser: bool,
    root: Path = ROOT,
    *,
    notebook: str = FIRST_NOTEBOOK,
    settings_dir: Path | None = None,
) -> list[str]:
    """The one way the course starts JupyterLab (the browser test starts it the same way).
    `settings_dir`: JupyterLab user settings to use instead of the user's (an edition's locale)."""
    cmd = [
        str(py),
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # this port or none: the URL printed is the one it uses
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        # the kernel's frames reach the page at once, not after a delayed ACK (helpers/_server.py)
        SERVER_OPTION,
    ]
    if settings_dir is not None:
        cmd.append(f"--LabApp.user_settings_dir={settings_dir}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses root otherwise; only ever added for root
    cmd.append(notebook)
    return cmd


def free_port(first: int, tries: int = 50) -> int:
    """The first port from `first` on that nobody listens on at 127.0.0.1 (JupyterLab is then
    started on exactly that port, so the URL printed is the URL that works)."""
    for port in range(first, first + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"No free port in {first}…{first + tries - 1}; pass --port to choose another.")


def cmd_open(args) -> int:
    lang = args.lang
    notebook = first_notebook(lang)
    if not (ROOT / notebook).exists():
        sys.exit(f"{notebook} is missing: build the edition with `python3 course.py translate`.")
    # a Chinese edition brings its JupyterLab language pack (the extra of the same name)
    py = setup([] if lang == "en" else [lang])
    settings_dir = None
    if lang != "en":
        settings_dir = lab_settings_dir(lang)
        write_lab_locale(settings_dir, lang)
    token = os.environ.get("COURSE_TOKEN") or secrets.token_urlsafe(24)
    port = free_port(args.port)
    if port != args.port:
        print(f"Port {args.port} is busy; using {port}.", flush=True)
    args.port = port
    print(
        "\nOpening the course: "
        f"http://127.0.0.1:{args.port}/lab/tree/{notebook}?token={token}\n",
        flush=True,
    )
    cmd = jupyterlab_command(
        py, token, args.port, not args.no_browser, notebook=notebook, settings_dir=settings_dir
    )
    return run(cmd, cwd=ROOT)


def cmd_setup(args) -> int:
    setup([e for e in args.extras.split(",") if e])
    return 0


def cmd_test(args) -> int:
    py = setup(["test"])
    cmd = [py, "-m", "pytest", "tests", "notebooks", *NBVAL_ARGS, *args.pytest_args]
    return run(cmd, cwd=ROOT)


def cmd_browser(args) -> int:
    py = setup(["test", "browser"])
    return run([py, "-m", "pytest", "browser_tests", "-s", *args.pytest_args], cwd=ROOT)


def cmd_bench(args) -> int:
    py = setup(["test"])
    code = run([py, "-m", "benchmarks.attention"], cwd=ROOT)
    return code or run([py, "-m", "benchmarks.redraw"], cwd=ROOT)


def tidy_notebook(path: Path) -> None:
    """Drop execution noise: widget state, timing metadata. Keeps outputs and execution counts."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"].pop("widgets", None)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def cmd_execute(args) -> int:
    py = setup(["test"])
    for nb in args.notebooks:
        path = Path(nb).resolve()
        code = run(
            [
                py,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--inplace",
                "--ExecutePreprocessor.timeout=600",
                path,
            ],
            cwd=path.parent,
        )
        if code:
            return code
        tidy_notebook(path)
    return 0


def cmd_translate(args) -> int:
    py = setup(["test"])  # polib (runtime), opencc (test extra), nbconvert (with JupyterLab)
    flags = ["--no-execute"] if args.no_execute else []
    return run([py, "-m", "i18n.build", *flags], cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("open", help="set up and open the course in JupyterLab")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument(
        "--no-browser", action="store_true", help="print the URL instead of opening a browser"
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="the edition: en (default), zh-Hant (繁體中文) or zh-Hans (简体中文)",
    )
    p.set_defaults(func=cmd_open)
    for name, func, help_ in (
        ("test", cmd_test, "set up and run every test"),
        ("browser", cmd_browser, "the end-to-end browser test"),
        ("bench", cmd_bench, "run the benchmarks"),
    ):
        p = sub.add_parser(
            name, help=help_ + (" (extra arguments go to pytest)" if name != "bench" else "")
        )
        p.set_defaults(func=func)
    p = sub.add_parser(
        "setup", help="only set up .venv, with optional extras (test, torch, browser)"
    )
    p.add_argument(
        "--extras", default="test", help="comma-separated extras, e.g. test,torch,browser"
    )
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("execute", help="re-execute notebooks in place (for authors)")
    p.add_argument("notebooks", nargs="+")
    p.set_defaults(func=cmd_execute)
    p = sub.add_parser(
        "translate", help="update the catalogs, build and execute the Chinese editions"
    )
    p.add_argument(
        "--no-execute", action="store_true", help="build without re-executing the notebooks"
    )
    p.set_defaults(func=cmd_translate)
    args, extra = parser.parse_known_args()
    if extra and args.command not in ("test", "browser"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = getattr(args, "pytest_args", []) + extra
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
