"""Org units: district → street/town → community/village → grid.

Districts, streets and communities carry GB/T 2260 and 12-digit statistical codes; grids have no
national standard and are numbered by the server as the community code plus a sequence. The org
unit's own ``org_code`` is its code, so a device sees the units it is assigned to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.errors import ValidationError

LEVELS = ("city", "district", "street", "community", "grid")
STREET_CODE_LENGTH = 9
DISTRICT_CODE_LENGTH = 6


def reach(role: str, scopes: list[str]) -> tuple[str, ...]:
    """The org-code prefixes a user of ``role`` with these scopes reaches ("" = everything): an
    administrator everything, a street supervisor their streets, a district approver their
    districts, anyone else exactly their scopes. The server decides what syncs by it
    (sync.server.auth); a device uses it to tell what is addressed to its user (a referral's inbox)."""
    if role == "admin":
        return ("",)
    if role == "supervisor":
        return tuple(sorted({s[:STREET_CODE_LENGTH] for s in scopes}))
    if role == "approver":  # a district's approver reaches the whole district
        return tuple(sorted({s[:DISTRICT_CODE_LENGTH] for s in scopes}))
    return tuple(sorted(set(scopes)))


@register
class OrgUnit(Record):
    """One unit of the administrative tree the office works in: city → district (区) → street or town (街道/镇)
    → community or village (社区/村) → grid (网格). Districts, streets and communities carry their GB/T 2260
    / 12-digit statistical codes; grids have no national code and are numbered by the server as the
    community code plus a sequence. Every other record's `org_code` names one of these units, which
    decides who may see the record and which devices it syncs to."""

    __tablename__ = "org_units"
    entity = "org_unit"
    label = ("辖区单元", "Org unit")
    summary = ("name", "code")

    code: Mapped[str] = field(
        String(24),
        unique=True,
        label=("区划（网格）代码", "Division or grid code"),
        help=("The unit's code: 6-digit district, 9-digit street or town, 12-digit community or village, or a grid "
              "code."),
    )
    name: Mapped[str] = field(String(100), label=("名称", "Unit name"), help="The unit's name, e.g. 洪桥街道.")
    level: Mapped[str] = field(
        String(16),
        label=("层级", "Level"),
        codes="org_level",
        help="`city`, `district`, `street`, `community` or `grid`.",
    )
    parent_code: Mapped[str | None] = field(
        String(24),
        default=None,
        label=("上级代码", "Parent code"),
        help="Code of the unit above it; empty for the top of the tree.",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        """A unit lives under its own code (or a unit above it), so only someone whose scope covers
        the code can create it: nobody can squat another community's code from their own."""
        code, org = merged.get("code"), merged.get("org_code")
        if code and org and not str(code).startswith(str(org)):
            return [ValidationError("record.org_unit_place", "org_code", code=code)]
        return []
