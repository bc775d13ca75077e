"""The PouchDB side-by-side (bench.pouch_bench) replicates the records a workspace holds, one record as
one CouchDB document: checked here without node, on a real workspace's export."""

from __future__ import annotations

import json
from pathlib import Path

from bench.pouch_bench import documents, write_documents
from caseapp.domain import Household
from caseapp.services import demo
from caseapp.services.exchange import export_bytes
from caseapp.store.workspace import Workspace
from sync import outbox


def test_one_record_one_document_with_its_id(ws: Workspace, tmp_path: Path) -> None:
    demo.generate(ws, 2, seed=3)
    rows = [json.loads(line) for line in export_bytes(ws).decode("utf-8").splitlines()]
    target = tmp_path / "documents.jsonl"
    count = write_documents(ws, target)
    docs = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    # every record the first push would send, once each
    assert count == len(docs) == len(rows) == outbox.pending_count(ws)
    assert len({d["_id"] for d in docs}) == count
    for row, doc in zip(rows, docs, strict=True):
        assert "id" not in doc and not any(k.startswith("_") and k != "_id" for k in doc)  # CouchDB reserves _
        assert doc == {"_id": row["id"], **{k: v for k, v in row.items() if k != "id"}}
    assert any(d["type"] == Household.entity for d in docs)


def test_blank_lines_make_no_documents() -> None:
    assert list(documents(['{"type":"household","id":"h1","head_name":"王伟"}', "", "  "])) == [
        {"_id": "h1", "type": "household", "head_name": "王伟"}]
