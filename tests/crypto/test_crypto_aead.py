"""The shared AES-GCM blob format."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.crypto.aead import BLOB_OVERHEAD, NONCE_SIZE, DecryptionError, decrypt_blob, encrypt_blob

KEY = bytes(range(32))


@given(data=st.binary(max_size=2048), aad=st.binary(max_size=64))
def test_round_trip(data: bytes, aad: bytes) -> None:
    blob = encrypt_blob(KEY, data, aad)
    assert len(blob) == len(data) + BLOB_OVERHEAD
    assert blob[0] == 1
    assert decrypt_blob(KEY, blob, aad) == data


def test_fresh_nonce_every_time() -> None:
    blobs = {encrypt_blob(KEY, b"same", b"aad") for _ in range(50)}
    assert len(blobs) == 50
    assert len({blob[1 : 1 + NONCE_SIZE] for blob in blobs}) == 50


def test_wrong_key_or_aad_fails() -> None:
    blob = encrypt_blob(KEY, b"secret", b"context")
    with pytest.raises(DecryptionError):
        decrypt_blob(bytes(32), blob, b"context")
    with pytest.raises(DecryptionError):
        decrypt_blob(KEY, blob, b"other context")


@given(position=st.integers(min_value=0), xor=st.integers(1, 255))
def test_any_flipped_byte_fails(position: int, xor: int) -> None:
    blob = bytearray(encrypt_blob(KEY, b"secret data", b"aad"))
    blob[position % len(blob)] ^= xor
    with pytest.raises(DecryptionError):
        decrypt_blob(KEY, bytes(blob), b"aad")


@pytest.mark.parametrize("length", [0, 1, BLOB_OVERHEAD - 1])
def test_truncated_blob_fails(length: int) -> None:
    blob = encrypt_blob(KEY, b"", b"aad")
    with pytest.raises(DecryptionError):
        decrypt_blob(KEY, blob[:length], b"aad")


def test_unknown_version_fails() -> None:
    blob = encrypt_blob(KEY, b"x", b"aad")
    with pytest.raises(DecryptionError, match="version"):
        decrypt_blob(KEY, b"\x02" + blob[1:], b"aad")


@pytest.mark.parametrize("key", [b"", bytes(16), bytes(24), bytes(33)])
def test_only_256_bit_keys(key: bytes) -> None:
    with pytest.raises(ValueError):
        encrypt_blob(key, b"x", b"")
    with pytest.raises(ValueError):
        decrypt_blob(key, bytes(40), b"")
