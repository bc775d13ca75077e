"""Small AES-256-GCM helpers shared by the key file, the attachment store and export encryption.

Blob format (all CaseApp ciphertexts at rest)::

    version (1 byte, currently 1) | nonce (12 random bytes) | ciphertext | GCM tag (16 bytes)

Why this shape:

* The version byte lets a later release change algorithm or layout while still reading old blobs;
  a blob with an unknown version is refused rather than misread.
* A fresh random 96-bit nonce per encryption. GCM breaks badly if a (key, nonce) pair ever repeats;
  random nonces are safe up to about 2**32 encryptions per key, far beyond anything one workspace
  stores, and unlike counters they need no state that could be rolled back by restoring a backup.
* The caller's associated data (``aad``) is authenticated but not stored: the caller supplies it again
  when decrypting, so a blob only opens in the context it was written for (the attachment digest,
  the key-file header). The version byte is authenticated too (it is prefixed to the AAD), so it
  cannot be changed to steer a future decoder.

Failures raise :class:`DecryptionError`, a plain ``ValueError`` subclass: this module has no idea what
the blob *is*, so callers translate it into the typed :mod:`caseapp.errors` error that fits (wrong
passphrase, tampered key file, corrupt attachment).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["BLOB_OVERHEAD", "BLOB_VERSION", "KEY_SIZE", "NONCE_SIZE", "DecryptionError", "decrypt_blob",
           "encrypt_blob"]

BLOB_VERSION = 1
KEY_SIZE = 32  # AES-256
NONCE_SIZE = 12
TAG_SIZE = 16
BLOB_OVERHEAD = 1 + NONCE_SIZE + TAG_SIZE  # bytes a blob adds to its plaintext


class DecryptionError(ValueError):
    """The blob is truncated, has an unknown version, or fails authentication (wrong key, wrong
    associated data, or modified bytes; GCM deliberately does not say which)."""


def _check_key(key: bytes) -> None:
    # Only AES-256: AESGCM would silently accept a 16-byte key, and a truncated key passed by mistake
    # should fail loudly rather than quietly weaken the encryption.
    if len(key) != KEY_SIZE:
        raise ValueError(f"AES-GCM key must be {KEY_SIZE} bytes, got {len(key)}")


def _full_aad(version: int, aad: bytes) -> bytes:
    return bytes([version]) + aad


def encrypt_blob(key: bytes, data: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate ``data`` under ``key``, bound to ``aad``; returns a versioned blob."""
    _check_key(key)
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = AESGCM(key).encrypt(nonce, data, _full_aad(BLOB_VERSION, aad))
    return bytes([BLOB_VERSION]) + nonce + ciphertext


def decrypt_blob(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Return the plaintext of ``blob``; raises :class:`DecryptionError` unless it authenticates."""
    _check_key(key)
    if len(blob) < BLOB_OVERHEAD:
        raise DecryptionError("blob too short")
    version = blob[0]
    if version != BLOB_VERSION:
        raise DecryptionError(f"unknown blob version {version}")
    nonce, ciphertext = blob[1 : 1 + NONCE_SIZE], blob[1 + NONCE_SIZE :]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _full_aad(version, aad))
    except InvalidTag:
        raise DecryptionError("authentication failed") from None
