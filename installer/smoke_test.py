"""Smoke test of the built Linux bundle, its .deb and its tarball (run by `make package`):

    python installer/smoke_test.py [--bundle build/dist/caseapp] [--packages build/packages]

From the bundle, as a caseworker would run it: `caseapp --help` in Chinese, init, demo, export,
login and sync against a local sync server (this checkout's, over SQLite), the GUI up offscreen
for a few seconds, and a bundle with its migrations removed refusing `init` in one line and
leaving no folder. Then what it carries (translations, both migration chains, the Qt platform and
input-method plugins) and the newest glibc symbol it needs. The .deb is installed into a temporary
root and purged again (dpkg --root), and its files run from there; the tarball is unpacked and its
per-user install.sh run with a temporary HOME. Exits non-zero at the first failure, saying which.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = sys.platform == "win32"
EXE = "caseapp.exe" if WINDOWS else "caseapp"
PASSPHRASE = "correct horse battery staple"
PASSWORD = "smoke-test password 2026"
EXPORT_PASSPHRASE = "another long export passphrase"
GUI_SECONDS = 5


def fail(what: str) -> None:
    print(f"smoke: FAILED: {what}", file=sys.stderr)
    raise SystemExit(1)


def ok(what: str) -> None:
    print(f"smoke: ok   {what}")


def env(tmp: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CASEAPP_", "PYTHON", "QT_"))}
    base.update(HOME=str(tmp / "home"), XDG_STATE_HOME=str(tmp / "state"), XDG_DATA_HOME=str(tmp / "data"),
                XDG_CONFIG_HOME=str(tmp / "config"), CASEAPP_PASSPHRASE=PASSPHRASE, CASEAPP_PASSWORD=PASSWORD,
                CASEAPP_EXPORT_PASSPHRASE=EXPORT_PASSPHRASE, QT_QPA_PLATFORM="offscreen", LANG="zh_CN.UTF-8")
    base.update(extra)
    return base


def run(cmd: list[str], e: dict[str, str], what: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if done.returncode != code:
        fail(f"{what}: exit {done.returncode} (wanted {code})\n{done.stdout}\n{done.stderr}")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_commands(exe: Path, tmp: Path) -> None:
    e = env(tmp)
    helped = run([str(exe), "--help"], e, "caseapp --help").stdout
    if "民政个案离线工作台" not in helped or not {"sync", "login", "init"} <= set(re.findall(r"[a-z-]+", helped)):
        fail("--help is not the Chinese help listing init, login and sync:\n" + helped)
    ok("caseapp --help shows Chinese help with login and sync (plugins registered)")

    server_db = f"sqlite:///{tmp / 'server.db'}"
    server_cli = [sys.executable, "-m", "sync.server.cli", "--db", server_db]
    server_env = {**e, "PYTHONPATH": str(ROOT)}
    run([*server_cli, "demo"], server_env, "caseapp-server demo")
    port = free_port()
    server = subprocess.Popen([*server_cli, "serve", "--port", str(port)], env=server_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    fail("the local sync server did not start")
                time.sleep(0.1)
        ws = tmp / "ws"
        url = f"http://127.0.0.1:{port}"
        run([str(exe), "--workspace", str(ws), "init", "--user", "admin"], e, "init")
        run([str(exe), "--workspace", str(ws), "demo", "--households", "5"], e, "demo")
        run([str(exe), "--workspace", str(ws), "export", "-o", str(tmp / "export.jsonl")], e, "export")
        if not (tmp / "export.jsonl").stat().st_size:
            fail("export wrote nothing")
        run([str(exe), "--workspace", str(ws), "login", url, "--user", "admin"], e, "login")
        run([str(exe), "--workspace", str(ws), "sync"], e, "sync")
        status = run([str(exe), "--workspace", str(ws), "outbox"], {**e, "CASEAPP_LANG": "en"}, "outbox").stdout
        if "No pending or rejected changes" not in status:
            fail("sync left changes pending or rejected:\n" + status)
        ok("init, demo, export, login and sync against a local server")
    finally:
        server.terminate()
        server.wait(30)

    gui = subprocess.Popen([str(exe), "--workspace", str(ws)], env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        gui.wait(GUI_SECONDS)
        _, err = gui.communicate()
        fail(f"the GUI exited (status {gui.returncode}) within {GUI_SECONDS} s:\n{err.decode()}")
    except subprocess.TimeoutExpired:
        pass
    gui.terminate()
    gui.wait(30)
    ok(f"the GUI stays up offscreen for {GUI_SECONDS} s")


def check_older_workspace(exe: Path, tmp: Path) -> None:
    """The bundle opens a workspace an older release wrote (tests/data/workspace_0004), migrating
    it, and exports every record in it."""
    old = ROOT / "tests/data/workspace_0004"
    ws = tmp / "old-workspace"
    shutil.copytree(old / "workspace", ws)
    e = env(tmp)
    run([str(exe), "--workspace", str(ws), "export", "--plain", "-o", str(tmp / "old.jsonl")], e,
        "export of an older workspace")
    ids = {json.loads(line)["id"] for line in (old / "export.jsonl").read_text("utf-8").splitlines()}
    got = {json.loads(line)["id"] for line in (tmp / "old.jsonl").read_text("utf-8").splitlines()}
    if got != ids:
        fail(f"the older workspace lost records on opening: {len(ids - got)} missing")
    if not list((ws / "backups").glob("workspace-*.db")):
        fail("no backup of the older workspace was kept before migrating it")
    ok(f"an older release's workspace opens, migrated, with all {len(ids)} records and its backup")


def check_missing_resource(bundle: Path, tmp: Path) -> None:
    broken = tmp / "broken"
    shutil.copytree(bundle, broken, symlinks=True)
    shutil.rmtree(broken / "_internal" / "migrations")
    target = tmp / "never"
    done = run([str(broken / EXE), "--workspace", str(target), "init"], env(tmp), "init without migrations",
               code=70)
    lines = done.stderr.strip().splitlines()
    if len(lines) != 1 or "migrations" not in lines[0] or "Traceback" in done.stderr:
        fail("a missing resource is not one clear line:\n" + done.stderr)
    if target.exists() or any(p.name.startswith(".never") for p in tmp.iterdir()):
        fail("init without migrations left a half-made workspace")
    ok("a missing resource is one line (" + lines[0][:60] + "…) and leaves no workspace")


def check_contents(bundle: Path) -> str:
    internal = bundle / "_internal"
    wanted = ["ui/i18n/caseapp_zh_CN.qm", "ui/i18n/caseapp_en.qm", "migrations/env.py", "migrations/script.py.mako",
              "sync/server/migrations/env.py", "caseapp/refdata/rules.json"]
    if WINDOWS:
        wanted += ["PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
                   "PySide6/plugins/multimedia/ffmpegmediaplugin.dll"]
    else:
        wanted += ["PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                   "PySide6/Qt/plugins/platforms/libqwayland.so",
                   "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
                   "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   # the camera (拍照…): Qt Multimedia's FFmpeg backend and PulseAudio's client it loads
                   "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", "libpulse.so.0"]
    missing = [w for w in wanted if not (internal / w).exists()]
    if missing:
        fail(f"the bundle lacks {missing}")
    if not list((internal / "migrations" / "versions").glob("*.py")):
        fail("the bundle has no workspace migrations")
    if not list((internal / "sync" / "server" / "migrations" / "versions").glob("s*.py")):
        fail("the bundle has no server migrations")
    leaked = [p.name for p in internal.rglob("*") if p.name.startswith(("psycopg", "prometheus_client", "libgtk-3"))]
    if leaked:
        fail(f"the bundle carries what the desktop does not use: {sorted(set(leaked))[:5]}")
    if WINDOWS:
        ok("translations, both migration chains, Qt platform plugins")
        return "-"
    newest = (0, 0)
    for lib in [bundle / EXE, *internal.rglob("*.so*")]:
        if lib.is_file():
            found = subprocess.run(["objdump", "-T", str(lib)], capture_output=True, text=True).stdout
            for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", found):
                newest = max(newest, (int(major), int(minor)))
    glibc = f"{newest[0]}.{newest[1]}"
    ok(f"translations, both migration chains, Qt platform and input-method plugins; needs glibc >= {glibc}")
    return glibc


def check_chinese_input(bundle: Path) -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    import im_check

    missing = im_check.missing_tools()
    if missing:
        print(f"smoke: SKIP Chinese input through fcitx5: {', '.join(missing)} missing (scripts/system-deps package)")
        return
    typed = im_check.type_chinese(bundle / "_internal" / "PySide6" / "Qt" / "plugins")
    if typed != "你好":
        fail(f"fcitx5 pinyin typed {typed!r} into the bundle's Qt, not 你好")
    ok("你好 typed through fcitx5 (pinyin) into the bundle's Qt under Xvfb")


def check_deb(deb: Path, tmp: Path, glibc: str) -> None:
    info = run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"], os.environ.copy(), "dpkg-deb -f").stdout
    if "libxcb-cursor0" not in info:
        fail("the .deb does not depend on Qt's X11 libraries")
    if f"libc6 (>= {glibc})" not in info:
        fail(f"the .deb does not declare the glibc the bundle needs ({glibc}):\n{info}")
    root = tmp / "root"
    for d in ("var/lib/dpkg/updates", "var/lib/dpkg/info", "var/lib/dpkg/triggers"):
        (root / d).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    dpkg = ["dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless", "--force-not-root",
            f"--log={tmp / 'dpkg.log'}"]
    run([*dpkg, "-i", str(deb)], os.environ.copy(), "dpkg -i into a temporary root")
    desktop = (root / "usr/share/applications/caseapp.desktop").read_text()
    if "Name[zh_CN]=个案通" not in desktop or "Exec=/usr/bin/caseapp" not in desktop:
        fail("the desktop entry lacks its Chinese name or command:\n" + desktop)
    if not (root / "usr/share/icons/hicolor/scalable/apps/caseapp.svg").is_file():
        fail("the .deb has no icon")
    wrapper = (root / "usr/bin/caseapp").read_text()
    if "/opt/caseapp/caseapp" not in wrapper:
        fail("/usr/bin/caseapp does not start /opt/caseapp/caseapp")
    version = run([str(root / "opt/caseapp/caseapp"), "--version"], env(tmp), "installed caseapp --version").stdout
    run([str(root / "opt/caseapp/caseapp"), "--workspace", str(tmp / "deb-ws"), "init"], env(tmp),
        "init from the installed .deb")
    run([*dpkg, "--purge", "caseapp"], os.environ.copy(), "dpkg --purge")
    left = [p for p in (root / "opt").rglob("*")] + [p for p in (root / "usr").rglob("*") if p.is_file()]
    if left:
        fail(f"purging left files behind: {left[:5]}")
    ok(f"the .deb installs into a temporary root ({version.strip()}), runs, and purges clean")


def check_tarball(tarball: Path, tmp: Path) -> None:
    unpacked = tmp / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-C", str(unpacked), "-xzf", str(tarball)], check=True)
    (folder,) = unpacked.iterdir()
    e = env(tmp, HOME=str(tmp / "tarhome"))
    run(["bash", str(folder / "install.sh")], e, "the tarball's install.sh (no admin rights)")
    exe = tmp / "tarhome/.local/bin/caseapp"
    run([str(exe), "--workspace", str(tmp / "tar-ws"), "init"], e, "init from the per-user install")
    entry = (tmp / "data/applications/caseapp.desktop").read_text()
    if "个案通" not in entry:
        fail("the per-user menu entry has no Chinese name")
    run(["bash", str(folder / "install.sh"), "--remove"], e, "install.sh --remove")
    if exe.exists() or (tmp / "tarhome/.local/opt/caseapp").exists():
        fail("install.sh --remove left the program behind")
    ok("the tarball installs per user without admin rights, runs, and removes clean")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "build/dist/caseapp")
    parser.add_argument("--packages", type=Path, default=ROOT / "build/packages")
    parser.add_argument("--bundle-only", action="store_true", help="no .deb or tarball (Windows, say)")
    args = parser.parse_args()
    exe = args.bundle / EXE
    if not exe.is_file():
        fail(f"no bundle at {args.bundle}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="caseapp-smoke-") as t:
        tmp = Path(t)
        for sub in ("cmd/home", "res/home", "old/home", "deb/home", "tar"):
            (tmp / sub).mkdir(parents=True)
        glibc = check_contents(args.bundle)
        check_commands(exe, tmp / "cmd")
        check_older_workspace(exe, tmp / "old")
        check_missing_resource(args.bundle, tmp / "res")
        if not WINDOWS:
            check_chinese_input(args.bundle)
        if args.bundle_only:
            print(f"smoke: all passed in {time.monotonic() - started:.0f} s")
            return 0
        debs = sorted(args.packages.glob("caseapp_*.deb"))
        tars = sorted(args.packages.glob("caseapp-*-linux-*.tar.gz"))
        if not debs or not tars:
            fail(f"no .deb or tarball in {args.packages}")
        check_deb(debs[-1], tmp / "deb", glibc)
        check_tarball(tars[-1], tmp / "tar")
    print(f"smoke: all passed in {time.monotonic() - started:.0f} s (bundle needs glibc >= {glibc})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
