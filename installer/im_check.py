"""Type 你好 through fcitx5 into Qt under Xvfb, the way the bundle's runtime hook sets Qt up.

    python installer/im_check.py [--bundle build/dist/caseapp]

Starts Xvfb, a D-Bus session and fcitx5 (pinyin) in a temporary HOME, then a Qt line edit
(installer/im_probe.py) with the session's ``QT_IM_MODULE=fcitx`` turned by the hook
(installer/rthooks/input_method.py) into what the bundle uses; with --bundle, Qt loads the bundle's
own input-method plugins. xdotool switches fcitx5 to pinyin (Ctrl+Space) and types "nihao", space;
the line edit must then hold 你好. Needs Xvfb, xdotool, dbus-launch and fcitx5 with its Chinese
addons (`scripts/system-deps package`); without them it says which are missing (exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("Xvfb", "xdotool", "dbus-launch", "dbus-send", "fcitx5")
PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not Path("/usr/lib/x86_64-linux-gnu/fcitx5/libpinyin.so").exists() and not list(
            Path("/usr/lib").glob("*/fcitx5/libpinyin.so")):
        missing.append("fcitx5-chinese-addons")
    return missing


def _hook_env(env: dict[str, str], plugins: Path) -> None:
    spec = importlib.util.spec_from_file_location("caseapp_im_hook", ROOT / "installer/rthooks/input_method.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook._redirect(env, plugins)


def _start_xvfb(started: list[subprocess.Popen[bytes] | subprocess.Popen[str]], seconds: float = 20) -> int:
    """Xvfb on a display number it chooses itself (``-displayfd``), returned once it accepts clients.

    Choosing a free-looking number first and starting Xvfb on it races with another check started
    at the same moment (two pytest-xdist workers, a smoke test beside a test run): the second Xvfb
    fails on the lock, and its check then types into the first one's display."""
    read, write = os.pipe()
    try:
        started.append(subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24",
                                         "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, pass_fds=(write,)))
    finally:
        os.close(write)
    with os.fdopen(read) as pipe:
        ready, _, _ = select.select([pipe], [], [], seconds)
        number = pipe.readline().strip() if ready else ""
    if not number.isdigit():
        raise RuntimeError("Xvfb did not come up")
    return int(number)


def _wait(what: str, ok: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(ok) and ok():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up")


def type_chinese(plugins: Path | None = None, *, hook: bool = True) -> str:
    """What fcitx5 typed into the probe (你好 when it works); ``hook=False``: the session's
    settings as they are, without the bundle's runtime hook."""
    qt_plugins = plugins or Path(str(__import__("PySide6").__file__)).parent / "Qt" / "plugins"
    started: list[subprocess.Popen[bytes] | subprocess.Popen[str]] = []
    bus_pid = None
    with tempfile.TemporaryDirectory(prefix="caseapp-im-") as t:
        home = Path(t)
        (home / ".config/fcitx5").mkdir(parents=True)
        (home / ".config/fcitx5/profile").write_text(PROFILE)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "IBUS_", "XMODIFIERS", "DBUS_"))}
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
        try:
            env["DISPLAY"] = f":{_start_xvfb(started)}"
            bus = subprocess.run(["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True, check=True)
            for line in bus.stdout.splitlines():
                name, _, value = line.partition("=")
                if name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
                    env[name] = value.rstrip(";").strip("'")
            bus_pid = int(env["DBUS_SESSION_BUS_PID"])
            started.append(subprocess.Popen(["fcitx5", "--replace"], env=env, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))

            def portal_up() -> bool:
                names = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                                        "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"],
                                       env=env, capture_output=True, text=True).stdout
                return "org.freedesktop.portal.IBus" in names

            _wait("fcitx5's IBus frontend", portal_up)
            probe_env = {**env, "QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx", "QT_QPA_PLATFORM": "xcb",
                         "QT_PLUGIN_PATH": str(qt_plugins)}
            if hook:
                _hook_env(probe_env, qt_plugins / "platforminputcontexts")
            probe = subprocess.Popen([sys.executable, str(ROOT / "installer/im_probe.py"), "60000"], env=probe_env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            started.append(probe)
            assert probe.stdout is not None
            if probe.stdout.readline().strip() != "READY":
                raise RuntimeError("the Qt probe did not start")
            window = ""

            def found() -> bool:
                nonlocal window
                window = subprocess.run(["xdotool", "search", "--name", "caseapp-im-probe"], env=env,
                                        capture_output=True, text=True).stdout.split("\n")[0].strip()
                return bool(window)

            _wait("the probe's window", found)
            time.sleep(1)
            for keys in (["windowfocus", "--sync", window], ["key", "ctrl+space"], ["type", "--delay", "120", "nihao"],
                         ["key", "space"]):
                subprocess.run(["xdotool", *keys], env=env, check=True)
                time.sleep(0.5)
            out = probe.stdout.readline().strip()
            return out.removeprefix("TEXT:")
        finally:
            for proc in reversed(started):
                proc.terminate()
            for proc in started:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if bus_pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(bus_pid, 15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=None)
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        print(f"im_check: cannot run without {', '.join(missing)} (scripts/system-deps package)", file=sys.stderr)
        return 2
    plugins = args.bundle / "_internal" / "PySide6" / "Qt" / "plugins" if args.bundle else None
    typed = type_chinese(plugins)
    print(f"im_check: typed {typed!r} through fcitx5")
    return 0 if typed == "你好" else 1


if __name__ == "__main__":
    sys.exit(main())
