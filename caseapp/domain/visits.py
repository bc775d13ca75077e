"""The fields every visit record shares, declared once: an elder's care visit (探访), a child's
monitoring visit (监护随访) and a preferential-care visit (走访慰问) all say when the visit took place,
how, who went, what was found and what has to follow.

Each function, named after the field, returns it with its facts; a record declares it in its own
body, in its own place among its columns::

    from caseapp.domain import visits

    visited_at: Mapped[dt.datetime] = visits.visited_at(label=("走访时间", "Visit time"))

A record passes a label only where its office genuinely words it differently (走访 for 优抚 visits,
探访 elsewhere); what a finding or a follow-up means differs per programme, so those take their own
label and help. Functions rather than a mixin class: SQLAlchemy puts a mixin's columns after the
record's own, which would move them in every table, journal value and export, and a per-record label
would need a ``declared_attr`` per field.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import String, Text

from caseapp.domain.fields import TEXT, Label, field
from caseapp.domain.types import UtcDateTime
from caseapp.validation.rules import PAST

if TYPE_CHECKING:
    from sqlalchemy.orm import MappedColumn


def visited_at(*, label: Label = ("探访时间", "Visit time")) -> MappedColumn[dt.datetime]:
    """When the visit took place: never in the future; indexed, since every visits list and the
    visits due look for a subject's latest visit."""
    return field(
        UtcDateTime,
        index=True,
        label=label,
        rule=PAST,
        help="When the visit took place; cannot be in the future.",
    )


def method(*, label: Label = ("探访方式", "Visit method")) -> MappedColumn[str]:
    return field(
        String(16),
        default="in_person",
        label=label,
        codes="visit_method",
        help="In person, by phone, by video.",
    )


def visitors(*, label: Label = ("探访人员", "Visitors")) -> MappedColumn[str]:
    return field(String(120), default="", label=label, personal=True, help="Who visited.")


def findings(*, label: Label, help: str) -> MappedColumn[str]:
    """What the visitors found: a visit without it records nothing."""
    return field(Text, default="", label=label, required=True, personal=True, help=help)


def follow_up(*, label: Label, help: str) -> MappedColumn[str]:
    """What has to follow the visit, by whom: a line or two, so a one-line input."""
    return field(Text, default="", label=label, widget=TEXT, personal=True, help=help)
