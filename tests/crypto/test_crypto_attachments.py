"""The encrypted attachment store."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from caseapp.crypto.attachments import _HEADER_SIZE, AttachmentStore
from caseapp.errors import WorkspaceError

DATA_KEY = bytes(range(32))
PHOTO = b"\xff\xd8\xff\xe0 JPEG of a household registration page " + bytes(range(256)) * 16


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments", DATA_KEY)


def files(store: AttachmentStore) -> list[Path]:
    return sorted(p for p in store.folder.rglob("*") if p.is_file())


def test_round_trip(store: AttachmentStore) -> None:
    digest = store.put(PHOTO)
    assert digest == hashlib.sha256(PHOTO).hexdigest()
    assert store.has(digest)
    assert store.get(digest) == PHOTO
    assert store.get(digest.upper()) == PHOTO
    assert store.size(digest) == len(PHOTO)
    assert store.digests() == [digest]


def test_empty_attachment(store: AttachmentStore) -> None:
    digest = store.put(b"")
    assert store.get(digest) == b""
    assert store.size(digest) == 0


def test_put_file(store: AttachmentStore, tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(PHOTO)
    assert store.put_file(scan) == hashlib.sha256(PHOTO).hexdigest()


def test_same_content_is_stored_once(store: AttachmentStore) -> None:
    first = store.put(PHOTO)
    (path,) = files(store)
    mtime = path.stat().st_mtime_ns
    assert store.put(PHOTO) == first
    assert files(store) == [path]
    assert path.stat().st_mtime_ns == mtime


def test_several_attachments(store: AttachmentStore) -> None:
    digests = {store.put(f"scan {i}".encode()) for i in range(20)}
    assert store.digests() == sorted(digests)
    assert len(files(store)) == 20


def test_files_reveal_neither_content_nor_digest(store: AttachmentStore) -> None:
    """Nobody holding the laptop can find the photo, or confirm a known photo is there."""
    digest = store.put(PHOTO)
    raw_digest = bytes.fromhex(digest)
    for path in files(store):
        content = path.read_bytes()
        for needle in (PHOTO, PHOTO[:32], digest.encode(), digest.upper().encode(), raw_digest):
            assert needle not in content
        relative = str(path.relative_to(store.folder)).lower()
        assert digest not in relative
        assert digest[:16] not in relative


def test_files_are_private(store: AttachmentStore) -> None:
    store.put(PHOTO)
    (path,) = files(store)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o077 == 0
    assert store.folder.stat().st_mode & 0o077 == 0
    assert not [p for p in store.folder.rglob("*") if p.name.endswith(".tmp")]


def test_missing(store: AttachmentStore) -> None:
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert not store.has(digest)
    for call in (store.get, store.size):
        with pytest.raises(WorkspaceError) as excinfo:
            call(digest)
        assert excinfo.value.key == "workspace.attachment_missing"
        assert excinfo.value.params == {"digest": digest}
    assert store.digests() == []


@pytest.mark.parametrize("bad", ["", "xyz", "../../etc/passwd", "0" * 63, "g" * 64])
def test_malformed_digest_is_missing(store: AttachmentStore, bad: str) -> None:
    assert not store.has(bad)
    with pytest.raises(WorkspaceError) as excinfo:
        store.get(bad)
    assert excinfo.value.key == "workspace.attachment_missing"


@pytest.mark.parametrize("position", [0, 5, 30, 61, 70, -1])
def test_tampered_file_is_corrupt(store: AttachmentStore, position: int) -> None:
    digest = store.put(PHOTO)
    (path,) = files(store)
    raw = bytearray(path.read_bytes())
    raw[position] ^= 0x40
    path.write_bytes(bytes(raw))
    with pytest.raises(WorkspaceError) as excinfo:
        store.get(digest)
    assert excinfo.value.key == "workspace.attachment_corrupt"
    assert excinfo.value.params == {"digest": digest}


def test_truncated_file_is_corrupt(store: AttachmentStore) -> None:
    digest = store.put(PHOTO)
    (path,) = files(store)
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(WorkspaceError) as excinfo:
        store.get(digest)
    assert excinfo.value.key == "workspace.attachment_corrupt"
    with pytest.raises(WorkspaceError) as excinfo:
        store.size(digest)
    assert excinfo.value.key == "workspace.attachment_corrupt"


def test_swapped_files_are_corrupt(store: AttachmentStore, tmp_path: Path) -> None:
    a = store.put(b"photo of applicant A")
    b = store.put(b"photo of applicant B")
    path_a, path_b = files(store)
    spare = tmp_path / "spare"
    shutil.copyfile(path_a, spare)
    shutil.copyfile(path_b, path_a)
    shutil.copyfile(spare, path_b)
    for digest in (a, b):
        with pytest.raises(WorkspaceError) as excinfo:
            store.get(digest)
        assert excinfo.value.key == "workspace.attachment_corrupt"
    assert store.digests() == []  # neither file sits under the name of its content


def test_header_swap_is_corrupt(store: AttachmentStore) -> None:
    """Header of one file in front of the body of another: still refused."""
    a = store.put(b"photo of applicant A")
    b = store.put(b"photo of applicant B")
    path_a, path_b = store._path(a), store._path(b)
    body_b = path_b.read_bytes()[_HEADER_SIZE:]
    path_a.write_bytes(path_a.read_bytes()[:_HEADER_SIZE] + body_b)
    with pytest.raises(WorkspaceError) as excinfo:
        store.get(a)
    assert excinfo.value.key == "workspace.attachment_corrupt"


def test_put_repairs_a_damaged_copy(store: AttachmentStore) -> None:
    digest = store.put(PHOTO)
    (path,) = files(store)
    path.write_bytes(b"damaged")
    assert store.put(PHOTO) == digest
    assert store.get(digest) == PHOTO


def test_another_workspace_key_sees_nothing(store: AttachmentStore) -> None:
    digest = store.put(PHOTO)
    other = AttachmentStore(store.folder, bytes(32))
    assert not other.has(digest)
    assert other.digests() == []
    (path,) = files(store)
    # Even placed under the name the other key would use, the content does not open.
    target = other._path(digest)
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, target)
    with pytest.raises(WorkspaceError) as excinfo:
        other.get(digest)
    assert excinfo.value.key == "workspace.attachment_corrupt"


def test_digests_skips_stray_files(store: AttachmentStore) -> None:
    digest = store.put(PHOTO)
    (path,) = files(store)
    (path.parent / ".leftover.tmp").write_bytes(b"x")
    (store.folder / "README.txt").write_text("hello")
    (path.parent / ("0" * 64 + ".bin")).write_bytes(os.urandom(100))
    assert store.digests() == [digest]


def test_rejects_wrong_key_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        AttachmentStore(tmp_path, b"short key")
