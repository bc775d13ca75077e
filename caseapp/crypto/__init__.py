"""Cryptography for the local workspace: key file, attachment store and shared AES-GCM helpers.

Everything here uses the ``cryptography`` package (OpenSSL): Argon2id to stretch the passphrase,
HKDF-SHA256 for subkeys, AES-256-GCM for everything at rest. See each module's docstring for why.
"""

from caseapp.crypto.aead import DecryptionError, decrypt_blob, encrypt_blob
from caseapp.crypto.attachments import AttachmentStore
from caseapp.crypto.keyfile import (
    PRODUCTION_KDF,
    TEST_KDF,
    KdfParams,
    change_passphrase,
    check_passphrase,
    create_keyfile,
    derive_subkey,
    passphrase_strength,
    read_workspace_id,
    unlock,
    unlock_with_recovery,
)

__all__ = [
    "PRODUCTION_KDF",
    "TEST_KDF",
    "AttachmentStore",
    "DecryptionError",
    "KdfParams",
    "change_passphrase",
    "check_passphrase",
    "create_keyfile",
    "decrypt_blob",
    "derive_subkey",
    "encrypt_blob",
    "passphrase_strength",
    "read_workspace_id",
    "unlock",
    "unlock_with_recovery",
]
