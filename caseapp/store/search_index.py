"""The household search index, kept current in the same transaction as the records it covers.

A caseworker finds a household by typing part of a member's name, its pinyin ("zhangsan") or
initials ("zs"), an ID or phone number (from the start or its last digits) or part of the address.
Scanning 50,000 encrypted households per keystroke is far too slow, so every household gets a set
of short *keys*, each a one-letter kind followed by normalised text, stored in one B-tree::

    n张三  y zhangsan  z zs  i440104…  j…401044  p138…  q…831  a中山五路123号3栋502室

A prefix of what was typed is then a range scan on that B-tree (``key >= 'n张' AND key < 'n张\\x01'``),
which costs the same for 50 or 50,000 households. Last digits of an ID or phone number are found by
storing them reversed (kinds ``j`` and ``q``); address parts by storing the address from each place
a component ends (区, 街道, 路, 号, 栋 …), so "中山五路" and "502室" are prefixes of some key.

``search_keys`` has no rowid and no second index: a household's keys are also kept in its
``search_households`` row, so an edit deletes exactly the keys that changed, by primary key.

The index is derived data, not a record: it is neither journaled nor audited nor synced, and
``caseapp.services.search.reindex`` rebuilds it from the households and members at any time.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from itertools import repeat
from typing import Any

from sqlalchemy import Connection, Integer, String, Text, delete, event, inspect
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from caseapp.domain.base import Base
from caseapp.domain.households import Household, Member

# Key kinds: the first character of every key.
ID = "i"
ID_REVERSED = "j"
PHONE = "p"
PHONE_REVERSED = "q"
NAME = "n"
PINYIN = "y"
INITIALS = "z"
ADDRESS = "a"

MIDDLE_DOT = "\u00b7"
# Look-alikes of the middle dot that input methods produce (see caseapp.validation.names).
_DOTS = {cp: MIDDLE_DOT for cp in (0x2022, 0x2027, 0x30FB, 0xFF0E, 0x22C5, 0x2219, 0xFF65, 0x2E31)}
# Keys longer than this add nothing for a prefix search and only bloat the index.
MAX_KEY_CHARS = 64
SEPARATOR = "\x1f"  # between keys in search_households.keys; never typed in a field

# pypinyin reads a hanzi in its commonest sense, which is wrong for these surnames (曾 as "ceng",
# 区 as "qu" …). Guangzhou has many 曾, 区 and 覃 families, so the surname reading is indexed as well.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "区": "ou", "单": "shan", "解": "xie", "覃": "qin", "乐": "yue", "仇": "qiu", "查": "zha",
    "朴": "piao", "翟": "zhai", "缪": "miao", "盖": "ge", "尉": "yu", "召": "shao", "种": "chong", "繁": "po",
    "员": "yun", "祭": "zhai", "长孙": "zhangsun", "尉迟": "yuchi", "万俟": "moqi", "单于": "chanyu",
}

# Where an address component ends; a key starts after each, so typing any component finds it.
_ADDRESS_BREAKS = re.compile(
    r"省|市|区|县|街道|镇|乡|社区|居委会|村委会|村|大道|路|街|巷|弄|里|坊|段|号|之[一二三四五六七八九十]|栋|座|幢|楼|室"
    r"|房")
# A road named with a direction after its kind (工业大道南, 中山大道西, 人民路北, 东风街中): the house
# number after the direction is a component of its own, so "123号" finds 工业大道南123号. (The key
# after 大道 alone, "南123号", stays as well.)
_COMPOUND_ROAD = re.compile(r"(?:大道|大街|路|街)[东南西北中](?:[一二三四五六七八九十]?段)?(?=[0-9])")
_NON_DIGITS = re.compile(r"[^0-9]")


class SearchHousehold(Base):
    """One row per indexed household: a small integer handle for the keys, its org unit for scope
    filtering, and the keys it currently has (so an edit can remove exactly the stale ones)."""

    __tablename__ = "search_households"

    num: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    household_id: Mapped[str] = mapped_column(String(36), unique=True)
    org_code: Mapped[str] = mapped_column(String(24))
    keys: Mapped[str] = mapped_column(Text, default="")
    #: the head of household's name in the order a reader expects (pinyin, then the characters):
    #: the household list sorts by it, straight off its index (``name_sort_key``)
    head_sort: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)


class SearchKey(Base):
    """(key, household) pairs; the primary key is the search structure (see the module docstring)."""

    __tablename__ = "search_keys"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (SQLAlchemy reads it once)

    key: Mapped[str] = mapped_column(String(MAX_KEY_CHARS), primary_key=True)
    household_num: Mapped[int] = mapped_column(Integer, primary_key=True)


# --- text normalisation, shared with the query side ------------------------------------------------

def fold(text: str) -> str:
    """Typed text in the form keys are stored in: NFKC (full-width → ASCII), the one middle dot,
    no whitespace, lower case (pinyin) but an upper-case X (ID numbers)."""
    folded = unicodedata.normalize("NFKC", text).translate(_DOTS)
    folded = "".join(folded.split()).lower()
    return folded.replace("x", "X") if looks_numeric(folded) else folded


def looks_numeric(text: str) -> bool:
    return bool(text) and text[:-1].isascii() and text[:-1].isdigit() and (text[-1].isdigit() or text[-1] in "xX")


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


_HANZI = re.compile(r"^[\u3400-\u9fff]+$")


@cache
def _pypinyin() -> tuple[Callable[..., list[str]], Mapping[str, Any]]:
    """pypinyin and its phrase dictionary, loaded when a name is first read (loading them takes
    half a second, which a command that reads no names should not pay)."""
    # Its dictionaries as they ship, not copies kept for editing (nothing here edits them): a
    # first sync's memory peaks while the index is built, and the copies are 4 MB of it.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    return lazy_pinyin, PHRASES_DICT


def lazy_pinyin(text: str, errors: str = "default") -> list[str]:
    return _pypinyin()[0](text, errors=errors)


@lru_cache(maxsize=16384)
def _char_pinyin(char: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(char, errors="default"))


def pinyin_of(text: str) -> list[str]:
    """``lazy_pinyin(text)``, from a per-character cache when it must give the same answer: all
    hanzi, and no part of the text in pypinyin's phrase dictionary (pypinyin then reads character
    by character too). Names are mostly distinct, so caching whole names misses; a sync applying
    a district's records spent more time here than writing them."""
    phrases = _pypinyin()[1]
    if _HANZI.match(text) and not any(text[i:j] in phrases for i in range(len(text))
                                      for j in range(i + 2, len(text) + 1)):
        return [s for char in text for s in _char_pinyin(char)]
    return lazy_pinyin(text, errors="default")


_NOT_WORD = re.compile(r"[^0-9a-zA-Z\u00fc]+")
#: the lengths of the surnames read apart (one or two characters): a name part is looked up by its
#: first characters instead of testing every surname against it (a first sync's index rebuild
#: called startswith some 200,000 times for 3,000 households)
_SURNAME_LENGTHS = sorted({len(surname) for surname in SURNAME_READINGS})


def _syllables(text: str) -> list[str]:
    """Pinyin syllables (no tones, ü as v) of hanzi; other runs split into lower-case words."""
    out: list[str] = []
    for piece in pinyin_of(text):
        if piece.isascii() and piece.isalnum():  # a syllable, as almost every piece is
            out.append(piece.lower())
        else:
            out.extend(word for word in _NOT_WORD.split(piece.lower()) if word)
    return out


def _pinyin_variants(part: str) -> set[tuple[str, ...]]:
    """Syllable sequences of one name part: the default reading, and the surname reading if any."""
    variants = {tuple(_syllables(part))}
    for length in _SURNAME_LENGTHS:
        reading = SURNAME_READINGS.get(part[:length]) if len(part) > length else None
        if reading is not None:
            variants.add((reading, *_syllables(part[length:])))
    # Some people type ü as "u" (lu rather than lv).
    variants |= {tuple(s.replace("v", "u") for s in v) for v in variants if any("v" in s for s in v)}
    return {v for v in variants if v}


@lru_cache(maxsize=8192)
def name_keys(name: str) -> frozenset[str]:
    """Keys of a person's name: the name and, for a dotted name (阿依古丽·买买提), each part, with the
    pinyin and initials of each (the whole dotted name's pinyin simply skips the dot). Cached: a city
    has far fewer distinct names than people. (8,192 names, not 65,536: a first sync of 35,000
    households filled the larger cache, about 30 MB more at its memory peak, and rebuilt the index
    no faster; the per-character pinyin below stays cached.)"""
    name = fold(name)
    if not name:
        return frozenset()
    parts = [name] + ([p for p in name.split(MIDDLE_DOT) if p] if MIDDLE_DOT in name else [])
    keys: set[str] = set()
    for part in parts:
        keys.add(NAME + part)
        for syllables in _pinyin_variants(part):
            keys.add(PINYIN + "".join(syllables))
            keys.add(INITIALS + "".join(s[0] for s in syllables))
    return frozenset(k[:MAX_KEY_CHARS] for k in keys if len(k) > 1)


def number_keys(kind: str, reverse_kind: str, number: str | None) -> set[str]:
    if not number:
        return set()
    return {kind + number, reverse_kind + number[::-1]}


def phone_keys(phone: str | None) -> set[str]:
    """A mobile as its 11 digits; a landline (020-83331234) with and without its area code."""
    if not phone:
        return set()
    keys = number_keys(PHONE, PHONE_REVERSED, digits(phone))
    if "-" in phone:
        keys |= number_keys(PHONE, PHONE_REVERSED, digits(phone.split("-")[1]))
    return keys


@lru_cache(maxsize=4096)
def _address_keys_cached(address: str) -> frozenset[str]:
    starts = {0, *(m.end() for m in _ADDRESS_BREAKS.finditer(address)),
              *(m.end() for m in _COMPOUND_ROAD.finditer(address))}
    return frozenset((ADDRESS + address[s:])[:MAX_KEY_CHARS] for s in starts if s < len(address))


def address_keys(address: str | None) -> frozenset[str]:
    return _address_keys_cached(fold(address)) if address else frozenset()


def member_keys(name: str, id_number: str | None, phone: str | None) -> set[str]:
    keys = set(name_keys(name))
    keys |= number_keys(ID, ID_REVERSED, fold(id_number) if id_number else None)
    keys |= phone_keys(phone)
    return keys


#: sorts after every name: a household nobody has named yet comes last
UNNAMED = "\U0010ffff"


def name_sort_key(name: str | None) -> str:
    """A name as Chinese lists order names: by pinyin syllable (陈 chen before 黄 huang before 李 li),
    homophones by character; code-point order of hanzi would mean nothing to a reader."""
    if not name:
        return UNNAMED
    return " ".join(pinyin_of(name)).lower()[:150] + SEPARATOR + name[:40]


def household_keys(household: Any, members: Iterable[Any]) -> set[str]:
    """Every key of a household (row-like objects with the Household / Member attribute names)."""
    keys = set(address_keys(household.address)) | phone_keys(household.phone)
    if household.head_name:
        keys |= name_keys(household.head_name)
    for m in members:
        if not m.archived:
            keys |= member_keys(m.name, m.id_number, m.phone)
    return keys


# --- maintenance ------------------------------------------------------------------------------------

_CHUNK = 500


def refresh(conn: Connection, household_ids: Iterable[str]) -> None:
    """Bring the index up to date for these households (in the caller's transaction): new ones are
    added, changed ones get exactly their changed keys replaced, archived or missing ones removed."""
    ids = sorted(set(household_ids))
    next_num: int | None = None
    for start in range(0, len(ids), _CHUNK):
        next_num = _refresh_chunk(conn, ids[start:start + _CHUNK], next_num)


def _refresh_chunk(conn: Connection, ids: Sequence[str], next_num: int | None) -> int | None:
    # Plain SQL on the driver: this runs on every save of a household or member, where building
    # SQLAlchemy statements would cost more than the lookups.
    marks = ",".join("?" * len(ids))
    households = {row.id: row for row in conn.exec_driver_sql(
        f"SELECT id, org_code, address, phone, head_name, archived FROM households WHERE id IN ({marks})",
        tuple(ids))}
    members: dict[str, list[Any]] = {}
    for row in conn.exec_driver_sql(
            f"SELECT household_id, name, id_number, phone, archived FROM members WHERE household_id IN ({marks})",
            tuple(ids)):
        members.setdefault(row.household_id, []).append(row)
    existing = {row.household_id: row for row in conn.exec_driver_sql(
        f"SELECT num, household_id, keys FROM search_households WHERE household_id IN ({marks})", tuple(ids))}

    removed: list[tuple[str, int]] = []
    added: list[tuple[str, int]] = []
    new_rows: list[dict[str, Any]] = []
    for household_id in ids:
        old = existing.get(household_id)
        old_keys = set(old.keys.split(SEPARATOR)) - {""} if old else set()
        household = households.get(household_id)
        if household is None or household.archived:
            if old is not None:
                removed.extend(zip(old_keys, repeat(old.num)))
                conn.exec_driver_sql("DELETE FROM search_households WHERE num = ?", (old.num,))
            continue
        keys = household_keys(household, members.get(household_id, ()))
        stored = SEPARATOR.join(sorted(keys))
        if old is None:
            if next_num is None:
                next_num = (conn.exec_driver_sql("SELECT max(num) FROM search_households").scalar() or 0) + 1
            num, next_num = next_num, next_num + 1
            new_rows.append({"num": num, "household_id": household_id, "org_code": household.org_code,
                             "keys": stored, "head_sort": name_sort_key(household.head_name)})
            added.extend(zip(keys, repeat(num)))
        else:
            removed.extend(zip(old_keys - keys, repeat(old.num)))
            added.extend(zip(keys - old_keys, repeat(old.num)))
            conn.exec_driver_sql("UPDATE search_households SET org_code = ?, keys = ?, head_sort = ? WHERE num = ?",
                                 (household.org_code, stored, name_sort_key(household.head_name), old.num))
    # Plain driver executemany: the index has ~20 keys per household, and bulk loads add thousands
    # per transaction; SQLAlchemy's per-row parameter processing would cost more than SQLite itself.
    if removed:
        conn.exec_driver_sql("DELETE FROM search_keys WHERE key = ? AND household_num = ?", removed)
    if new_rows:
        conn.exec_driver_sql("INSERT INTO search_households (num, household_id, org_code, keys, head_sort) "
                             "VALUES (:num, :household_id, :org_code, :keys, :head_sort)", new_rows)
    if added:
        # Sorted so the B-tree is filled in order, touching each page once per transaction.
        conn.exec_driver_sql("INSERT INTO search_keys (key, household_num) VALUES (?, ?)", sorted(added))
    return next_num


def households_of(conn: Connection, refs: Iterable[tuple[str, str]]) -> set[str]:
    """The households whose search keys depend on these (entity, id) records: a household itself,
    or a member's household. For writers that bypass the ORM (sync applying pulled pages): call it
    before and after the write, in the same transaction, and ``refresh`` the union, so members that
    moved or were removed leave their old household's keys too."""
    found: set[str] = set()
    member_ids: list[str] = []
    for entity, row_id in refs:
        if entity == "household":
            found.add(row_id)
        elif entity == "member":
            member_ids.append(row_id)
    for start in range(0, len(member_ids), _CHUNK):
        chunk = member_ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in conn.exec_driver_sql(
            f"SELECT household_id FROM members WHERE id IN ({marks})", tuple(chunk)))
    return found


def clear(conn: Connection) -> None:
    conn.execute(delete(SearchKey))
    conn.execute(delete(SearchHousehold))


# --- keeping it current -----------------------------------------------------------------------------

_PENDING = "search_index_pending"


def _collect(session: Session, flush_context: UOWTransaction) -> None:
    """After each flush, note which households' searchable data may have changed."""
    pending: set[str] = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Household):
            pending.add(obj.id)
        elif isinstance(obj, Member):
            pending.add(obj.household_id)
            # a member moved to another household leaves the old one too
            moved_from = inspect(obj).attrs.household_id.history.deleted
            pending.update(h for h in moved_from if h)


def _before_commit(session: Session) -> None:
    """Refresh the index once per transaction, just before it commits: a batch of 500 households
    flushed table by table is indexed once, not once per flush."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        refresh(session.connection(), pending)


def _forget(session: Session, *args: object) -> None:
    session.info.pop(_PENDING, None)


def install(session_class: type[Session]) -> None:
    """Attach the index maintenance hooks to a sessionmaker's class (idempotent)."""
    if not event.contains(session_class, "after_flush", _collect):
        event.listen(session_class, "after_flush", _collect)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_rollback", _forget)
