"""One clear line instead of a traceback: every way the workspace, its disk or an input file can
fail, tried through the real `caseapp` command in a subprocess. Each failure is one line on stderr
in the user's language, a documented exit status, and a workspace that still opens afterwards with
its outbox as it was."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from caseapp.cli import Exit
from caseapp.crypto import keyfile
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.messages import message
from caseapp.services import demo, exchange
from caseapp.store.faults import WorkspaceBusyError
from caseapp.store.paths import DB_FILE, KEY_FILE
from caseapp.store.workspace import Workspace
from tests.cli_proc import COMMAND, PASSPHRASE, caseapp, environment, make_workspace, outbox, outbox_now

from .helpers import household

PAGE = 4096  # SQLCipher 4's page size


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace holding a little unsynced work."""
    path = make_workspace(tmp_path / "ws")
    with Workspace.open(path, PASSPHRASE) as ws, ws.write() as session:
        for n in range(3):
            household(session, phone=f"1380013800{n}")
    return path


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain export of 30 demo households (a few hundred records) to import."""
    folder = tmp_path_factory.mktemp("export")
    ws, _ = Workspace.create(folder / "ws", PASSPHRASE, kdf=TEST_KDF, actor="other")
    try:
        demo.generate(ws, 30, seed=3)
        data = exchange.export_bytes(ws)
    finally:
        ws.close()
    target = folder / "more.jsonl"
    target.write_bytes(data)
    return target


def en(key: str, **params: str) -> str:
    return message(key, "en", **params)


# -- input files ------------------------------------------------------------------------------------

def test_a_missing_import_file_is_named_in_one_line(workspace: Path, tmp_path: Path) -> None:
    before = outbox_now(workspace)
    missing = tmp_path / "台账-不存在.jsonl"
    ran = caseapp(workspace, "import", str(missing))
    assert ran.code == Exit.REFUSED
    assert ran.line == en("cli.file_not_found", path=str(missing))
    assert outbox(workspace) == before


def test_the_line_is_in_the_users_language(workspace: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.jsonl"
    ran = caseapp(workspace, "import", str(missing), env=environment(tmp_path / "state", lang="zh"))
    assert ran.code == Exit.REFUSED
    assert ran.line == f"找不到 {missing}，未作任何改动"


def test_an_import_line_that_is_not_utf8_is_refused_by_line_number(workspace: Path, tmp_path: Path,
                                                                  export_file: Path) -> None:
    before = outbox_now(workspace)
    first, second = export_file.read_bytes().splitlines()[:2]
    bad = tmp_path / "gbk.jsonl"
    # a line edited in an editor saving GBK: its last value is not UTF-8
    assert second.endswith(b"}")
    bad.write_bytes(first + b"\n" + second[:-1] + b',"note":"' + "王芳".encode("gbk") + b'"}\n')
    ran = caseapp(workspace, "import", str(bad))
    assert ran.code == Exit.REFUSED
    assert re.fullmatch(r"line 2: Not UTF-8 text \(unreadable from character \d+\); save the file as UTF-8 and "
                        r"import it again; nothing was written", ran.line), ran.line
    assert outbox(workspace) == before


def test_an_import_line_nested_100000_deep_is_refused_in_one_line(workspace: Path, tmp_path: Path) -> None:
    before = outbox_now(workspace)
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    ran = caseapp(workspace, "import", str(deep))
    assert ran.code == Exit.REFUSED
    assert ran.line == "line 1: " + en("import.too_deep") + "; nothing was written"
    assert outbox(workspace) == before


def test_a_ledger_that_is_not_a_workbook_is_refused_in_one_line(workspace: Path, tmp_path: Path) -> None:
    before = outbox_now(workspace)
    csv = tmp_path / "家庭成员台账.xlsx"
    csv.write_text("姓名,公民身份号码\n王芳,440104199003074514\n", encoding="gbk")
    ran = caseapp(workspace, "ledger-import", str(csv), "--org", "440104001001")
    assert ran.code == Exit.REFUSED
    assert ran.line == en("cli.not_a_workbook", path=str(csv))
    assert outbox(workspace) == before


def test_no_terminal_to_ask_for_the_passphrase_says_how_to_give_it(workspace: Path, tmp_path: Path) -> None:
    # its own session and stdin from /dev/null: neither stdin nor /dev/tty is a terminal
    ran = caseapp(workspace, "status", env=environment(tmp_path / "state", passphrase=None))
    assert ran.code == Exit.USAGE
    assert ran.line == en("cli.no_terminal", variable="CASEAPP_PASSPHRASE")


@pytest.mark.parametrize("command", [("status",), ("outbox",)])
def test_output_closed_early_exits_quietly(workspace: Path, command: tuple[str, ...]) -> None:
    if command == ("outbox",):  # more than a pipe buffer's worth, so a write fails mid-command
        with Workspace.open(workspace, PASSPHRASE) as ws, ws.write() as session:
            for n in range(300):
                household(session, phone=f"13900{n:06d}")
    read_end, write_end = os.pipe()
    os.close(read_end)  # `caseapp … | head` once head has gone
    try:
        ran = caseapp(workspace, *command, stdout=write_end)
    finally:
        os.close(write_end)
    assert ran.code == Exit.BROKEN_PIPE
    assert ran.err == ""


# -- a damaged database --------------------------------------------------------------------------

def _damage(db: Path, page: int) -> None:
    with db.open("r+b") as f:
        f.seek(page * PAGE + 1000)
        f.write(b"\xa5" * 512)


def _journal_page_near_the_middle(workspace: Path, scratch: Path) -> int:
    """A page of the journal table near the middle of the file, found by damaging copies until a
    full read of the journal fails (which is what `caseapp outbox` reads)."""
    db = workspace / DB_FILE
    key = keyfile.unlock(workspace / KEY_FILE, PASSPHRASE)
    pages = db.stat().st_size // PAGE
    middle = pages // 2
    for page in sorted(range(1, pages), key=lambda n: abs(n - middle))[:200]:
        copy = scratch / "probe.db"
        shutil.copyfile(db, copy)
        _damage(copy, page)
        conn = sqlcipher3.dbapi2.connect(str(copy))
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute("SELECT * FROM journal").fetchall()
        except sqlcipher3.dbapi2.DatabaseError:
            return page
        finally:
            conn.close()
    raise AssertionError("no journal page near the middle of the file")


def test_a_damaged_page_is_reported_as_damage_not_as_passphrase_or_disk(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "ws")
    with Workspace.open(path, PASSPHRASE) as ws:
        demo.generate(ws, 30, seed=5)
    page = _journal_page_near_the_middle(path, tmp_path)
    assert 0.25 < page / ((path / DB_FILE).stat().st_size // PAGE) < 0.75
    _damage(path / DB_FILE, page)

    ran = caseapp(path, "outbox")
    assert ran.code == Exit.DAMAGED
    assert ran.line == en("workspace.damaged", path=str(path / DB_FILE))
    wrong = caseapp(path, "outbox", env=environment(tmp_path / "state", passphrase="not the passphrase"))
    assert wrong.code == Exit.REFUSED
    assert wrong.line == en("workspace.wrong_passphrase")
    assert len({ran.line, wrong.line, en("workspace.disk_full", path=str(path))}) == 3


def test_a_damaged_first_page_is_damage_too(workspace: Path) -> None:
    _damage(workspace / DB_FILE, 0)
    ran = caseapp(workspace, "status")
    assert ran.code == Exit.DAMAGED
    assert ran.line == en("workspace.database_unreadable", path=str(workspace / DB_FILE))


# -- another program holding the database ---------------------------------------------------------

def test_a_locked_database_is_busy_and_nothing_changes(workspace: Path, export_file: Path) -> None:
    """Another program (the desktop app saving, say) holds the write lock for longer than the
    command's 10 s busy timeout: "database is locked" becomes the busy line."""
    before = outbox_now(workspace)
    with Workspace.open(workspace, PASSPHRASE) as ws:
        holder = ws.engine.raw_connection()
        try:
            holder.driver_connection.execute("BEGIN IMMEDIATE")
            ran = caseapp(workspace, "import", str(export_file))
            holder.driver_connection.execute("ROLLBACK")
        finally:
            holder.close()
    assert ran.code == Exit.BUSY
    assert ran.line == en("workspace.busy")
    assert outbox(workspace) == before


def test_a_write_behind_anothers_commit_is_busy_not_sqlalchemys_error(workspace: Path) -> None:
    """A read transaction that turns into a write after another connection committed gets SQLite's
    "database is locked" at once (no busy wait can help it): the typed, translatable error."""
    with Workspace.open(workspace, PASSPHRASE) as ws, ws.engine.connect() as late:
        late.exec_driver_sql("SELECT count(*) FROM settings").all()  # begins: a read snapshot
        ws.set_setting("elsewhere", 1)
        with pytest.raises(WorkspaceBusyError) as raised:
            late.exec_driver_sql("INSERT INTO settings(key, value) VALUES ('late', '1')")
        assert raised.value.key == "workspace.busy"


# -- a full disk --------------------------------------------------------------------------------------

FULL_DISK_DRIVER = r"""
import json, os, shutil, subprocess, sys
cfg = json.loads(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={cfg['size']}", "tmpfs", cfg["disk"]], check=True)
ws = os.path.join(cfg["disk"], "ws")
shutil.copytree(cfg["workspace"], ws)
filler = os.path.join(cfg["disk"], "filler")
results = {"workspace": ws}

def fill(leave):
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, os.path.getsize(filler) - leave))

def run(name, *args):
    p = subprocess.run([*cfg["command"], "--workspace", ws, *args], env=cfg["env"], stdin=subprocess.DEVNULL,
                       capture_output=True, start_new_session=True, timeout=180)
    results[name] = {"code": p.returncode, "out": p.stdout.decode(), "err": p.stderr.decode()}

fill(0)
run("open_full", "outbox", "--format", "json")
os.remove(filler)
fill(256 * 1024)
run("write_full", "import", cfg["import"])
os.remove(filler)
run("after", "outbox", "--format", "json")
subprocess.run(["mount", "-o", "remount,ro", cfg["disk"]], check=True)
run("read_only", "status")
with open(cfg["result"], "w") as f:
    json.dump(results, f)
subprocess.run(["umount", cfg["disk"]])
"""


def _mount_namespace(scratch: Path) -> list[str]:
    """A command prefix that runs its command in a private mount namespace where it may mount a
    tmpfs: as root, or as a user with user namespaces; the test is skipped where neither works."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    prefix = (["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0
              else ["unshare", "--user", "--map-root-user", "--mount"])
    probe = scratch / "probe-mount"
    probe.mkdir()
    try:
        tried = subprocess.run([*prefix, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot run unshare here")
    if tried.returncode != 0:
        pytest.skip(f"mounting a small file system is not permitted here: {tried.stderr.decode().strip()}")
    return prefix


def test_a_genuinely_full_or_read_only_disk_says_so_and_loses_nothing(workspace: Path, tmp_path: Path,
                                                                export_file: Path) -> None:
    """On a small tmpfs: opening the workspace on a full disk (today "cannot be decrypted … may be
    damaged") and writing to it with 256 KiB left both say the disk is full; once space is freed the
    workspace opens with its outbox exactly as before; remounted read-only, it says so."""
    prefix = _mount_namespace(tmp_path)
    before = outbox_now(workspace)
    disk = tmp_path / "disk"
    disk.mkdir()
    used = sum(f.stat().st_size for f in workspace.rglob("*") if f.is_file())
    config = {"disk": str(disk), "workspace": str(workspace), "size": used + 4 * 1024 * 1024,
              "command": COMMAND, "env": environment(tmp_path / "state"), "import": str(export_file),
              "result": str(tmp_path / "result.json")}
    done = subprocess.run([*prefix, sys.executable, "-c", FULL_DISK_DRIVER, json.dumps(config)],
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    results = json.loads((tmp_path / "result.json").read_text())
    full_line = en("workspace.disk_full", path=results["workspace"])
    for step in ("open_full", "write_full"):
        got = results[step]
        assert got["code"] == Exit.DISK_FULL, got
        assert got["err"].splitlines() == [full_line], got
    after = results["after"]
    assert after["code"] == 0, after
    assert [(e["seq"], e["entity"], e["row_id"]) for e in json.loads(after["out"])] == before
    read_only = results["read_only"]
    assert read_only["code"] == Exit.DISK_ERROR, read_only
    assert read_only["err"].splitlines() == [en("workspace.read_only", path=results["workspace"])], read_only


FILE_SIZE_LIMIT = 256 * 1024


def _limit_file_size() -> None:
    import resource  # POSIX only, like the test

    # SIGXFSZ would kill the process; ignored, the write fails with EFBIG instead (kept across exec).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="RLIMIT_FSIZE is POSIX")
def test_a_write_the_disk_refuses_is_a_disk_error_not_damage(workspace: Path, export_file: Path) -> None:
    """A disk that refuses writes with plenty of space free (a FAT drive's 4 GiB limit, a failing
    disk), simulated with RLIMIT_FSIZE: the WAL cannot grow past 256 KiB, the write fails with
    EFBIG, and SQLite reports "disk I/O error", the same path a failing disk takes. It must say
    so, not "damaged", and lose nothing."""
    before = outbox_now(workspace)
    ran = caseapp(workspace, "import", str(export_file), preexec_fn=_limit_file_size)
    assert ran.code == Exit.DISK_ERROR
    assert ran.line == en("workspace.io_error", path=str(workspace))
    assert outbox(workspace) == before


# -- the last resort -----------------------------------------------------------------------------------

UNFORESEEN = """
import sys
import caseapp.cli as cli

def status(args, ctx):
    raise ValueError("张三 440104199003074514 /home/zhangsan/低保台账.xlsx")

cli.cmd_status = status
sys.exit(cli.main(sys.argv[1:]))
"""


def test_an_unforeseen_error_is_one_line_and_a_log_without_personal_data(workspace: Path, tmp_path: Path) -> None:
    """The real main() in a real process, with one command replaced by a bug."""
    ran = caseapp(workspace, "status", command=[sys.executable, "-c", UNFORESEEN])
    assert ran.code == Exit.UNEXPECTED
    log = tmp_path / "state" / "CaseApp" / "log" / "errors.log"
    assert ran.line == en("cli.unexpected", kind="ValueError", log=str(log))
    text = log.read_text(encoding="utf-8")
    assert "ValueError" in text and "in status" in text and "command: status" in text
    for personal in ("张三", "440104199003074514", "zhangsan", "低保台账", str(tmp_path)):
        assert personal not in text
    assert log.stat().st_mode & 0o077 == 0
    assert outbox(workspace)  # still opens, the work still there


# -- the table scripts rely on ------------------------------------------------------------------------

def test_every_exit_status_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text(encoding="utf-8")
    for code in Exit:
        assert re.search(rf"^\| {int(code)} \| `{code.name}` \|", docs, re.MULTILINE), code
    helped = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60,
                            env=environment(Path("/nonexistent")))
    for code in Exit:
        assert re.search(rf"^\s+{int(code)}\s+{re.escape(en('cli.exit.' + code.name.lower()))}$", helped.stdout,
                         re.MULTILINE), code


def test_every_declared_exit_status_is_in_the_table() -> None:
    import caseapp.cli
    import caseapp.store.faults
    import sync.errors
    from caseapp.errors import CaseAppError

    def subclasses(cls: type) -> set[type]:
        return {cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))}

    declared = {c: c.__dict__["exit_status"] for c in subclasses(CaseAppError) if "exit_status" in c.__dict__}
    assert {caseapp.cli.UsageError, caseapp.store.faults.DiskFullError, sync.errors.OfflineError} <= set(declared)
    assert set(declared.values()) <= set(Exit.__members__)
