"""Cryptography for the local workspace: key file, attachment store and shared AES-GCM helpers.

Everything here uses the ``cryptography`` package (OpenSSL): Argon2id to stretch the passphrase,
HKDF-SHA256 for subkeys, AES-256-GCM for everything at rest. See each module's docstring for why.
Import the module you need (``caseapp.crypto.keyfile``, ``.attachments``, ``.aead``, ``.sealed``):
the package imports none of them itself, so unlocking a key file (``caseapp status``) does not load
the attachment store.
"""
