"""Tasks a supervisor assigns to a named worker: visit an elder, investigate a household, handle a
grid event, by a due date. A task belongs to the record it is about (caseapp.domain.tree), so it
lives, moves and syncs with it: it reaches every device whose scope holds that record, and the
server accepts it only when the worker named can reach it too (caseapp.services.tasks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import IsoDate, UtcDateTime
from caseapp.validation.rules import PAST, RECORD_ID

if TYPE_CHECKING:
    from caseapp.errors import ValidationError

#: what each kind of task is done to: the record type its target is
TARGETS: Mapping[str, str] = {"visit": "elder_profile", "investigation": "household", "event": "grid_event"}


@register
class Task(Record):
    """One task assigned by a supervisor (its author) to a worker (``assignee``, a user name): the
    kind of work, the record it concerns, a due date and instructions. The worker marks it done
    with a line on what was done; a supervisor may cancel it."""

    __tablename__ = "tasks"
    entity = "task"
    label = ("交办任务", "Assigned task")
    summary = ("kind", "assignee", "due_on")
    #: belongs to the record it is about (an elder, a household, a grid event)
    parent = ("target_id", "")
    parent_entity_field = "target_entity"

    kind: Mapped[str] = field(
        String(16),
        label=("任务类型", "Task kind"),
        codes="task_kind",
        fixed=True,
        help="What is to be done: `visit` an elder (探访), `investigation` of a household (入户调查), or "
        "handle a grid `event` (网格事件). Decides the type of record the task is about.",
    )
    target_entity: Mapped[str] = field(
        String(32),
        default="",
        label=("任务对象类型", "Target record type"),
        fixed=True,
        help="Record type of the record the task is about; follows from `kind` (filled in when left out).",
    )
    target_id: Mapped[str] = field(
        String(36),
        index=True,
        label=("任务对象", "Target record"),
        rule=RECORD_ID,
        fixed=True,
        help="Id of the elder profile, household or grid event the task is about.",
    )
    assignee: Mapped[str] = field(
        String(64),
        index=True,
        label=("承办人", "Assigned to"),
        required=True,
        help="User name of the worker who is to do it. The server accepts only a user whose scope "
        "reaches the record (so the task syncs to them).",
    )
    due_on: Mapped[dt.date] = field(IsoDate, label=("完成期限", "Due date"), help="Day by which it is to be done.")
    note: Mapped[str] = field(
        Text, default="", label=("交办说明", "Instructions"), personal=True, help="What the supervisor asks for."
    )
    status: Mapped[str] = field(
        String(16),
        default="open",
        label=("任务状态", "Task status"),
        codes="task_status",
        help="`open` until the worker marks it `done`, or a supervisor `cancelled` it.",
    )
    done_at: Mapped[dt.datetime | None] = field(
        UtcDateTime, default=None, label=("完成时间", "Done at"), rule=PAST, help="When it was marked done."
    )
    done_note: Mapped[str] = field(
        Text, default="", label=("完成情况", "What was done"), personal=True,
        help="The worker's line on what was done, written as they mark it done.",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        from caseapp.errors import ValidationError

        kind = merged.get("kind")
        wanted = TARGETS.get(str(kind)) if kind else None
        if wanted is None:
            return []
        given = merged.get("target_entity")
        if not given:
            out["target_entity"] = wanted
        elif given != wanted:
            return [ValidationError("task.wrong_target", "target_entity", kind=str(kind))]
        return []
