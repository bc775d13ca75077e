"""Everything known about a record field, declared once, on the model.

A model declares each column with ``field(...)`` instead of a bare ``mapped_column``::

    head_name: Mapped[str] = field(String(60), default="", label=("户主姓名", "Head of household"),
                                   rule=PERSON_NAME, headings=("户主姓名", "户主"), personal=True)

and the column carries its ``Facts`` in ``Column.info``. Everything else is derived from them:
validation on the device and on the server (``caseapp.services.validate``), the desktop forms'
inputs and labels (``ui/forms/specs.py`` keeps only the order and grouping), list headers, the
history, outbox and conflict views, Excel ledger headings, and docs/data-model.md. Like a Django
model field (``verbose_name``, ``choices``, ``validators``, ``help_text``), one declaration and many
views of it. A test fails when a column has no facts or a label is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Boolean, Column, Float, Integer, Text
from sqlalchemy.orm import mapped_column

from caseapp.domain.types import IsoDate, Money, UtcDateTime
from caseapp.validation.rules import PAST, Rule

if TYPE_CHECKING:
    from sqlalchemy.orm import MappedColumn
    from sqlalchemy.sql.elements import KeyedColumnElement

    from caseapp.domain.base import Record

#: (Chinese, English): Chinese first, always both.
Label = tuple[str, str]
LANGS: Final = ("zh", "en")
FACTS: Final = "caseapp.facts"

# Form inputs. Derived from the column type and code list unless a field names one.
TEXT, MULTILINE, DATE, DATETIME, NOW, INT, MONEY, FLOAT, BOOL, CHOICE, MULTI, MEMBER, LINK = (
    "text",
    "multiline",
    "date",
    "datetime",
    "now",
    "int",
    "money",
    "float",
    "bool",
    "choice",
    "multi",
    "member",
    "link",
)
WIDGETS: Final = frozenset({TEXT, MULTILINE, DATE, DATETIME, NOW, INT, MONEY, FLOAT, BOOL, CHOICE, MULTI, MEMBER, LINK})


@dataclass(frozen=True)
class Facts:
    """What a field is, beyond its storage type."""

    #: what forms, lists, errors, ledgers and docs call it, in Chinese and English
    label: Label
    #: what the field means (docs/data-model.md)
    help: str = ""
    #: the caseapp.refdata dictionary its value comes from (a code, or its name on input)
    codes: str | None = None
    #: several codes, comma-separated (needs, entitlements)
    multi: bool = False
    #: for a JSON object: the dictionary its keys come from (核对 results by data source)
    keys: str | None = None
    #: the value is a state of this workflow (caseapp.services.workflows), labelled as the machine
    #: labels it; a record's own state field names its own machine
    states: str | None = None
    #: normalisers and checks applied to every non-empty value, in order
    rules: tuple[Rule, ...] = ()
    #: a form must fill it (beyond what the column's NOT NULL already requires)
    required: bool = False
    #: the form input; derived when None
    widget: str | None = None
    #: column headings of the Excel ledgers (台账) it is read from
    headings: tuple[str, ...] = ()
    #: personal information (PIPL): left out of minimised exports, never on a public notice
    personal: bool = False
    #: sensitive enough to be shown masked in lists (ID numbers, bank cards)
    masked: bool = False
    #: may appear on the public notice list (公示) although personal
    public: bool = False
    #: set when the record is created and never changed afterwards
    fixed: bool = False
    #: a shorter label for list headers
    short: Label | None = None

    @property
    def past(self) -> bool:
        return PAST in self.rules


def field(
    *args: Any,
    label: Label,
    help: str = "",
    codes: str | None = None,
    multi: bool = False,
    states: str | None = None,
    keys: str | None = None,
    rule: Rule | Iterable[Rule] = (),
    required: bool = False,
    widget: str | None = None,
    headings: Iterable[str] = (),
    personal: bool = False,
    masked: bool = False,
    public: bool = False,
    fixed: bool = False,
    short: Label | None = None,
    **column: Any,
) -> MappedColumn[Any]:
    """A mapped column with its facts (the ``mapped_column`` arguments pass through)."""
    rules = (rule,) if isinstance(rule, Rule) else tuple(rule)
    if widget is not None and widget not in WIDGETS:
        raise ValueError(f"unknown widget {widget!r}")
    if not (len(label) == 2 and all(text.strip() for text in label)):
        raise ValueError(f"a field needs a Chinese and an English label, not {label!r}")
    facts = Facts(
        label=label,
        help=help,
        codes=codes,
        multi=multi,
        states=states,
        keys=keys,
        rules=rules,
        required=required,
        widget=widget,
        headings=tuple(headings),
        personal=personal or masked,
        masked=masked,
        public=public,
        fixed=fixed,
        short=short,
    )
    return mapped_column(*args, info={FACTS: facts}, **column)


# --- reading the facts -------------------------------------------------------------------------


def facts_of(column: Column[Any] | KeyedColumnElement[Any]) -> Facts | None:
    found = column.info.get(FACTS)
    return found if isinstance(found, Facts) else None


@cache
def _all_facts(cls: type[Record]) -> dict[str, Facts]:
    found: dict[str, Facts] = {}
    for column in cls.__table__.columns:
        facts = facts_of(column)
        if facts is not None:
            found[column.key] = facts
    return found


def facts(cls: type[Record], name: str) -> Facts:
    try:
        return _all_facts(cls)[name]
    except KeyError:
        raise KeyError(f"{cls.entity}.{name} has no facts (declare it with caseapp.domain.fields.field)") from None


def all_facts(cls: type[Record]) -> dict[str, Facts]:
    return dict(_all_facts(cls))


def _lang_index(lang: str) -> int:
    return 1 if lang.startswith("en") else 0


def field_label(cls: type[Record], name: str, lang: str = "zh", *, short: bool = False) -> str:
    found = _all_facts(cls).get(name)
    if found is None:
        return name
    label = found.short if short and found.short else found.label
    return label[_lang_index(lang)]


def entity_label(cls: type[Record], lang: str = "zh") -> str:
    return cls.label[_lang_index(lang)]


def widget_of(cls: type[Record], name: str) -> str:
    """The input a form shows for the field."""
    found = facts(cls, name)
    if found.widget:
        return found.widget
    column = cls.__table__.columns[name]
    if found.codes or found.states:
        return MULTI if found.multi else CHOICE
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return MEMBER if target == "members" else LINK
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return NOW if found.past and not column.nullable else DATETIME
    if isinstance(kind, IsoDate):
        return DATE
    if isinstance(kind, Money):
        return MONEY
    if isinstance(kind, Boolean):
        return BOOL
    if isinstance(kind, Integer):
        return INT
    if isinstance(kind, Float):
        return FLOAT
    if isinstance(kind, Text):
        return MULTILINE
    return TEXT


def max_length(cls: type[Record], name: str) -> int | None:
    """The longest text a String(n) column holds; None for unbounded text."""
    length = getattr(cls.__table__.columns[name].type, "length", None)
    return int(length) if isinstance(length, int) else None
