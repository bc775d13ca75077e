"""``caseapp-server``: initialise, serve and administer the sync server.

    caseapp-server --version
    caseapp-server [--db URL] migrate
    caseapp-server [--db URL] check
    caseapp-server [--db URL] init
    caseapp-server [--db URL] serve [--host H] [--port P] [--workers N] [--tls-cert F --tls-key F]
                                    [--min-client RELEASE] [--latest-client RELEASE]
    caseapp-server [--db URL] user add NAME --role caseworker|supervisor|approver|admin --scope ORGCODE…
    caseapp-server [--db URL] user passwd NAME
    caseapp-server [--db URL] user scope NAME --scope ORGCODE…
    caseapp-server [--db URL] user disable NAME
    caseapp-server [--db URL] user enable NAME
    caseapp-server [--db URL] device list
    caseapp-server [--db URL] device revoke ID
    caseapp-server [--db URL] demo
    caseapp-server [--db URL] audit verify
    caseapp-server [--db URL] audit record ID
    caseapp-server [--db URL] quality [--scope ORGCODE] [--lang zh|en]
    caseapp-server [--db URL] standards add --kind KIND [--level L] [--district CODE] [--area all|urban|rural]
                                    (--amount YUAN | --multiple-of KIND --factor F) --effective-from DATE
                                    [--year YEAR] --source 文号 [--verified] [--note TEXT] [--by NAME]
    caseapp-server [--db URL] standards list

Passwords come from CASEAPP_PASSWORD or a prompt, and must pass the password policy
(caseapp.crypto.passwords). ``user add`` only creates; an existing user is changed only by the
command named for the change (passwd, scope, disable, enable), each saying what it did.
The database URL defaults to a SQLite file in the user data folder;
``postgresql+psycopg://user@host/db`` for PostgreSQL (also CASEAPP_SERVER_DB).
Every administration command migrates the database first (once, under a lock: see db.py), so
the schema is always current; ``serve`` never does: it refuses to start on a schema other than the
one it knows (see asgi.py), so an upgrade is ``migrate`` once, then restart the serving processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import caseapp
from caseapp.messages import message
from caseapp.validation.times import city_today
from sync import protocol
from sync.server import auth, schema, trails
from sync.server.db import BUSY_TIMEOUT_MS, Database, default_url, head_revision, is_busy, pool_limit
from sync.server.errors import ApiError
from sync.server.startup import NotServing

#: the database stayed busy (SQLite written by another process for longer than the wait): worth
#: running again, like EX_TEMPFAIL
EXIT_BUSY = 75

DEMO_USERS: tuple[tuple[str, str, list[str]], ...] = (
    # name, role, scopes: the street and communities `caseapp demo` fills with households
    ("admin", "admin", []),
    ("supervisor", "supervisor", ["440111010"]),
    ("worker1", "caseworker", ["440111010010"]),
    ("worker2", "caseworker", ["440111010010"]),
    ("worker3", "caseworker", ["440111010011"]),
)


def _password(prompt: str) -> str:
    value = os.environ.get("CASEAPP_PASSWORD")
    if value is None:
        value = getpass.getpass(prompt)
    if not value:
        raise ApiError(400, "sync.password_required")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caseapp-server", description="CaseApp sync server")
    parser.add_argument("--db", default=os.environ.get("CASEAPP_SERVER_DB") or None,
                        help="database URL (default: SQLite in the user data folder)")
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database's schema to this version's (run once per upgrade, "
                                   "before starting the serving processes)")
    sub.add_parser("init", help="create or migrate the database (the same as migrate)")
    sub.add_parser("check", help="schema at this version's head, every attachment whole, row counts "
                                 "(read only: for restore drills)")
    serve = sub.add_parser("serve", help="run the HTTP server (the schema must be current: see migrate)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument("--tls-cert", default=None)
    serve.add_argument("--tls-key", default=None)
    serve.add_argument("--min-schema", type=int, default=1, help="oldest workspace schema still served")
    serve.add_argument("--min-client", default=os.environ.get("CASEAPP_SERVER_MIN_CLIENT", ""), metavar="RELEASE",
                       help="oldest program release still served, e.g. 1.2 (older ones are told to upgrade)")
    serve.add_argument("--latest-client", default=os.environ.get("CASEAPP_SERVER_LATEST_CLIENT", ""),
                       metavar="RELEASE", help="the newest program release (older ones tell their users)")
    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add a new user (an existing one is refused: see passwd, enable)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=protocol.ROLES)
    add.add_argument("--scope", nargs="*", default=[], metavar="ORGCODE")
    scope = user.add_parser("scope", help="change a user's scope")
    scope.add_argument("name")
    scope.add_argument("--scope", nargs="*", default=[], metavar="ORGCODE")
    passwd = user.add_parser("passwd", help="set a user's password; their devices must log in again")
    passwd.add_argument("name")
    disable = user.add_parser("disable", help="disable a user (all their devices stop syncing; undo with enable)")
    disable.add_argument("name")
    enable = user.add_parser("enable", help="enable a disabled user again (their devices log in again)")
    enable.add_argument("name")
    device = sub.add_parser("device", help="manage devices").add_subparsers(dest="device_command", required=True)
    device.add_parser("list", help="list registered devices")
    revoke = device.add_parser("revoke", help="revoke a device: it is refused at once")
    revoke.add_argument("id")
    sub.add_parser("demo", help="create demo users (password from CASEAPP_PASSWORD)")
    audit = sub.add_parser("audit", help="devices' audit trails").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="entries per device, and those that did not check out on arrival")
    record = audit.add_parser("record", help="every device's entries about one record, oldest first")
    record.add_argument("id")
    checks = sub.add_parser("quality", help="the checks across records over every device's data in a scope "
                            "(数据质量检查): findings grouped by check")
    checks.add_argument("--scope", default="", help="org code (prefix) to check; default: everything")
    checks.add_argument("--lang", default="zh", choices=("zh", "en"), help="language of the findings (default zh)")
    figures = sub.add_parser("standards", help="assistance standards devices use over the shipped ones "
                             "(救助标准)").add_subparsers(dest="standards_command", required=True)
    figure = figures.add_parser("add", help="add a figure in force from a date (checked like the shipped table; "
                                "devices get it on their next sync)")
    figure.add_argument("--kind", required=True, help="dibao, low_income, tekun, care_subsidy, elder_allowance, "
                        "disability_living or disability_care")
    figure.add_argument("--level", default=None, help="the tier of a tiered kind (care level, age band, grade)")
    figure.add_argument("--district", default=None, metavar="CODE", help="6-digit district code (default: the city)")
    figure.add_argument("--area", default="all", choices=("all", "urban", "rural"))
    figure.add_argument("--amount", default=None, metavar="YUAN")
    figure.add_argument("--multiple-of", default=None, metavar="KIND")
    figure.add_argument("--factor", default=None)
    figure.add_argument("--effective-from", required=True, metavar="YYYY-MM-DD")
    figure.add_argument("--year", type=int, default=None, help="the standard's year (年度): that of --effective-from")
    figure.add_argument("--source", required=True, help="the notice and its 文号")
    figure.add_argument("--verified", action="store_true", help="checked against the published notice")
    figure.add_argument("--note", default="")
    figure.add_argument("--by", default="admin", help="the administrator recorded as adding it (default admin)")
    figures.add_parser("list", help="the figures added, oldest first")
    return parser


def version() -> str:
    return f"caseapp-server {caseapp.__version__} (protocol {protocol.PROTOCOL_VERSION}, schema {head_revision()})"


def run(args: argparse.Namespace) -> int:
    try:
        pool_limit()  # checked for every command: one line, not a traceback from the database's set-up
    except ValueError as bad:
        print(f"caseapp-server {args.command}: {bad}", file=sys.stderr)
        return 2
    db = Database(args.db or default_url())
    try:
        if args.command == "serve":
            return _serve(args, db)
        if args.command == "check":
            return _check(db)
        db.migrate()
        if args.command in ("init", "migrate"):
            print(f"database ready at schema {db.revision()}: {db.url.split('@')[-1]}")
        elif args.command == "user":
            _user(args, db)
        elif args.command == "device":
            _device(args, db)
        elif args.command == "audit":
            return _audit(args, db)
        elif args.command == "quality":
            return _quality(args, db)
        elif args.command == "standards":
            _standards(args, db)
        elif args.command == "demo":
            password = _password("password for the demo users: ")
            with db.write() as conn:
                kept = [name for name, _role, _scopes in DEMO_USERS if auth.user_exists(conn, name)]
                for name, role, scopes in DEMO_USERS:
                    if name not in kept:
                        auth.add_user(conn, name, password, role, list(scopes))
            for name, role, scopes in DEMO_USERS:
                print(f"{name:12} {role:11} {' '.join(scopes) or '*'}")
            for name in kept:
                print(_say("sync.demo_user_kept", user=name))
        return 0
    finally:
        db.dispose()


def _say(key: str, **params: object) -> str:
    return message(key, "en", **params)


def _user(args: argparse.Namespace, db: Database) -> None:
    if args.user_command == "add":
        with db.read() as conn:
            if auth.user_exists(conn, args.name):  # before asking for a password that would be thrown away
                raise ApiError(409, "sync.user_exists", user=args.name)
        password = _password(f"password for {args.name}: ")
        with db.write() as conn:
            auth.add_user(conn, args.name, password, args.role, list(args.scope))
        print(_say("sync.user_added", user=args.name, role=args.role))
    elif args.user_command == "passwd":
        with db.read() as conn:
            if not auth.user_exists(conn, args.name):
                raise ApiError(404, "sync.unknown_user", user=args.name)
        password = _password(f"new password for {args.name}: ")
        with db.write() as conn:
            ended = auth.set_password(conn, args.name, password)
        print(_say("sync.user_password_set", user=args.name, devices=ended))
    elif args.user_command == "scope":
        with db.write() as conn:
            auth.set_scopes(conn, args.name, list(args.scope))
        print(f"user {args.name}: scope {' '.join(args.scope)}")
    elif args.user_command == "disable":
        with db.write() as conn:
            ended = auth.disable_user(conn, args.name)
        print(_say("sync.user_disabled_done", user=args.name, devices=ended))
    elif args.user_command == "enable":
        with db.write() as conn:
            enabled = auth.enable_user(conn, args.name)
        print(_say("sync.user_enabled" if enabled else "sync.user_not_disabled", user=args.name))


def _device(args: argparse.Namespace, db: Database) -> None:
    if args.device_command == "revoke":
        with db.write() as conn:
            auth.revoke_device(conn, args.id)
        print(f"device {args.id} revoked")
        return
    with db.read() as conn:
        rows = conn.execute(select(schema.devices).order_by(schema.devices.c.created_ms)).all()
    for r in rows:
        seen = dt.datetime.fromtimestamp(r.last_seen_ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M")
        state = "revoked" if r.revoked else "active"
        print(f"{r.id}  {r.user_name:12} {state:8} {seen}  {r.name}")


def _audit(args: argparse.Namespace, db: Database) -> int:
    with db.read() as conn:
        if args.audit_command == "record":
            for e in trails.for_record(conn, args.id):
                mark = "" if e["intact"] else f"  [NOT INTACT: {e['problem'] or '?'}]"
                # The actor is what the device claimed; "via" the user it was logged in as.
                via = f" (via {e['user_name']})" if e["user_name"] and e["user_name"] != e["actor"] else ""
                print(f"{e['at']}  {e['device_id']}  {str(e['actor']) + via:12} {e['action']:8} {e['changes']}{mark}")
            return 0
        summaries = trails.verify(conn)
    for t in summaries:
        why = ", ".join(f"{n} {p}" for p, n in sorted(t.problems.items()))
        state = "intact" if not t.broken else f"{t.broken} entries not intact ({why}), first #{t.first_broken}"
        print(f"{t.device_id}  {t.entries} entries  {state}")
    return 1 if any(t.broken for t in summaries) else 0


def _quality(args: argparse.Namespace, db: Database) -> int:
    """The findings by check (its name and count), each as: household id, record, problem."""
    from caseapp.services import quality as checks
    from sync.server import standards
    from sync.server.quality import sweep

    with db.read() as conn:
        standards.installed(conn)
        found = sweep(conn, args.scope, city_today())
    for code, count in checks.counts(found).items():
        severity = checks.BY_CODE[code].severity
        mark = {"zh": {"error": "必须更正", "warning": "需核实"}, "en": {"error": "error", "warning": "warning"}}
        print(f"{message(checks.title_key(code), args.lang)} ({count}, {mark[args.lang][severity]})")
        for f in (f for f in found if f.check == code):
            print(f"  {f.household_id}  {f.text}  {checks.said(f.key, f.params, args.lang)}")
    if not found:
        print(message("quality.none", args.lang))
    return 0


def _standards(args: argparse.Namespace, db: Database) -> None:
    from sync.server import standards

    if args.standards_command == "list":
        with db.read() as conn:
            found = standards.listed(conn)
        for entry in found:
            held = entry["row"]
            figure = held.get("amount") or f"{held.get('factor')} × {held.get('multiple_of')}"
            when = dt.datetime.fromtimestamp(entry["added_ms"] / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M")
            tier = "/" + held["level"] if "level" in held else ""
            print(f"#{entry['id']}  {held.get('year', '')}  {held['kind']}{tier}  "
                  f"{held['district'] or '*'} {held['area']}  {held['effective_from']}  {figure}  {held['source']}"
                  f"  ({entry['added_by']} {when}{'' if held['verified'] else ', unverified'})")
        if not found:
            print(_say("standards.none"))
        return
    row: dict[str, object] = {"kind": args.kind, "district": args.district, "area": args.area,
                              "effective_from": args.effective_from, "source": args.source,
                              "verified": args.verified}
    for key, value in (("year", args.year), ("level", args.level), ("amount", args.amount),
                       ("multiple_of", args.multiple_of), ("factor", args.factor), ("note", args.note)):
        if value:
            row[key] = value
    with db.write() as conn:
        added = standards.add(conn, row, args.by)
    print(_say("standards.added", id=added, kind=args.kind, district=args.district or "*",
               effective_from=args.effective_from))


def _check(db: Database) -> int:
    from sync.server.check import check

    report = check(db)
    state = report.schema
    print(f"schema {state.current or '-'} (this version: {state.head})" + ("" if state.at_head else "  NOT AT HEAD"))
    for table, count in report.counts.items():
        print(f"rows {table} {count}")
    attached = report.counts.get("attachments", 0)
    print(f"attachments {attached - len(report.bad_attachments)} whole, {len(report.bad_attachments)} damaged")
    for digest in report.bad_attachments:
        print(f"damaged attachment {digest}")
    return 0 if report.ok else 1


def _serve(args: argparse.Namespace, db: Database) -> int:
    """Serve the app factory (asgi.py) in ``--workers`` processes, configured through the same
    environment an operator's uvicorn or gunicorn would use."""
    import uvicorn

    from sync.server import asgi, logs, metrics

    asgi.check_schema(db)  # here too, so a refusal is one line, not one per worker
    db.dispose()
    os.environ[asgi.DB_ENV] = db.url
    os.environ[asgi.MIN_SCHEMA_ENV] = str(args.min_schema)
    os.environ[asgi.MIN_CLIENT_ENV] = args.min_client
    os.environ[asgi.LATEST_CLIENT_ENV] = args.latest_client
    try:
        asgi.config_from_environment()
    except ValueError as bad:  # one line here, not a traceback in every worker
        print(f"caseapp-server serve: {bad}", file=sys.stderr)
        return 2
    made = None
    if args.workers > 1 and not os.environ.get(metrics.MULTIPROC_ENV):
        # each worker writes its counters here, and a scrape of any worker adds up all of them
        made = tempfile.mkdtemp(prefix="caseapp-metrics-")
        os.environ[metrics.MULTIPROC_ENV] = made
    try:
        uvicorn.run("sync.server.asgi:app", factory=True, workers=args.workers, host=args.host, port=args.port,
                    ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key, proxy_headers=True,
                    log_config=logs.config(args.log_level), log_level=args.log_level, access_log=False,
                    timeout_keep_alive=KEEP_ALIVE_S)
    finally:
        if made:
            shutil.rmtree(made, ignore_errors=True)
    return 0


#: How long an idle connection stays open, longer than the reverse proxies in front keep theirs
#: (nginx's upstream keepalive_timeout is 60 s, Caddy's 2 minutes): uvicorn's own 5 s closed
#: connections the proxy was about to reuse, and the request it sent on one got a reset, which
#: nginx answers 502 and counts against the process (with four processes it marked every one
#: down: 8,595 "no live upstreams" in 22 s of bench.topology_bench).
KEEP_ALIVE_S = 150


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except NotServing as refused:
        print(refused, file=sys.stderr)
        return int(refused.code) if isinstance(refused.code, int) else 1
    except ApiError as error:
        print(message(error.key, "en", **error.params), file=sys.stderr)
        return 1
    except OperationalError as error:
        if not is_busy(error):
            raise
        # Still busy after the wait (another process kept the SQLite file's write lock): one line in
        # both languages, since an operator's terminal may be either, and nothing was written.
        seconds = BUSY_TIMEOUT_MS // 1000
        print(f"{message('sync.server_db_busy', 'zh', seconds=seconds)} / "
              f"{message('sync.server_db_busy', 'en', seconds=seconds)}", file=sys.stderr)
        return EXIT_BUSY


if __name__ == "__main__":
    sys.exit(main())
