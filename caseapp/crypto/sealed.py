"""Exports sealed with a passphrase: what leaves the workspace is as unreadable as what stays in it.

A sealed file is three parts: a magic line, a JSON header line (Argon2id parameters and salt),
then one AES-256-GCM blob of the whole content, authenticated together with both lines. The
passphrase is the export's own, chosen when exporting and told to the recipient separately; it
is stretched with the same Argon2id cost as a workspace passphrase. The header's parameters are
read through ``kdf_from_file``: a file asking for more than that cost is damaged or doctored, and
is refused before Argon2 runs.
"""

from __future__ import annotations

import base64
import json
import os

from caseapp.crypto import aead
from caseapp.crypto.keyfile import (
    PRODUCTION_KDF,
    KdfParams,
    _passphrase_key,
    check_passphrase,
    check_writable,
    kdf_from_file,
)
from caseapp.errors import CaseAppError

MAGIC = b"CASEAPP-SEALED-1\n"
SALT_SIZE = 16


class SealedFileDamaged(CaseAppError):
    """The file starts like a sealed export but its header is not one CaseApp writes."""

    def __init__(self) -> None:
        super().__init__("export.sealed_damaged", None)


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def seal(data: bytes, passphrase: str, kdf: KdfParams = PRODUCTION_KDF) -> bytes:
    check_passphrase(passphrase)
    check_writable(kdf)
    salt = os.urandom(SALT_SIZE)
    header = json.dumps({"kdf": {"m": kdf.memory_cost_kib, "t": kdf.iterations, "p": kdf.lanes},
                         "salt": base64.b64encode(salt).decode()}, separators=(",", ":")).encode() + b"\n"
    key = _passphrase_key(passphrase, kdf, salt)
    return MAGIC + header + aead.encrypt_blob(key, data, MAGIC + header)


def unseal(blob: bytes, passphrase: str) -> bytes:
    """The content; CaseAppError("export.sealed_unreadable") for a wrong passphrase or damaged
    content, SealedFileDamaged for a header CaseApp never writes (nothing is derived from it)."""
    if not is_sealed(blob):
        raise CaseAppError("export.sealed_unreadable", None)
    end = blob.find(b"\n", len(MAGIC))
    try:
        header = json.loads(blob[len(MAGIC):end])
        kdf = kdf_from_file(int(header["kdf"]["m"]), int(header["kdf"]["t"]), int(header["kdf"]["p"]))
        salt = base64.b64decode(header["salt"], validate=True)
    except (ValueError, KeyError, TypeError, RecursionError):
        raise SealedFileDamaged() from None
    try:
        key = _passphrase_key(passphrase, kdf, salt)
        return aead.decrypt_blob(key, blob[end + 1:], blob[:end + 1])
    except (ValueError, aead.DecryptionError):
        raise CaseAppError("export.sealed_unreadable", None) from None
