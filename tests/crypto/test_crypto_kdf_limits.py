"""Argon2 parameters read from a file cost no more than CaseApp's own: a doctored key file or sealed
export asking for 1 GiB (or absurd passes or lanes) is refused as damaged before Argon2 runs.

Argon2 is watched, not run, at those costs: ``argon2_calls`` replaces it in the key file module
(which sealed exports use too) with a recorder that refuses anything above PRODUCTION_KDF.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caseapp.cli import main
from caseapp.crypto import keyfile as kfmod
from caseapp.crypto import sealed
from caseapp.crypto.keyfile import PRODUCTION_KDF, TEST_KDF, KdfParams, unlock
from caseapp.errors import CaseAppError, KeyFileError
from caseapp.messages import message
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE as WORKSPACE_PASSPHRASE
from tests.crypto.test_crypto_keyfile import PASSPHRASE, load, make, save

EXPORT_PASSPHRASE = "export passphrase 2026"
GIB_KIB = 1024 * 1024
TOO_COSTLY = [(GIB_KIB, 1, 1), (8 * 1024, 1000, 1), (8 * 1024, 1, 64), (PRODUCTION_KDF.memory_cost_kib + 1, 1, 1),
              (8 * 1024, PRODUCTION_KDF.iterations + 1, 1), (64 * 1024, 1, PRODUCTION_KDF.lanes + 1),
              (4 * 1024, 1, 1)]  # and cheaper than anything CaseApp writes


class Refused(Exception):
    pass


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    calls: list[tuple[int, int, int]] = []
    real = kfmod.Argon2id

    def watched(*, salt: bytes, length: int, iterations: int, lanes: int, memory_cost: int, **kw: Any) -> Any:
        calls.append((memory_cost, iterations, lanes))
        if (memory_cost > PRODUCTION_KDF.memory_cost_kib or iterations > PRODUCTION_KDF.iterations
                or lanes > PRODUCTION_KDF.lanes):
            raise Refused(f"Argon2 asked for m={memory_cost} t={iterations} p={lanes}")
        return real(salt=salt, length=length, iterations=iterations, lanes=lanes, memory_cost=memory_cost, **kw)

    monkeypatch.setattr(kfmod, "Argon2id", watched)
    return calls


def test_file_parameters_lie_between_the_test_and_the_production_cost() -> None:
    for kdf in (TEST_KDF, PRODUCTION_KDF, KdfParams(64 * 1024, 2, 2)):
        assert kfmod.kdf_from_file(kdf.memory_cost_kib, kdf.iterations, kdf.lanes) == kdf
    for m, t, p in TOO_COSTLY:
        with pytest.raises(ValueError):
            kfmod.kdf_from_file(m, t, p)


def test_nothing_is_written_that_could_not_be_read_back(tmp_path: Path,
                                                        argon2_calls: list[tuple[int, int, int]]) -> None:
    costlier = KdfParams(2 * PRODUCTION_KDF.memory_cost_kib, PRODUCTION_KDF.iterations, PRODUCTION_KDF.lanes)
    with pytest.raises(ValueError):
        kfmod.create_keyfile(tmp_path / "workspace.key", PASSPHRASE, kdf=costlier)
    assert not (tmp_path / "workspace.key").exists()
    made = make(tmp_path)
    before = made.path.read_bytes()
    with pytest.raises(ValueError):
        kfmod.change_passphrase(made.path, made.data_key, "another long passphrase 3", kdf=costlier)
    assert made.path.read_bytes() == before
    with pytest.raises(ValueError):
        sealed.seal(b"content", EXPORT_PASSPHRASE, kdf=costlier)
    assert all(m <= PRODUCTION_KDF.memory_cost_kib for m, _, _ in argon2_calls)


@pytest.mark.parametrize(("m", "t", "p"), TOO_COSTLY)
def test_a_key_file_asking_for_more_is_damaged_and_argon2_never_runs(
        tmp_path: Path, argon2_calls: list[tuple[int, int, int]], m: int, t: int, p: int) -> None:
    made = make(tmp_path)
    document = load(made.path)
    document["kdf"].update(memory_cost_kib=m, iterations=t, lanes=p)
    save(made.path, document, recompute_checksum=True)
    before = made.path.read_bytes()
    argon2_calls.clear()
    with pytest.raises(KeyFileError) as refused:
        unlock(made.path, PASSPHRASE)
    assert refused.value.key == "workspace.keyfile_corrupt"
    assert argon2_calls == []
    assert made.path.read_bytes() == before
    assert "nothing was changed" in message(refused.value.key, "en", path="k")
    assert "未作任何改动" in message(refused.value.key, "zh", path="k")


def doctored(tmp_path: Path, **kdf: int) -> Path:
    blob = sealed.seal(b'{"type":"household"}\n', EXPORT_PASSPHRASE, kdf=TEST_KDF)
    end = blob.index(b"\n", len(sealed.MAGIC))
    header = json.loads(blob[len(sealed.MAGIC):end])
    header["kdf"].update(kdf)
    path = tmp_path / "doctored.jsonl"
    path.write_bytes(sealed.MAGIC + json.dumps(header).encode() + blob[end:])
    return path


@pytest.mark.parametrize(("m", "t", "p"), TOO_COSTLY)
def test_a_sealed_export_asking_for_more_is_damaged_and_argon2_never_runs(
        tmp_path: Path, argon2_calls: list[tuple[int, int, int]], m: int, t: int, p: int) -> None:
    path = doctored(tmp_path, m=m, t=t, p=p)
    argon2_calls.clear()
    with pytest.raises(sealed.SealedFileDamaged) as refused:
        sealed.unseal(path.read_bytes(), EXPORT_PASSPHRASE)
    assert refused.value.key == "export.sealed_damaged" and argon2_calls == []


def test_an_honest_sealed_export_still_opens(tmp_path: Path, argon2_calls: list[tuple[int, int, int]]) -> None:
    blob = sealed.seal(b"content", EXPORT_PASSPHRASE, kdf=TEST_KDF)
    assert sealed.unseal(blob, EXPORT_PASSPHRASE) == b"content"
    with pytest.raises(CaseAppError) as wrong:
        sealed.unseal(blob, "another passphrase 2026")
    assert wrong.value.key == "export.sealed_unreadable"
    assert argon2_calls == [(TEST_KDF.memory_cost_kib, TEST_KDF.iterations, TEST_KDF.lanes)] * 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_caseapp_import_of_a_doctored_export_says_so_in_one_line(
        tmp_path: Path, argon2_calls: list[tuple[int, int, int]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], lang: str) -> None:
    ws, _ = Workspace.create(tmp_path / "ws", WORKSPACE_PASSPHRASE, kdf=TEST_KDF)
    ws.close()
    path = doctored(tmp_path, m=GIB_KIB)
    monkeypatch.setenv("CASEAPP_PASSPHRASE", WORKSPACE_PASSPHRASE)
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", EXPORT_PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", lang)
    argon2_calls.clear()
    assert main(["--workspace", str(tmp_path / "ws"), "import", str(path)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [message("export.sealed_damaged", lang)]
    assert all(m < GIB_KIB for m, _, _ in argon2_calls)  # the workspace's own unlock, nothing else
