"""Text clean-up shared by the validators.

Caseworkers type on Chinese input methods, paste from Word, WeChat and web pages, and import Excel
sheets. The same number therefore arrives with full-width digits (１２３), ideographic spaces, zero-width
characters or as an ``int`` from a spreadsheet cell. These helpers turn all of that into plain ASCII
before any rule is applied, so every validator sees the same canonical text and the rules themselves
can stay strict (ASCII-only regexes; never ``str.isdigit`` or ``\\d``, which accept Arabic-Indic and
other Unicode digits that ``int()`` would then silently convert).
"""

from __future__ import annotations

from typing import Any, NoReturn

from caseapp.errors import ValidationError

# U+FF01..U+FF5E are the full-width forms of ASCII U+0021..U+007E; U+3000 is the ideographic space.
_HALFWIDTH: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
_HALFWIDTH[0xFFE5] = 0xA5  # ￥ full-width yen sign -> ¥
_HALFWIDTH[0x2212] = 0x2D  # − minus sign -> hyphen-minus
for _dash in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0xFE63):
    _HALFWIDTH[_dash] = 0x2D  # hyphen look-alikes that Word and IMEs produce

# Invisible characters that copy-paste drags along; they never carry meaning in a number or a name.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_DROP_ZERO_WIDTH: dict[int, None] = {ord(ch): None for ch in ZERO_WIDTH}

ASCII_DIGITS = frozenset("0123456789")


def halfwidth(text: str) -> str:
    """Map full-width ASCII forms, the ideographic space and dash look-alikes to plain ASCII."""
    return text.translate(_HALFWIDTH)


def drop_zero_width(text: str) -> str:
    """Remove zero-width spaces, joiners and byte-order marks."""
    return text.translate(_DROP_ZERO_WIDTH)


def compact(text: str) -> str:
    """Half-width text with all whitespace and zero-width characters removed (for codes and numbers)."""
    return "".join(drop_zero_width(halfwidth(text)).split())


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of ASCII digits only (the two string methods, not a loop over
    the characters: every phone, ID, card and code passes here, 2.2 per pushed operation)."""
    return text.isascii() and text.isdigit()


def as_text(raw: object) -> str | None:
    """The raw input as a string, or None when it is not text at all.

    ``None`` counts as empty text (an empty form field). An ``int`` is accepted because openpyxl hands
    numeric-looking Excel cells (phone numbers, bank accounts) back as ints; ``bool`` is not an int
    here. Anything else is the caller's mistake, reported as a format error rather than a crash.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        try:
            return str(raw)
        except ValueError:  # more digits than int->str conversion allows (CPython >= 3.11)
            return None
    return None


def fail(key: str, field: str, **params: Any) -> NoReturn:
    """Raise the one error type every validator uses."""
    raise ValidationError(key, field, **params)
