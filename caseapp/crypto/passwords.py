"""What a password or passphrase must not be: one definition for the server's accounts, workspace
passphrases and the passwords exports leave the device with.

Length alone let "12345678" and "password" through. Online and offline guessing both start with the
lists of leaked passwords, in order, then keyboard walks and repeats, then the user's own name; a
password found early in that order protects nothing however long it is. So a password is refused
when it is

* shorter than the minimum of its use (8 for workspace and export passphrases, which Argon2id
  stretches on the device; 10 for server accounts, which are guessed online from anywhere);
* one of the 10,000 commonest leaked passwords, or one of them with a few digits or symbols around
  it ("dragon2024", "woaini1314!"), a straight run ("abcdefgh", "987654321", "qwertyuiop") or one or
  two characters repeated (``caseapp/data/common_passwords.json`` names the list and its licence);
* the user name (or its reverse), repeated or with a few characters or only digits and symbols
  added ("worker1-2026").

An embedded list rather than zxcvbn: the list is what zxcvbn itself ranks by, shipped as 110 KB of
data with no new dependency on device or server; it is checked the same way everywhere in well under
a millisecond (zxcvbn's matcher grows with the square of the length); and it carries the pinyin
phrases and number puns ("woaini1314", "5201314") common in China that zxcvbn's English-centred
dictionaries miss.

Comparison is on the NFKC, case-folded text, so full-width letters typed through a Chinese input
method ("ｐａｓｓｗｏｒｄ") and capitals ("Password") are the same password.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Final

from caseapp import data
from caseapp.errors import ValidationError

#: workspace and export passphrases (stretched with Argon2id on the device)
MIN_PASSPHRASE_LENGTH: Final = 8
#: server accounts (guessed online, from anywhere)
MIN_ACCOUNT_PASSWORD_LENGTH: Final = 10

_AROUND: Final = "0123456789!@#$%^&*()_+-=.,?~ "
#: at most this many digits or symbols around a common password still make it common
_MAX_DECORATION: Final = 4
_RUNS: Final = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
                "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfvtgb")


@cache
def _common() -> frozenset[str]:
    return frozenset(data.load("common_passwords.json")["passwords"])


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_run(folded: str) -> bool:
    return len(folded) >= 4 and any(folded in run or folded in run[::-1] for run in _RUNS)


def is_common(text: str) -> bool:
    """True for a password on the list (or one with a little decoration around it), a straight
    run, or one or two characters repeated: the first things any guesser tries."""
    folded = fold(text)
    core = folded.strip(_AROUND)
    if len(set(folded)) <= 2 or folded in _common() or _is_run(folded) or _is_run(core):
        return True
    return len(folded) - len(core) <= _MAX_DECORATION and core in _common()


def _is_user_name(folded: str, user: str) -> bool:
    name = fold(user).strip()
    if not name:
        return False
    if name[::-1] in folded:
        folded = folded.replace(name[::-1], name)
    if name not in folded:
        return False
    rest = folded.replace(name, "")
    return len(rest) <= _MAX_DECORATION or not rest.strip(_AROUND)


def check(text: str, *, min_length: int = MIN_PASSPHRASE_LENGTH, user: str | None = None) -> None:
    """Raise ``ValidationError`` (field "passphrase") saying why ``text`` will not do, else nothing.

    Length is counted in characters after NFC normalisation, so eight Chinese characters count as
    eight, not as their 24 UTF-8 bytes.
    """
    if len(unicodedata.normalize("NFC", text)) < min_length:
        raise ValidationError("workspace.passphrase_too_short", "passphrase", min=min_length)
    if user is not None and _is_user_name(fold(text), user):
        raise ValidationError("password.is_user_name", "passphrase")
    if is_common(text):
        raise ValidationError("password.too_common", "passphrase")
