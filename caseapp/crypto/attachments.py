"""Encrypted, content-addressed storage for photos and scans attached to cases.

Attachments are addressed by the SHA-256 hex digest of their *plaintext*: the database stores only
that digest, the same scan attached to two cases is stored once, and ``get`` can prove it returns
exactly the bytes that were put.

Why the files on disk look the way they do:

* **File names are not the digest.** A file called ``<sha256 of photo>`` would let anyone holding the
  laptop (or a backup) confirm that a known photo, say one circulating in a chat group, is among a
  caseworker's attachments, without any key. Files are named ``HMAC-SHA256(name_key, digest)``
  instead; ``name_key`` is derived from the workspace data key, so names are stable for
  deduplication but meaningless without the key. The first two hex characters fan files out into
  256 subfolders so no single folder grows to tens of thousands of entries (slow on NTFS and in
  file managers).
* **Content is AES-256-GCM encrypted** (:mod:`caseapp.crypto.aead`) under the ``attachments`` subkey of
  the data key. The associated data includes the digest, so a file moved or copied to another
  attachment's name fails to decrypt instead of silently returning the wrong photo; after decrypting
  the SHA-256 of the plaintext is checked again anyway.
* **A small encrypted header** holding the digest precedes the content, so :meth:`digests` can list
  what is stored by decrypting 61 bytes per file rather than every photo.
* Files are written with :func:`caseapp.fileio.atomic_write_bytes`, so a crash never leaves a torn
  attachment under a valid name.

File layout: ``header blob (61 bytes: aead blob of the 32-byte digest) | content blob``.

Whole attachments are held in memory while encrypting (AES-GCM in ``cryptography`` is one-shot);
that is fine for photos and scans, which are megabytes, not gigabytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
from pathlib import Path
from typing import Final

from caseapp.crypto.aead import BLOB_OVERHEAD, DecryptionError, decrypt_blob, encrypt_blob
from caseapp.crypto.keyfile import derive_subkey
from caseapp.errors import WorkspaceError
from caseapp.fileio import atomic_write_bytes, fsync_dir

__all__ = ["AttachmentStore"]

_DIGEST_RE: Final = re.compile(r"[0-9a-f]{64}")
_NAME_RE: Final = re.compile(r"[0-9a-f]{64}\.bin")
_SUFFIX: Final = ".bin"
_DIGEST_SIZE: Final = 32
_HEADER_SIZE: Final = BLOB_OVERHEAD + _DIGEST_SIZE
_HEADER_AAD: Final = b"caseapp attachment v1 header"
_CONTENT_AAD_PREFIX: Final = b"caseapp attachment v1 content\x00"


class AttachmentStore:
    """Attachments of one workspace, kept encrypted in ``folder`` (created on first use)."""

    def __init__(self, folder: Path, data_key: bytes) -> None:
        self.folder = Path(folder)
        # Only subkeys are kept: this object never holds the SQLCipher key itself.
        self._content_key = derive_subkey(data_key, "attachments")
        self._name_key = derive_subkey(data_key, "attachment-names")

    # -- addressing ---------------------------------------------------------------------------------

    @staticmethod
    def _normalise(digest: str) -> str | None:
        """The canonical (lower-case) digest, or None if ``digest`` cannot name any attachment."""
        lowered = digest.lower() if isinstance(digest, str) else ""
        return lowered if _DIGEST_RE.fullmatch(lowered) else None

    def _path(self, digest: str) -> Path:
        name = hmac.new(self._name_key, bytes.fromhex(digest), hashlib.sha256).hexdigest()
        return self.folder / name[:2] / (name + _SUFFIX)

    def _checked_path(self, digest: str) -> tuple[str, Path]:
        normalised = self._normalise(digest)
        if normalised is None:
            # Not a SHA-256 hex digest, so no attachment can have it (and it never reaches a path).
            raise WorkspaceError("workspace.attachment_missing", digest=digest)
        path = self._path(normalised)
        if not path.is_file():
            raise WorkspaceError("workspace.attachment_missing", digest=normalised)
        return normalised, path

    # -- encryption ---------------------------------------------------------------------------------

    def _encrypt(self, digest: str, data: bytes) -> bytes:
        raw = bytes.fromhex(digest)
        header = encrypt_blob(self._content_key, raw, _HEADER_AAD)
        return header + encrypt_blob(self._content_key, data, _CONTENT_AAD_PREFIX + raw)

    def _decrypt(self, digest: str, blob: bytes) -> bytes:
        raw = bytes.fromhex(digest)
        corrupt = WorkspaceError("workspace.attachment_corrupt", digest=digest)
        try:
            header = decrypt_blob(self._content_key, blob[:_HEADER_SIZE], _HEADER_AAD)
            if not hmac.compare_digest(header, raw):
                raise corrupt
            data = decrypt_blob(self._content_key, blob[_HEADER_SIZE:], _CONTENT_AAD_PREFIX + raw)
        except DecryptionError:
            raise corrupt from None
        # Belt and braces: GCM already guarantees this unless the key itself leaked.
        if hashlib.sha256(data).hexdigest() != digest:
            raise corrupt
        return data

    # -- public API ---------------------------------------------------------------------------------

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256 hex digest.

        Idempotent: content that is already stored is not written again. If the stored copy turns
        out to be damaged, it is replaced, so re-adding a photo repairs it.
        """
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if path.is_file():
            with contextlib.suppress(WorkspaceError):
                self._decrypt(digest, path.read_bytes())
                return digest
        self._ensure_folder(path.parent)
        atomic_write_bytes(path, self._encrypt(digest, data))
        return digest

    def put_file(self, path: Path) -> str:
        """Store the content of the file at ``path``; returns its digest."""
        return self.put(Path(path).read_bytes())

    def get(self, digest: str) -> bytes:
        """The plaintext of ``digest``, verified against it.

        Raises ``WorkspaceError("workspace.attachment_missing")`` or ``("workspace.attachment_corrupt")``.
        """
        normalised, path = self._checked_path(digest)
        return self._decrypt(normalised, path.read_bytes())

    def has(self, digest: str) -> bool:
        """Whether an attachment file exists for ``digest`` (not whether it is intact; ``get`` checks)."""
        normalised = self._normalise(digest)
        return normalised is not None and self._path(normalised).is_file()

    def size(self, digest: str) -> int:
        """Plaintext size in bytes, from the file size (no decryption; ``get`` verifies content)."""
        normalised, path = self._checked_path(digest)
        size = path.stat().st_size - _HEADER_SIZE - BLOB_OVERHEAD
        if size < 0:
            raise WorkspaceError("workspace.attachment_corrupt", digest=normalised)
        return size

    def delete(self, digest: str) -> bool:
        """Remove the stored content of ``digest`` (its record left this device); True if there was
        some. The caller decides that no record still points at it."""
        normalised = self._normalise(digest)
        if normalised is None:
            return False
        path = self._path(normalised)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        fsync_dir(path.parent)  # gone for good, even after a crash
        return True

    def digests(self) -> list[str]:
        """Digests of all stored attachments, sorted.

        Reads and decrypts only each file's header. Files that are not ours (leftover temporary files,
        stray files) or whose header does not authenticate under this workspace's key, or that sit
        under a name that does not belong to their digest, are skipped: they cannot be listed by a
        digest we could vouch for.
        """
        if not self.folder.is_dir():
            return []
        found: list[str] = []
        for sub in sorted(self.folder.iterdir()):
            if not (sub.is_dir() and len(sub.name) == 2):
                continue
            for entry in sorted(sub.iterdir()):
                if not _NAME_RE.fullmatch(entry.name) or not entry.is_file():
                    continue
                digest = self._read_header(entry)
                if digest is not None and self._path(digest) == entry:
                    found.append(digest)
        return sorted(found)

    def _read_header(self, path: Path) -> str | None:
        try:
            with open(path, "rb") as handle:
                header = handle.read(_HEADER_SIZE)
            return decrypt_blob(self._content_key, header, _HEADER_AAD).hex()
        except (OSError, DecryptionError):
            return None

    def _ensure_folder(self, fan_out: Path) -> None:
        """Create the store folder and the fan-out subfolder, owner-only, durably.

        0o700 because attachments are personal data (the umask can only narrow it). The parent is
        synced after each mkdir so a new folder survives a crash together with the file put in it.
        """
        for folder in (self.folder, fan_out):
            if not folder.is_dir():
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                fsync_dir(folder.parent)
