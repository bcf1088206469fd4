"""`python course.py open` starts JupyterLab on 127.0.0.1 with a token, landing on lesson 00;
`open --lang zh-Hant|zh-Hans` lands on that edition's lesson 00 with JupyterLab's menus in its
language (the language pack is the extra of the same name; the locale is set in .venv)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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


def test_open_prints_the_port_the_server_really_uses_when_the_first_is_busy(monkeypatch, capsys):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    started = {}
    monkeypatch.setattr(course, "setup", lambda extras: Path(sys.executable))
    monkeypatch.setattr(course, "run", lambda cmd, **kw: started.update(cmd=cmd) or 0)
    monkeypatch.setattr(sys, "argv", ["course.py", "open", "--port", str(taken), "--no-browser"])
    try:
        course.main()
    finally:
        busy.close()
    url_port = int(capsys.readouterr().out.split("http://127.0.0.1:")[1].split("/")[0])
    assert url_port != taken
    assert f"--ServerApp.port={url_port}" in started["cmd"]
    assert "--ServerApp.port_retries=0" in started["cmd"]  # that port or an error, never another


@pytest.mark.parametrize("lang, locale", [("zh-Hant", "zh_TW"), ("zh-Hans", "zh_CN")])
def test_a_chinese_edition_opens_its_lesson_00_with_its_locale_outside_the_users_jupyter(
    tmp_path, lang, locale
):
    notebook = course.first_notebook(lang)
    assert notebook == f"notebooks/{lang}/00_start_here.ipynb" and (ROOT / notebook).exists()
    settings = course.write_lab_locale(tmp_path, lang)
    assert settings == (
        tmp_path / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    )
    assert json.loads(settings.read_text()) == {"locale": locale}
    cmd = course.jupyterlab_command(
        Path(sys.executable), "tok", 8899, False, notebook=notebook, settings_dir=tmp_path
    )
    assert f"--LabApp.user_settings_dir={tmp_path}" in cmd and cmd[-1] == notebook
    assert "--IdentityProvider.token=tok" in cmd and "--ServerApp.ip=127.0.0.1" in cmd
    assert course.lab_settings_dir(lang).is_relative_to(course.VENV)
    english = course.jupyterlab_command(Path(sys.executable), "tok", 8899, False)
    assert not any("user_settings_dir" in c for c in english)  # English: as before
    assert course.first_notebook("en") == course.FIRST_NOTEBOOK


def test_first_notebook_rejects_an_unknown_language():
    with pytest.raises(ValueError, match="lang must be one of en, zh-Hant, zh-Hans; got 'fr'"):
        course.first_notebook("fr")


def test_open_lang_installs_the_language_pack_extra_and_writes_the_locale(monkeypatch, tmp_path):
    calls = {}

    def setup(extras):
        calls["extras"] = extras
        return Path(sys.executable)

    def run(cmd, **kwargs):
        calls["cmd"] = cmd
        return 0

    monkeypatch.setattr(course, "setup", setup)
    monkeypatch.setattr(course, "run", run)
    monkeypatch.setattr(course, "lab_settings_dir", lambda lang: tmp_path / lang)
    monkeypatch.setattr(sys, "argv", ["course.py", "open", "--lang", "zh-Hant", "--no-browser"])
    assert course.main() == 0
    assert calls["extras"] == ["zh-Hant"]
    assert f"--LabApp.user_settings_dir={tmp_path / 'zh-Hant'}" in calls["cmd"]
    assert calls["cmd"][-1] == "notebooks/zh-Hant/00_start_here.ipynb"
    written = tmp_path / "zh-Hant/@jupyterlab/translation-extension/plugin.jupyterlab-settings"
    assert json.loads(written.read_text())["locale"] == "zh_TW"


def test_each_chinese_extra_is_its_jupyterlab_language_pack():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras["zh-Hant"] == ["jupyterlab-language-pack-zh-tw"]
    assert extras["zh-Hans"] == ["jupyterlab-language-pack-zh-cn"]


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


def test_server_refuses_requests_without_the_token_and_reads_the_editions_locale(tmp_path):
    port, token = free_port(), "t0k3n-for-the-test"
    course.write_lab_locale(tmp_path, "zh-Hant")
    cmd = course.jupyterlab_command(
        Path(sys.executable),
        token,
        port,
        open_browser=False,
        notebook=course.first_notebook("zh-Hant"),
        settings_dir=tmp_path,
    )
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
        plugin = "@jupyterlab/translation-extension:plugin"
        with urllib.request.urlopen(f"{base}/lab/api/settings/{plugin}?token={token}") as r:
            assert json.loads(r.read())["settings"]["locale"] == "zh_TW"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_setup_turns_the_quiet_plugins_off_once(monkeypatch, tmp_path):
    ran = []
    monkeypatch.setattr(course, "VENV", tmp_path)
    monkeypatch.setattr(course, "run", lambda cmd, **kw: ran.append([str(c) for c in cmd]) or 0)
    course.quiet_lab_plugins(Path(sys.executable))
    assert [c[-1] for c in ran] == list(course.QUIET_PLUGINS)
    assert all(c[1:5] == ["-m", "jupyter", "labextension", "disable"] for c in ran)
    conf = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    conf.parent.mkdir(parents=True)
    conf.write_text(json.dumps({"disabledExtensions": dict.fromkeys(course.QUIET_PLUGINS, True)}))
    ran.clear()
    course.quiet_lab_plugins(Path(sys.executable))
    assert ran == []  # already off: nothing to run


def test_the_quiet_plugins_exist_in_this_jupyterlab_and_are_off_in_the_course_env():
    """A plugin renamed by JupyterLab would silently stay on: its id must be in the built app."""
    from jupyterlab_server.config import get_static_page_config

    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    bundles = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in static.glob("*.js"))
    for plugin in course.QUIET_PLUGINS:
        assert f'"{plugin}"' in bundles, f"{plugin} is not a plugin of this JupyterLab"
    if Path(sys.prefix).resolve() != course.VENV.resolve():
        pytest.skip("not the course's .venv: its page config is the environment owner's")
    disabled = get_static_page_config(level="sys_prefix").get("disabledExtensions", {})
    assert all(disabled.get(p) is True for p in course.QUIET_PLUGINS), disabled


def test_binder_turns_the_same_plugins_off():
    post_build = (ROOT / ".binder" / "postBuild").read_text(encoding="utf-8")
    for plugin in course.QUIET_PLUGINS:
        assert f"jupyter labextension disable --level=sys_prefix {plugin}" in post_build
