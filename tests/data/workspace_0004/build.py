"""How workspace/ here was made: by an older release of CaseApp, to prove that a new release opens
it through its migrations alone, with everything in it intact (tests/core/test_older_workspace.py).

Run with that release's own code (commit 9f98e18^, workspace schema at migration 0004, before the
case steps of issue 10), from a checkout of it:

    git worktree add --detach /tmp/old 9f98e18^ && cd /tmp/old && make .venv/.installed
    .venv/bin/python /path/to/this/build.py /path/to/this/folder

It writes workspace/ (the encrypted folder, passphrase "correct horse battery staple", the test
KDF), export.jsonl (what that release exported from it) and outbox.jsonl (its unsynced changes, one a line)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import demo, records
from caseapp.services.exchange import export_bytes
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace

PASSPHRASE = "correct horse battery staple"

out = Path(sys.argv[1])
folder = out / "workspace"
shutil.rmtree(folder, ignore_errors=True)
ws, _ = Workspace.create(folder, PASSPHRASE, kdf=TEST_KDF, actor="old-release")
demo.generate(ws, 12, seed=2026, today=dt.date(2026, 11, 1))
with ws.write() as s:  # work typed and not yet synced: it must survive the upgrade unsent
    first = s.scalars(select(Household).order_by(Household.id)).first()
    assert first is not None
    records.update(s, first, {"phone": "13800000001", "notes": "升级前录入，未同步"})
    records.create(s, Household, {"org_code": first.org_code, "address": "龙庆北 12 号", "head_name": "陈秀英"})
(out / "export.jsonl").write_bytes(export_bytes(ws))
with ws.read() as s:
    outbox = [{"entity": e.entity, "row_id": e.row_id, "op": e.op, "field": e.field, "value": e.value}
              for e in s.scalars(select(JournalEntry).where(JournalEntry.state == "pending")
                                 .order_by(JournalEntry.seq))]
(out / "outbox.jsonl").write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in outbox) + "\n", encoding="utf-8")
print(ws.schema_version, len(outbox))
ws.close()
