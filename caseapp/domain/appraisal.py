"""The community's part in an assistance application: the democratic appraisal (民主评议) and the
public notice (公示), each a record attached to the assistance case it is about.

The notice record is the fact; the case's ``notice_started_on`` and ``notice_objections`` are
derived from the case's latest notice (caseapp.services.notices), so the workflow's guard, the
公示名单 and the case form read one story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import IsoDate
from caseapp.errors import ValidationError
from caseapp.validation.rules import PAST


def has_quorum(present: int, members: int) -> bool:
    """At least two thirds of the appraisal panel present (DOMAIN.md 2.1: 民主评议 quorum ≥ 2/3),
    in whole numbers: 3 × present ≥ 2 × members."""
    return members > 0 and 3 * present >= 2 * members


@register
class Appraisal(Record):
    """The minutes of a democratic appraisal (民主评议) of an assistance application: when and where
    the panel met, who sat on it and how many were present (at least two thirds of the panel), the
    votes, the result, the objections raised and how they were answered. A fact: never edited once
    the minutes are signed; a correction is a new record."""

    __tablename__ = "appraisals"
    entity = "appraisal"
    label = ("民主评议记录", "Democratic appraisal")
    summary = ("held_on", "result")
    insert_only = True
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = field(
        ForeignKey("assistance_cases.id"),
        index=True,
        label=("所属救助案件", "Assistance case"),
        help="The assistance application appraised.",
    )
    held_on: Mapped[dt.date] = field(
        IsoDate, label=("评议日期", "Date of appraisal"), rule=PAST, help="Day the panel met."
    )
    place: Mapped[str] = field(
        String(120), default="", label=("评议地点", "Place"), required=True, help="Where the panel met."
    )
    panel_size: Mapped[int] = field(
        Integer,
        label=("评议小组应到人数", "Panel members"),
        help="Members of the appraisal panel (应到人数): committee members, residents' representatives.",
    )
    present: Mapped[int] = field(
        Integer,
        label=("实到人数", "Members present"),
        help="Members present (实到人数); at least two thirds of the panel, or the appraisal is not valid.",
    )
    participants: Mapped[str] = field(
        Text,
        default="",
        label=("参加人员", "Participants"),
        required=True,
        personal=True,
        help="Who took part (names and capacity), as in the signed minutes.",
    )
    votes_for: Mapped[int] = field(
        Integer, default=0, label=("同意票数", "Votes for"), help="Members voting for the application."
    )
    votes_against: Mapped[int] = field(
        Integer, default=0, label=("不同意票数", "Votes against"), help="Members voting against it."
    )
    result: Mapped[str] = field(
        String(12),
        label=("评议结果", "Result"),
        codes="appraisal_result",
        help="Agreed, not agreed, or deferred (more investigation first).",
    )
    objections: Mapped[str] = field(
        Text,
        default="",
        label=("评议中提出的异议", "Objections raised"),
        personal=True,
        help="Objections and doubts raised by the panel, or 无.",
    )
    answers: Mapped[str] = field(
        Text,
        default="",
        label=("异议答复情况", "How the objections were answered"),
        personal=True,
        help="How each objection was answered or checked; required when objections were raised.",
    )
    minutes_ref: Mapped[str] = field(
        String(60),
        default="",
        label=("会议记录编号", "Minutes number"),
        help="Number of the signed minutes (评议记录), kept on paper or as an attachment.",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        # (a partial check, of stamps alone, has no counts: nothing to hold them to)
        found: list[ValidationError] = []
        size, present = merged.get("panel_size"), merged.get("present")
        if size is None or present is None:
            return found
        size, present = int(size), int(present)
        if present > size:
            found.append(ValidationError("appraisal.more_present_than_panel", "present", present=present,
                                         size=size))
        elif not has_quorum(present, size):
            found.append(ValidationError("appraisal.no_quorum", "present", present=present, size=size))
        votes = int(merged.get("votes_for") or 0) + int(merged.get("votes_against") or 0)
        if votes > present:
            found.append(ValidationError("appraisal.more_votes_than_present", "votes_for", votes=votes,
                                         present=present))
        if str(merged.get("objections") or "").strip() not in ("", "无") and not str(
                merged.get("answers") or "").strip():
            found.append(ValidationError("appraisal.answers_required", "answers"))
        return found


def notice_end(started: dt.date, days: int) -> dt.date:
    """The last day of a notice of ``days`` days that starts on ``started`` (the first day counts)."""
    return started + dt.timedelta(days=days - 1)


@register
class PublicNotice(Record):
    """A public notice (公示) of an assistance application: the street's review result posted for the
    period the rules set (`public_notice_days`, 7 days in Guangzhou) where residents see it, or the
    approved list; the objections residents raised and how they were answered. The case's own
    notice fields are kept from its latest notice."""

    __tablename__ = "public_notices"
    entity = "public_notice"
    label = ("公示记录", "Public notice")
    summary = ("started_on", "place")
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = field(
        ForeignKey("assistance_cases.id"),
        index=True,
        label=("所属救助案件", "Assistance case"),
        help="The assistance application on notice.",
    )
    kind: Mapped[str] = field(
        String(12),
        default="review",
        label=("公示类型", "Notice"),
        codes="notice_kind",
        help="The notice after the street's review (审核公示), or of the approval (审批结果公示).",
    )
    started_on: Mapped[dt.date] = field(
        IsoDate, label=("公示开始日期", "Notice from"), rule=PAST, help="First day of the notice."
    )
    ends_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("公示结束日期", "Notice until"),
        help="Last day of the notice; when left empty, the start plus `public_notice_days` of the rules less one "
        "(the first day counts). A notice shorter than the rules' period is refused.",
    )
    place: Mapped[str] = field(
        String(120),
        default="",
        label=("公示地点", "Where it is posted"),
        help="Where the notice is posted (社区公示栏, the street's website …); filled in on the notice a case "
        "entering 公示 opens.",
    )
    objections: Mapped[str] = field(
        Text,
        default="",
        label=("公示异议情况", "Objections raised"),
        personal=True,
        help="What residents raised during the notice, or 无异议 once it has run without any.",
    )
    answers: Mapped[str] = field(
        Text,
        default="",
        label=("异议核实及答复", "How the objections were checked and answered"),
        personal=True,
        help="How each objection was checked and answered (or written with the objections themselves, as a "
        "supervisor's sign-off does).",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        from caseapp import refdata

        started, ends = merged.get("started_on"), merged.get("ends_on")
        if not isinstance(started, dt.date):
            return []
        days = refdata.rules().time_limit("public_notice_days")
        shortest = notice_end(started, days)
        if ends is None:
            out["ends_on"] = shortest
        elif ends < shortest:
            return [ValidationError("notice.too_short", "ends_on", days=days, last=shortest.isoformat())]
        # the answers are not required beside the objections: a supervisor signing the notice's end
        # writes one text for both (what was raised and how it was answered), as the case's field says
        return []
