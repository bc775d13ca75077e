"""Printed forms: each official form a record prints as, laid out as HTML for the desktop client to
render (preview, printer, or a PDF sealed with a password before it is written anywhere).

One module per form (``household`` 家庭基本情况登记表, ``investigation`` 入户调查表, ``consent``
家庭经济状况核对授权书, ``visit`` 探访记录表, ``approval`` 审批表, ``referral`` 转介单, ``disaster``
灾情报告, ``ledger`` the ledgers), sharing ``layout``. ``FORMS`` names them; ``render_many`` prints
a form for a sequence of records (a filtered list, a disaster series), one sheet per record, and
``note_printed`` records in the audit trail that each of them left the device.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter
from sqlalchemy.orm import Session

from caseapp.crypto.keyfile import check_passphrase
from caseapp.domain.types import utcnow
from caseapp.errors import ValidationError
from caseapp.services import access
from caseapp.services.forms import (
    approval,
    consent,
    disaster,
    household,
    investigation,
    ledger,
    referral,
    visit,
)
from caseapp.services.forms.household import household_sheet
from caseapp.services.ledgers import LEDGERS
from caseapp.store import audit
from caseapp.store.workspace import Workspace

Builder = Callable[[Session, str, dt.date], str]
#: records one batch prints at most (a street's filtered list; each sheet is laid out in memory)
MAX_BATCH = 2000


@dataclass(frozen=True)
class Form:
    name: str
    #: the form's name, as filed (Chinese whatever the UI language)
    title: str
    #: the record type it prints
    entity: str
    #: how a saved file's name starts: 登记表-<record number>-<date>.pdf
    stem: str
    build: Builder
    landscape: bool = False


@dataclass(frozen=True)
class Sheet:
    """One printed form, ready to lay out: its HTML, and the record it shows (for the audit trail)."""

    form: str
    title: str
    html: str
    entity: str
    record_id: str
    landscape: bool = False
    #: what the audit entry notes besides the form (a ledger's kind and number of rows)
    noted: Mapping[str, Any] = field(default_factory=dict)


FORMS: dict[str, Form] = {form.name: form for form in (
    Form("household_sheet", household.TITLE, "household", "登记表", household.build),
    Form("consent", consent.TITLE, "household", "授权书", consent.build),
    Form("investigation", investigation.TITLE, "investigation", "入户调查表", investigation.build),
    Form("approval", approval.TITLE, "assistance_case", "审批表", approval.build),
    Form("care_visit", visit.TITLE, "care_visit", "探访记录表", visit.build),
    Form("referral", referral.TITLE, "referral", "转介单", referral.build),
    Form("disaster_report", disaster.TITLE, "disaster_report", "灾情报告", disaster.build),
)}
#: the ledgers as printed lists (kind as in ``caseapp.services.ledgers.LEDGERS``)
LEDGER_STEMS = {"assistance": "台账", "notice": "公示名单"}


def forms_for(entity: str) -> list[Form]:
    """The forms a record of this type prints as."""
    return [form for form in FORMS.values() if form.entity == entity]


def render(session: Session, name: str, record_id: str, *, today: dt.date | None = None) -> Sheet:
    form = FORMS[name]
    html = form.build(session, record_id, today or dt.date.today())
    return Sheet(form.name, form.title, html, form.entity, record_id, form.landscape)


def render_many(session: Session, name: str, record_ids: Sequence[str], *,
                today: dt.date | None = None) -> list[Sheet]:
    """The form for each record, in the order given (a record listed twice prints once)."""
    ids = list(dict.fromkeys(record_ids))
    if len(ids) > MAX_BATCH:
        raise ValidationError("forms.batch_too_large", None, count=len(ids), limit=MAX_BATCH)
    day = today or dt.date.today()
    return [render(session, name, record_id, today=day) for record_id in ids]


def ledger_sheet(session: Session, kind: str, *, category: str | None = None, org_prefix: str = "",
                 compiled_by: str = "", today: dt.date | None = None) -> Sheet:
    """A ledger as one printed list (the assistance ledger's 17 columns across a landscape page)."""
    built = LEDGERS[kind](session, org_prefix=org_prefix, category=category, today=today, compiled_by=compiled_by)
    return Sheet(f"ledger_{kind}", built.title, ledger.ledger_page(built), "ledger", "",
                 landscape=kind == "assistance", noted={"ledger": kind, "rows": len(built.rows)})


def note_printed(ws: Workspace, sheets: Sequence[Sheet], details: dict[str, Any]) -> None:
    """Note in the audit trail, in one transaction, that each sheet's record left the device
    (printed, or saved to ``details["file"]``)."""
    now = utcnow()
    items = []
    for sheet in sheets:
        noted: dict[str, Any] = {"printed": sheet.form, **sheet.noted, **details}
        items.append(audit.AuditItem(now, ws.actor, ws.device_id, sheet.entity, sheet.record_id, access.EXPORT,
                                     noted))
    with ws.write_engine.begin() as conn:
        audit.append(conn, items)


def seal_pdf(data: bytes, password: str) -> bytes:
    """The PDF encrypted with ``password`` (AES-256): viewers ask for it before showing a page."""
    check_passphrase(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["FORMS", "LEDGER_STEMS", "MAX_BATCH", "Form", "Sheet", "forms_for", "household_sheet", "ledger_sheet",
           "note_printed", "render", "render_many", "seal_pdf"]
