"""Personal names, including ethnic-minority and foreign names with the middle dot.

The State Ethnic Affairs Commission (民委发〔2016〕33号) fixes the separator in transliterated names
as U+00B7 "·" (GB18030 A1A4). Input methods and fonts produce half a dozen look-alikes, and a name
stored with the wrong dot never matches the same person in the 户籍 or bank data, so they are all
mapped to U+00B7 here. Names are also NFC-normalised for the same reason (one spelling, one byte
sequence) and may contain supplementary-plane hanzi (𠮷, 𪚥 ...): lengths are counted in code points.
"""

from __future__ import annotations

import re
import unicodedata

from caseapp.validation._text import as_text, drop_zero_width, fail

MIDDLE_DOT = "\u00b7"
MAX_NAME_LENGTH = 50

# U+2022 • bullet, U+2027 ‧ hyphenation point, U+30FB ・ katakana middle dot, U+FF0E ． full-width
# full stop, U+22C5 ⋅ dot operator, U+2219 ∙ bullet operator, U+FF65 ･ half-width katakana middle dot.
_DOT_LOOKALIKES: dict[int, str] = {cp: MIDDLE_DOT for cp in (0x2022, 0x2027, 0x30FB, 0xFF0E, 0x22C5, 0x2219, 0xFF65)}

# Han ideographs: radicals, 々 〇, CJK Ext A, URO, compatibility ideographs, and planes 2-3 (Ext B-I).
_CJK = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# Unicode whitespace, minus the C0/C1 separators that Python also counts as space: those are
# control characters and rejected as such.
_SPACES = r"[^\S\x1c-\x1f\x85]"
# An ASCII full stop between two hanzi (or next to a middle dot) is a mistyped separator.
_CJK_FULL_STOP = re.compile(rf"(?<=[{_CJK}{MIDDLE_DOT}]){_SPACES}*\.{_SPACES}*(?=[{_CJK}{MIDDLE_DOT}])")
_SPACED_DOT = re.compile(rf"{_SPACES}*{MIDDLE_DOT}{_SPACES}*")
# Chinese names never contain spaces; 张　三 is padding added to line two-character names up in lists.
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]){_SPACES}+(?=[{_CJK}])")
_SPACE_RUN = re.compile(rf"{_SPACES}+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
# Two separators in a row (either dot, spaces between them included) are a typing slip.
_DOUBLE_DOT = re.compile(rf"[.{MIDDLE_DOT}] ?[.{MIDDLE_DOT}]")


def _check_characters(name: str, field: str) -> None:
    """Reject digits and control or invisible format characters."""
    for ch in name:
        category = unicodedata.category(ch)
        if category in ("Nd", "No"):
            fail("name.digit", field, char=ch)
        # Cc: control characters; Cf: invisible format characters (bidi overrides can disguise a
        # name); Cs: lone surrogates left by a broken decoder. Shown as U+XXXX since they are invisible.
        if category in ("Cc", "Cf", "Cs"):
            fail("name.control_char", field, code=f"U+{ord(ch):04X}")


def normalize_person_name(raw: str, field: str = "name", max_length: int = MAX_NAME_LENGTH) -> str:
    """The name in canonical form: NFC, trimmed, U+00B7 as the only separator, no padding spaces.

    Rejected: empty, longer than ``max_length`` code points, digits, control or invisible format
    characters, and a separator at the start, at the end or doubled.
    """
    text = as_text(raw)
    if text is None or isinstance(raw, int):
        fail("name.format", field)
    # Zero-width characters go before NFC: left in place they block composition (e + ZWSP + U+0301).
    name = unicodedata.normalize("NFC", drop_zero_width(text)).translate(_DOT_LOOKALIKES)
    name = _CJK_FULL_STOP.sub(MIDDLE_DOT, name)
    name = _SPACED_DOT.sub(MIDDLE_DOT, name)
    name = _SPACE_BETWEEN_CJK.sub("", name)
    name = _SPACE_RUN.sub(" ", name).strip(" ")
    # Removing spaces can put a base letter next to a combining mark; compose once more.
    name = unicodedata.normalize("NFC", name)
    if not name:
        fail("name.empty", field)
    _check_characters(name, field)
    if len(name) > max_length:
        fail("name.too_long", field, max=max_length, length=len(name))
    if _bad_edge(name):
        fail("name.dot_edge", field)
    if _DOUBLE_DOT.search(name):
        fail("name.dot_double", field)
    return name


def _bad_edge(name: str) -> bool:
    """A separator cannot open or close a name; a closing "." is fine only after a Latin initial
    or abbreviation ("Jr."), never after a hanzi."""
    if name[0] in (MIDDLE_DOT, ".") or name[-1] == MIDDLE_DOT:
        return True
    if name[-1] == ".":
        return len(name) == 1 or not name[-2].isalpha() or bool(_CJK_CHAR.fullmatch(name[-2]))
    return False
