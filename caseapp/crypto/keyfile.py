"""The workspace key file: the SQLCipher data key, wrapped under the passphrase and a recovery key.

What is stored
==============

A workspace's database (and its attachments, and encrypted exports) are protected by one random
256-bit *data key*. The key file never stores it in clear; it stores it twice, wrapped with AES-256-GCM
(see :mod:`caseapp.crypto.aead`):

* under a key derived from the user's **passphrase** with Argon2id (memory-hard, so that guessing
  passphrases offline on a stolen laptop costs real memory and time per guess);
* under a key derived from a **recovery key** shown once at creation (256 random bits, printed and put
  in a drawer). It is already high-entropy, so a fast HKDF-SHA256 suffices; Argon2 would add nothing.

Changing the passphrase only rewraps the data key; the database is not re-encrypted. The recovery
wrapping is kept, so the recovery key printed at creation keeps working.

The file is JSON (UTF-8, version 1)::

    {"format": "caseapp-keyfile", "version": 1, "workspace_id": "...",
     "kdf": {"name": "argon2id", "memory_cost_kib": ..., "iterations": ..., "lanes": ..., "salt": b64},
     "wrapped_key": b64(aead blob),
     "recovery": {"name": "hkdf-sha256", "salt": b64, "wrapped_key": b64(aead blob)},
     "key_check": b64(HMAC-SHA256),
     "checksum": "sha256:<hex>"}

Why three integrity mechanisms
==============================

Each answers a different question, which is what lets :func:`unlock` tell the user *honestly* what is
wrong instead of saying "wrong passphrase" for everything:

1. ``checksum`` - SHA-256 over the canonical encoding (sorted keys, no spaces, ASCII) of every other
   field. It has no key, so it is not a security boundary; it detects *accidental* damage (a bad
   sector, a sync tool mangling the file) and *naive* edits. A mismatch means "this is not the file
   CaseApp wrote" -> ``workspace.keyfile_tampered``. It is checked before the (slow) KDF runs, so a
   damaged file is reported as damaged, not as a wrong passphrase.

2. AES-GCM associated data - each wrapping authenticates a *header*: format, version, workspace id
   and its own KDF parameters and salt. An attacker who edits those fields and recomputes the
   checksum (trivial) still cannot make the file unlock: the derived key or the AAD differ, so GCM
   refuses. Lowering the Argon2 cost or swapping the salt can therefore never yield a silently wrong
   key, and cannot be turned into a cheaper-to-attack copy of the key. Such a file is by construction
   indistinguishable from "another passphrase", so it is reported as :class:`WrongPassphraseError`.
   The recovery wrapping's header leaves out the passphrase salt on purpose: a passphrase change
   must not invalidate the recovery key (whose text we no longer have to rewrap with).

3. ``key_check`` - HMAC-SHA256 over the whole document (except the checksum and itself), keyed by a
   subkey of the *data key*. It is verified right after a successful unwrap, so it proves the entire
   file, including the other wrapping, was written by someone holding the data key. It catches what
   GCM alone cannot see, e.g. a recovery block replaced by one wrapping an attacker's key (a trap for
   the day the user needs recovery): -> ``workspace.keyfile_tampered``. It also lets
   :func:`change_passphrase` confirm that the data key it is given belongs to this file before
   rewriting it (otherwise it would write a passphrase wrapping of the wrong key next to a recovery
   wrapping of the right one).

Order of checks in :func:`unlock`: missing file -> unreadable/not JSON/not our format/unknown
version (``keyfile_corrupt``; we cannot even say what the checksum covers) -> checksum
(``keyfile_tampered``) -> field structure (``keyfile_corrupt``: the checksum matched, so it was
written like this) -> unwrap (:class:`WrongPassphraseError`) -> key check (``keyfile_tampered``).

Unlocking never writes anything: a wrong passphrase leaves every file byte-for-byte as it was.

Argon2 parameters read from any file (a key file, a sealed export) may not ask for more than CaseApp
itself ever writes, :data:`PRODUCTION_KDF` (:func:`kdf_from_file`), so a doctored file cannot make one
unlock or import attempt take a gigabyte of memory or minutes of work: such a file is
``keyfile_corrupt`` (for an export, ``export.sealed_damaged``), refused before Argon2 runs.

Passphrases are NFC-normalised before use, so the same passphrase typed through different input
methods or platforms (precomposed vs. combining characters) derives the same key.

Python cannot reliably wipe ``bytes`` from memory; keys are kept in short-lived locals and not cached.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import secrets
import statistics
import time
import unicodedata
import uuid
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseapp.crypto import passwords
from caseapp.crypto.aead import BLOB_OVERHEAD, KEY_SIZE, DecryptionError, decrypt_blob, encrypt_blob
from caseapp.errors import KeyFileError, WorkspaceError, WrongPassphraseError
from caseapp.fileio import atomic_write_bytes

__all__ = [
    "DATA_KEY_SIZE",
    "MIN_PASSPHRASE_LENGTH",
    "PRODUCTION_KDF",
    "TEST_KDF",
    "KdfParams",
    "benchmark_kdf",
    "change_passphrase",
    "check_passphrase",
    "check_writable",
    "create_keyfile",
    "derive_subkey",
    "format_recovery_key",
    "kdf_from_file",
    "parse_recovery_key",
    "passphrase_strength",
    "read_workspace_id",
    "unlock",
    "unlock_with_recovery",
]

FORMAT: Final = "caseapp-keyfile"
VERSION: Final = 1
DATA_KEY_SIZE: Final = KEY_SIZE
SALT_SIZE: Final = 16
_WRAPPED_KEY_SIZE: Final = BLOB_OVERHEAD + DATA_KEY_SIZE
MIN_PASSPHRASE_LENGTH: Final = passwords.MIN_PASSPHRASE_LENGTH

# A key file is a few hundred bytes; refuse to read anything large into memory.
MAX_KEYFILE_SIZE: Final = 64 * 1024
MAX_WORKSPACE_ID_LENGTH: Final = 200

# Bounds on any Argon2 parameters (benchmark_kdf may try costlier ones than PRODUCTION_KDF); what a
# file may ask for is bounded much more tightly, by kdf_from_file.
MAX_MEMORY_COST_KIB: Final = 4 * 1024 * 1024  # 4 GiB
MAX_ITERATIONS: Final = 100
MAX_LANES: Final = 64

# Purposes of derive_subkey reserved by this package; other components pick their own names.
_KEY_CHECK_PURPOSE: Final = "keyfile-check"

_PASSPHRASE_PURPOSE: Final = "passphrase"
_RECOVERY_PURPOSE: Final = "recovery"
_ARGON2: Final = "argon2id"
_HKDF: Final = "hkdf-sha256"
_RECOVERY_INFO: Final = b"caseapp keyfile v1 recovery wrapping key"
_SUBKEY_INFO_PREFIX: Final = b"caseapp subkey v1\x00"
_CHECKSUM_PREFIX: Final = "sha256:"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (RFC 9106 names: m = memory_cost_kib, t = iterations, p = lanes)."""

    memory_cost_kib: int
    iterations: int
    lanes: int

    def __post_init__(self) -> None:
        for name in ("memory_cost_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be an int")
        if not 1 <= self.lanes <= MAX_LANES:
            raise ValueError(f"lanes must be in 1..{MAX_LANES}")
        if not 1 <= self.iterations <= MAX_ITERATIONS:
            raise ValueError(f"iterations must be in 1..{MAX_ITERATIONS}")
        # Argon2 itself requires at least 8 KiB per lane.
        if not 8 * self.lanes <= self.memory_cost_kib <= MAX_MEMORY_COST_KIB:
            raise ValueError(f"memory_cost_kib must be in {8 * self.lanes}..{MAX_MEMORY_COST_KIB}")


# Tuned so one unlock takes roughly 0.3-0.5 s on the development machine (2-vCPU AMD EPYC VM, Python
# 3.11, cryptography 50 / OpenSSL 4.0). Why these values: 128 MiB per guess is what makes GPU/ASIC
# guessing rigs expensive (memory, not arithmetic, is their bottleneck) while staying harmless on a
# caseworker's 4-8 GB laptop; t=4 buys the rest of the time budget without more memory; p=4 as
# RFC 9106 recommends (OpenSSL 4.0 here computes the lanes on one thread: CPU time == wall time).
# Measured (time.perf_counter, median of 5-7 derivations):
#   idle machine:                   0.40 s (range 0.35-0.56 s)
#   other jobs loading both vCPUs:  0.42, 0.58, 0.59 s (three medians of 7)
# Command:
#   .venv/bin/python -c "from caseapp.crypto.keyfile import benchmark_kdf, PRODUCTION_KDF; \
#       print(benchmark_kdf(PRODUCTION_KDF, runs=7))"
# Re-measure when changing it; key files store their own parameters, so older files still open.
PRODUCTION_KDF: Final = KdfParams(memory_cost_kib=128 * 1024, iterations=4, lanes=4)

# Cheap parameters for the test suite only: tests pass it explicitly; no production path defaults to it.
TEST_KDF: Final = KdfParams(memory_cost_kib=8 * 1024, iterations=1, lanes=1)


def kdf_from_file(memory_cost_kib: int, iterations: int, lanes: int) -> KdfParams:
    """Argon2 parameters read from a file: ValueError unless each lies between TEST_KDF's and
    PRODUCTION_KDF's, the cheapest and the costliest CaseApp writes. Whoever can edit the file could
    otherwise make opening it cost 1 GiB per attempt, or minutes. Raising PRODUCTION_KDF raises this
    ceiling with it; lowering it would lock out files written under the old one, so keep the old
    values as the ceiling if that day comes."""
    kdf = KdfParams(memory_cost_kib, iterations, lanes)
    for name in ("memory_cost_kib", "iterations", "lanes"):
        low, high = sorted((getattr(TEST_KDF, name), getattr(PRODUCTION_KDF, name)))
        if not low <= getattr(kdf, name) <= high:
            raise ValueError(f"{name} must be in {low}..{high} in a file")
    return kdf


def check_writable(kdf: KdfParams) -> None:
    """ValueError for parameters ``kdf_from_file`` would refuse: no file is written that cannot be read back."""
    kdf_from_file(kdf.memory_cost_kib, kdf.iterations, kdf.lanes)


# --------------------------------------------------------------------------------------------------
# Key derivation


def derive_subkey(data_key: bytes, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` (e.g. ``"attachments"``, ``"export"``), derived from the data key.

    HKDF-SHA256 with the purpose in ``info``: subkeys for different purposes are independent, so no
    component ever uses the SQLCipher key itself, and a leak of one subkey reveals nothing about the
    data key or the others. ``"keyfile-check"`` is reserved by this module.
    """
    if len(data_key) != DATA_KEY_SIZE:
        raise ValueError(f"data key must be {DATA_KEY_SIZE} bytes")
    if not purpose:
        raise ValueError("purpose must not be empty")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_SUBKEY_INFO_PREFIX + purpose.encode("utf-8"))
    return hkdf.derive(data_key)


def _normalise_passphrase(passphrase: str) -> str:
    return unicodedata.normalize("NFC", passphrase)


def _passphrase_key(passphrase: str, kdf: KdfParams, salt: bytes) -> bytes:
    argon = Argon2id(salt=salt, length=32, iterations=kdf.iterations, lanes=kdf.lanes,
                     memory_cost=kdf.memory_cost_kib)
    return argon.derive(_normalise_passphrase(passphrase).encode("utf-8"))


def _recovery_wrapping_key(recovery_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_RECOVERY_INFO).derive(recovery_key)


def benchmark_kdf(kdf: KdfParams, runs: int = 5) -> float:
    """Median seconds one passphrase derivation with ``kdf`` takes here (for tuning PRODUCTION_KDF)."""
    timings = []
    for _ in range(runs):
        salt = os.urandom(SALT_SIZE)
        start = time.perf_counter()
        _passphrase_key("correct horse battery staple", kdf, salt)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


# --------------------------------------------------------------------------------------------------
# Recovery key text: 256 bits as Crockford base32, in dash-separated groups of four.

_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's decoding rules: letters easily misread as digits decode to those digits.
_CROCKFORD_DECODE: Final = {c: i for i, c in enumerate(_CROCKFORD)} | {"O": 0, "I": 1, "L": 1}
_RECOVERY_KEY_BYTES: Final = 32
# 256 key bits + a 4-bit check (catches most typos) = 260 bits = exactly 52 base32 characters.
_RECOVERY_KEY_CHARS: Final = 52
_RECOVERY_GROUP: Final = 4
_IGNORED_IN_RECOVERY_KEY: Final = frozenset("-_")


def _recovery_check_nibble(key: bytes) -> int:
    return hashlib.sha256(b"caseapp recovery key check\x00" + key).digest()[0] >> 4


def format_recovery_key(key: bytes) -> str:
    """Render 32 random bytes for printing, e.g. ``7ZQK-3M1D-...`` (13 groups of 4)."""
    if len(key) != _RECOVERY_KEY_BYTES:
        raise ValueError("recovery key must be 32 bytes")
    value = (int.from_bytes(key, "big") << 4) | _recovery_check_nibble(key)
    chars = [_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(_RECOVERY_KEY_CHARS))]
    text = "".join(chars)
    return "-".join(text[i : i + _RECOVERY_GROUP] for i in range(0, len(text), _RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Inverse of :func:`format_recovery_key`, forgiving about how it was typed back in.

    Case-insensitive; spaces (including the full-width space of Chinese input methods), hyphens and
    full-width letters/digits (normalised with NFKC) are accepted; O/I/L read as 0/1/1. Raises
    ``WorkspaceError("workspace.wrong_recovery_key")`` if it is not a well-formed recovery key.
    """
    normalised = unicodedata.normalize("NFKC", text).upper()
    values: list[int] = []
    for char in normalised:
        if char.isspace() or char in _IGNORED_IN_RECOVERY_KEY:
            continue
        digit = _CROCKFORD_DECODE.get(char)
        if digit is None:
            raise WorkspaceError("workspace.wrong_recovery_key")
        values.append(digit)
    if len(values) != _RECOVERY_KEY_CHARS:
        raise WorkspaceError("workspace.wrong_recovery_key")
    value = 0
    for digit in values:
        value = (value << 5) | digit
    key = (value >> 4).to_bytes(_RECOVERY_KEY_BYTES, "big")
    if value & 0xF != _recovery_check_nibble(key):
        raise WorkspaceError("workspace.wrong_recovery_key")
    return key


# --------------------------------------------------------------------------------------------------
# Passphrase policy


def check_passphrase(passphrase: str, min_length: int = MIN_PASSPHRASE_LENGTH) -> None:
    """Raise ``ValidationError`` saying why ``passphrase`` will not do: shorter than ``min_length``
    (``workspace.passphrase_too_short``) or among the commonest passwords (``password.too_common``);
    the one policy of :mod:`caseapp.crypto.passwords`.

    Length is counted in characters after NFC normalisation, so a Chinese passphrase of eight
    characters counts as eight, not as its 24 UTF-8 bytes.
    """
    passwords.check(passphrase, min_length=min_length)


def passphrase_strength(passphrase: str) -> int:
    """A 0..4 score for the UI's strength meter (0 = refuse/very weak, 4 = very strong).

    A heuristic, not a guarantee: it estimates brute-force bits from length and the character classes
    used (Chinese and other non-ASCII characters count as a large alphabet), discounts repeated
    characters, and scores the passwords :func:`caseapp.crypto.passwords.is_common` refuses (the
    commonest leaked ones, keyboard/alphabet runs, repeats) and short passphrases 0.
    """
    text = _normalise_passphrase(passphrase)
    if len(text) < MIN_PASSPHRASE_LENGTH:
        return 0
    if passwords.is_common(text):
        return 0

    pool = 0
    if any("a" <= c <= "z" for c in text):
        pool += 26
    if any("A" <= c <= "Z" for c in text):
        pool += 26
    if any(c.isdigit() and c.isascii() for c in text):
        pool += 10
    if any(c.isascii() and not c.isalnum() for c in text):
        pool += 33
    if any(not c.isascii() for c in text):
        # Conservative: people pick meaningful words, not uniformly from ~3500 common hanzi.
        pool += 500
    # Repeats add little: 'aaaabbbb' is about as hard as 'ab' said four times.
    effective_length = min(len(text), 2 * len(set(text)))
    bits = effective_length * math.log2(pool)
    if bits < 36:
        return 1
    if bits < 50:
        return 2
    if bits < 70:
        return 3
    return 4


# --------------------------------------------------------------------------------------------------
# File format


@dataclass(frozen=True)
class _KeyFile:
    workspace_id: str
    kdf: KdfParams
    salt: bytes
    wrapped_key: bytes
    recovery_salt: bytes
    recovery_wrapped_key: bytes
    key_check: bytes = b""


def _canonical(value: Any) -> bytes:
    """The one byte encoding we hash and authenticate; independent of how the file is laid out."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kdf_header(kf: _KeyFile) -> dict[str, Any]:
    return {
        "name": _ARGON2,
        "memory_cost_kib": kf.kdf.memory_cost_kib,
        "iterations": kf.kdf.iterations,
        "lanes": kf.kdf.lanes,
        "salt": _b64(kf.salt),
    }


def _passphrase_aad(kf: _KeyFile) -> bytes:
    return _canonical({"format": FORMAT, "version": VERSION, "workspace_id": kf.workspace_id,
                       "purpose": _PASSPHRASE_PURPOSE, "kdf": _kdf_header(kf)})


def _recovery_aad(kf: _KeyFile) -> bytes:
    # Deliberately without the passphrase KDF header: see the module docstring.
    recovery = {"name": _HKDF, "salt": _b64(kf.recovery_salt)}
    return _canonical({"format": FORMAT, "version": VERSION, "workspace_id": kf.workspace_id,
                       "purpose": _RECOVERY_PURPOSE, "recovery": recovery})


def _body(kf: _KeyFile) -> dict[str, Any]:
    """Everything except ``key_check`` and ``checksum``: what the key check authenticates."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "workspace_id": kf.workspace_id,
        "kdf": _kdf_header(kf),
        "wrapped_key": _b64(kf.wrapped_key),
        "recovery": {
            "name": _HKDF,
            "salt": _b64(kf.recovery_salt),
            "wrapped_key": _b64(kf.recovery_wrapped_key),
        },
    }


def _compute_key_check(kf: _KeyFile, data_key: bytes) -> bytes:
    check_key = derive_subkey(data_key, _KEY_CHECK_PURPOSE)
    return hmac.new(check_key, _canonical(_body(kf)), hashlib.sha256).digest()


def _key_check_matches(kf: _KeyFile, data_key: bytes) -> bool:
    if len(data_key) != DATA_KEY_SIZE:
        return False
    return hmac.compare_digest(kf.key_check, _compute_key_check(kf, data_key))


def _checksum(document_without_checksum: dict[str, Any]) -> str:
    return _CHECKSUM_PREFIX + hashlib.sha256(_canonical(document_without_checksum)).hexdigest()


def _serialise(kf: _KeyFile, data_key: bytes) -> bytes:
    document = _body(kf)
    document["key_check"] = _b64(_compute_key_check(kf, data_key))
    document["checksum"] = _checksum(document)
    # Human-readable layout on disk (support staff may look at it); integrity never depends on it.
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


class _Corrupt(Exception):
    """Internal: the structure is wrong (translated to keyfile_corrupt with the path)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Corrupt(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise _Corrupt(f"non-standard JSON constant {name}")


def _exact_keys(obj: Any, keys: AbstractSet[str]) -> dict[str, Any]:
    if not isinstance(obj, dict) or set(obj) != keys:
        raise _Corrupt("unexpected fields")
    return obj


def _get_str(obj: dict[str, Any], key: str) -> str:
    value = obj[key]
    if not isinstance(value, str):
        raise _Corrupt(f"{key} is not a string")
    return value


def _get_int(obj: dict[str, Any], key: str) -> int:
    value = obj[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Corrupt(f"{key} is not an integer")
    return value


def _get_b64(obj: dict[str, Any], key: str, size: int | None = None) -> bytes:
    try:
        data = base64.b64decode(_get_str(obj, key), validate=True)
    except (binascii.Error, ValueError):
        raise _Corrupt(f"{key} is not base64") from None
    if size is not None and len(data) != size:
        raise _Corrupt(f"{key} has the wrong length")
    return data


def _read_document(path: Path) -> dict[str, Any]:
    """Read and parse; raises keyfile_missing or _Corrupt. Never writes."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KEYFILE_SIZE + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise KeyFileError("workspace.keyfile_missing", path=str(path)) from None
    except IsADirectoryError:
        raise _Corrupt("a folder, not a file") from None
    if len(raw) > MAX_KEYFILE_SIZE:
        raise _Corrupt("too large")
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                              parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Corrupt("not JSON") from None
    if not isinstance(document, dict):
        raise _Corrupt("not a JSON object")
    return document


def _load(path: Path) -> _KeyFile:
    """Read, verify the checksum and parse a key file; raises the KeyFileError that fits."""
    path = Path(path)
    try:
        document = _read_document(path)
        # Format and version decide how to read everything else, including what the checksum covers.
        if document.get("format") != FORMAT:
            raise _Corrupt("not a CaseApp key file")
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version != VERSION:
            raise _Corrupt("unknown version")
        stored_checksum = document.get("checksum")
        if not isinstance(stored_checksum, str):
            raise _Corrupt("no checksum")
    except _Corrupt:
        raise KeyFileError("workspace.keyfile_corrupt", path=str(path)) from None

    rest = {k: v for k, v in document.items() if k != "checksum"}
    if not hmac.compare_digest(stored_checksum.encode("utf-8"), _checksum(rest).encode("ascii")):
        raise KeyFileError("workspace.keyfile_tampered", path=str(path))

    try:
        return _parse(rest)
    except _Corrupt:
        raise KeyFileError("workspace.keyfile_corrupt", path=str(path)) from None


_TOP_LEVEL_FIELDS: Final = frozenset(
    {"format", "version", "workspace_id", "kdf", "wrapped_key", "recovery", "key_check"}
)


def _parse(document: dict[str, Any]) -> _KeyFile:
    _exact_keys(document, _TOP_LEVEL_FIELDS)
    workspace_id = _get_str(document, "workspace_id")
    if not workspace_id or len(workspace_id) > MAX_WORKSPACE_ID_LENGTH:
        raise _Corrupt("bad workspace id")
    kdf_obj = _exact_keys(document["kdf"], {"name", "memory_cost_kib", "iterations", "lanes", "salt"})
    if kdf_obj["name"] != _ARGON2:
        raise _Corrupt("unknown KDF")
    try:
        kdf = kdf_from_file(_get_int(kdf_obj, "memory_cost_kib"), _get_int(kdf_obj, "iterations"),
                            _get_int(kdf_obj, "lanes"))
    except ValueError:
        raise _Corrupt("KDF parameters out of range") from None
    recovery = _exact_keys(document["recovery"], {"name", "salt", "wrapped_key"})
    if recovery["name"] != _HKDF:
        raise _Corrupt("unknown recovery KDF")
    return _KeyFile(
        workspace_id=workspace_id,
        kdf=kdf,
        salt=_get_b64(kdf_obj, "salt", SALT_SIZE),
        wrapped_key=_get_b64(document, "wrapped_key", _WRAPPED_KEY_SIZE),
        recovery_salt=_get_b64(recovery, "salt", SALT_SIZE),
        recovery_wrapped_key=_get_b64(recovery, "wrapped_key", _WRAPPED_KEY_SIZE),
        key_check=_get_b64(document, "key_check", hashlib.sha256().digest_size),
    )


def _verified(kf: _KeyFile, data_key: bytes, path: Path) -> bytes:
    """Return ``data_key`` after checking the key check; a mismatch means the file was doctored."""
    if not _key_check_matches(kf, data_key):
        raise KeyFileError("workspace.keyfile_tampered", path=str(path))
    return data_key


def _wrap_for_passphrase(workspace_id: str, passphrase: str, kdf: KdfParams, data_key: bytes,
                         recovery_salt: bytes, recovery_wrapped_key: bytes) -> _KeyFile:
    check_writable(kdf)
    salt = os.urandom(SALT_SIZE)
    unwrapped = _KeyFile(workspace_id, kdf, salt, b"", recovery_salt, recovery_wrapped_key)
    wrapped_key = encrypt_blob(_passphrase_key(passphrase, kdf, salt), data_key, _passphrase_aad(unwrapped))
    return _KeyFile(workspace_id, kdf, salt, wrapped_key, recovery_salt, recovery_wrapped_key)


# --------------------------------------------------------------------------------------------------
# Public operations


def create_keyfile(path: Path, passphrase: str, *, kdf: KdfParams = PRODUCTION_KDF,
                   workspace_id: str | None = None) -> tuple[bytes, str]:
    """Create a new key file with a fresh random data key; returns ``(data_key, recovery_key_text)``.

    The recovery key text exists only in the return value: the caller must show it to the user once
    (to print or write down) and then drop it. Refuses to replace an existing file
    (``WorkspaceError("workspace.exists")``), atomically: two concurrent creations cannot both win.
    Raises ``ValidationError("workspace.passphrase_too_short")`` for a too-short passphrase.
    """
    path = Path(path)
    check_passphrase(passphrase)
    if workspace_id is None:
        workspace_id = str(uuid.uuid4())
    if not workspace_id or len(workspace_id) > MAX_WORKSPACE_ID_LENGTH:
        raise ValueError("workspace_id must be 1..200 characters")
    if path.exists():
        # Early, friendly answer before spending a second on key derivation; the exclusive write
        # below is what actually guarantees no existing key file (and so no workspace) is lost.
        raise WorkspaceError("workspace.exists", path=str(path.parent))

    data_key = secrets.token_bytes(DATA_KEY_SIZE)
    recovery_key = secrets.token_bytes(_RECOVERY_KEY_BYTES)
    recovery_salt = os.urandom(SALT_SIZE)
    recovery_aad = _recovery_aad(_KeyFile(workspace_id, kdf, b"", b"", recovery_salt, b""))
    recovery_wrapping_key = _recovery_wrapping_key(recovery_key, recovery_salt)
    recovery_wrapped_key = encrypt_blob(recovery_wrapping_key, data_key, recovery_aad)

    kf = _wrap_for_passphrase(workspace_id, passphrase, kdf, data_key, recovery_salt, recovery_wrapped_key)
    try:
        atomic_write_bytes(path, _serialise(kf, data_key), exclusive=True)
    except FileExistsError:
        raise WorkspaceError("workspace.exists", path=str(path.parent)) from None
    return data_key, format_recovery_key(recovery_key)


def unlock(path: Path, passphrase: str) -> bytes:
    """Return the data key. Never writes anything.

    Raises ``KeyFileError`` (``workspace.keyfile_missing`` / ``keyfile_corrupt`` / ``keyfile_tampered``)
    or :class:`WrongPassphraseError`; see the module docstring for which and why.
    """
    path = Path(path)
    kf = _load(path)
    try:
        wrapping_key = _passphrase_key(passphrase, kf.kdf, kf.salt)
        data_key = decrypt_blob(wrapping_key, kf.wrapped_key, _passphrase_aad(kf))
    except DecryptionError:
        raise WrongPassphraseError() from None
    return _verified(kf, data_key, path)


def unlock_with_recovery(path: Path, recovery_key: str) -> bytes:
    """Return the data key using the recovery key text (as printed, or typed back sloppily).

    Raises ``WorkspaceError("workspace.wrong_recovery_key")`` if it does not open this file, and the
    same ``KeyFileError``s as :func:`unlock` for a missing, damaged or doctored file. Never writes.
    """
    path = Path(path)
    kf = _load(path)
    key = parse_recovery_key(recovery_key)
    try:
        data_key = decrypt_blob(_recovery_wrapping_key(key, kf.recovery_salt), kf.recovery_wrapped_key,
                                _recovery_aad(kf))
    except DecryptionError:
        raise WorkspaceError("workspace.wrong_recovery_key") from None
    return _verified(kf, data_key, path)


def change_passphrase(
    path: Path, data_key: bytes, new_passphrase: str, *, kdf: KdfParams | None = None
) -> None:
    """Rewrap ``data_key`` under ``new_passphrase`` with a fresh salt; the recovery wrapping is kept.

    ``kdf=None`` means :data:`PRODUCTION_KDF`: a passphrase change is the natural moment to bring an
    old workspace up to the current cost. The database is not re-encrypted (same data key). The new
    file replaces the old one atomically, so a crash leaves either the old or the new passphrase
    working, never neither. Raises ``KeyFileError("workspace.keyfile_mismatch")`` if ``data_key`` is not
    the key this file wraps (nothing is written), plus the errors of :func:`unlock` for a bad file.
    """
    path = Path(path)
    check_passphrase(new_passphrase)
    kf = _load(path)
    if not _key_check_matches(kf, data_key):
        raise KeyFileError("workspace.keyfile_mismatch", path=str(path))
    new_kdf = kdf if kdf is not None else PRODUCTION_KDF
    new = _wrap_for_passphrase(kf.workspace_id, new_passphrase, new_kdf, data_key,
                               kf.recovery_salt, kf.recovery_wrapped_key)
    atomic_write_bytes(path, _serialise(new, data_key))


def read_workspace_id(path: Path) -> str:
    """The workspace id stored in the key file, without unlocking.

    The checksum is verified, but the id is only *authenticated* once the file is unlocked (it is
    part of the AES-GCM associated data); use it to label and match, not to make security decisions.
    """
    return _load(Path(path)).workspace_id
