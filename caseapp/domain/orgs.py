"""Org units: district → street/town → community/village → grid.

Districts, streets and communities carry GB/T 2260 and 12-digit statistical codes; grids have no
national standard and are numbered by the server as the community code plus a sequence. The org
unit's own ``org_code`` is its code, so a device sees the units it is assigned to.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register

LEVELS = ("city", "district", "street", "community", "grid")


@register
class OrgUnit(Record):
    __tablename__ = "org_units"
    entity = "org_unit"

    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(24), default=None)
