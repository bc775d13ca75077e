"""Compression bombs, and a spy on the zlib and zstd decoders that counts what they produce.

The spy wraps the libraries themselves (``zlib.decompressobj``, ``zstandard.ZstdDecompressor``),
not CaseApp's code, so it sees every byte any decoder in the process hands out: the server's (it
runs in a thread of the test process), the client's, and urllib3's own.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import zstandard

MIB = 1 << 20


@functools.cache
def zstd_bomb(size: int, *, declared: bool = False) -> bytes:
    """``size`` zero bytes as zstd: a few KB. Written as a stream, the frame does not say how
    large it is, so only a decoder that stops itself stops it; ``declared`` puts the size in the header.
    Level 3 makes zeros as small as level 19 does (32 KB a GiB), 13 times sooner; made once a run."""
    compressor = zstandard.ZstdCompressor(level=3)
    if declared:
        return compressor.compress(bytes(size))
    out = io.BytesIO()
    with compressor.stream_writer(out, closefd=False) as writer:
        for _ in range(size // MIB):
            writer.write(bytes(MIB))
    return out.getvalue()


@functools.cache
def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes as gzip, one member per MiB (about 1 KB each; gzip allows many members)."""
    member = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    one = member.compress(bytes(MIB)) + member.flush()
    return one * (size // MIB)


class DecoderSpy:
    def __init__(self) -> None:
        self.decoders = 0
        self.produced = 0

    def reset(self) -> None:
        self.decoders = self.produced = 0


class _Inflate:
    def __init__(self, real: Any, spy: DecoderSpy) -> None:
        self._real = real
        self._spy = spy

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out: bytes = self._real.decompress(data, max_length)
        self._spy.produced += len(out)
        return out

    def flush(self, *args: Any) -> bytes:
        out: bytes = self._real.flush(*args)
        self._spy.produced += len(out)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _ZstdReader:
    def __init__(self, real: Any, spy: DecoderSpy) -> None:
        self._real = real
        self._spy = spy

    def __enter__(self) -> _ZstdReader:
        self._real.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.__exit__(*exc)

    def read(self, size: int = -1) -> bytes:
        out: bytes = self._real.read(size)
        self._spy.produced += len(out)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture
def decoder_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[DecoderSpy]:
    spy = DecoderSpy()
    real_inflate = zlib.decompressobj
    real_zstd = zstandard.ZstdDecompressor

    def inflate(*args: Any, **kwargs: Any) -> _Inflate:
        spy.decoders += 1
        return _Inflate(real_inflate(*args, **kwargs), spy)

    class Zstd:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            spy.decoders += 1
            self._real = real_zstd(*args, **kwargs)

        def stream_reader(self, *args: Any, **kwargs: Any) -> _ZstdReader:
            return _ZstdReader(self._real.stream_reader(*args, **kwargs), spy)

        def decompress(self, *args: Any, **kwargs: Any) -> bytes:
            out: bytes = self._real.decompress(*args, **kwargs)
            spy.produced += len(out)
            return out

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

    monkeypatch.setattr(zlib, "decompressobj", inflate)
    monkeypatch.setattr(zstandard, "ZstdDecompressor", Zstd)
    yield spy
