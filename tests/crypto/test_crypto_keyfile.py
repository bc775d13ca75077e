"""The workspace key file: round trips, and that every kind of damage is reported for what it is.

All key files here use TEST_KDF (cheap); only test_production_kdf_is_strong looks at PRODUCTION_KDF,
and only at its parameters (timing assertions are not allowed in tests).
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.crypto import keyfile as kfmod
from caseapp.crypto.keyfile import (
    PRODUCTION_KDF,
    TEST_KDF,
    KdfParams,
    change_passphrase,
    check_passphrase,
    create_keyfile,
    derive_subkey,
    format_recovery_key,
    parse_recovery_key,
    passphrase_strength,
    read_workspace_id,
    unlock,
    unlock_with_recovery,
)
from caseapp.errors import KeyFileError, ValidationError, WorkspaceError, WrongPassphraseError
from caseapp.messages import render

PASSPHRASE = "正确的马 battery staple"
NEW_PASSPHRASE = "another long passphrase 2"
WORKSPACE_ID = "ws-0001"


@dataclass(frozen=True)
class Made:
    path: Path
    data_key: bytes
    recovery_key: str


def make(folder: Path, name: str = "workspace.key", workspace_id: str = WORKSPACE_ID) -> Made:
    path = folder / name
    data_key, recovery_key = create_keyfile(path, PASSPHRASE, kdf=TEST_KDF, workspace_id=workspace_id)
    return Made(path, data_key, recovery_key)


@pytest.fixture
def made(tmp_path: Path) -> Made:
    return make(tmp_path)


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


def checksum(document: dict[str, Any]) -> str:
    """What an attacker who read the format description would compute."""
    rest = {k: v for k, v in document.items() if k != "checksum"}
    canonical = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def save(path: Path, document: dict[str, Any], *, recompute_checksum: bool) -> None:
    if recompute_checksum:
        document["checksum"] = checksum(document)
    path.write_text(json.dumps(document, indent=2), "utf-8")


def flip_b64(value: str, index: int = 0) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode("ascii")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mode) for p in folder.iterdir()}


def assert_error(excinfo: pytest.ExceptionInfo[BaseException], key: str) -> None:
    assert excinfo.value.key == key  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# Round trip


def test_create_then_unlock_returns_the_same_key(made: Made) -> None:
    assert len(made.data_key) == 32
    assert unlock(made.path, PASSPHRASE) == made.data_key
    assert read_workspace_id(made.path) == WORKSPACE_ID


def test_key_file_is_private_and_holds_no_key_in_clear(made: Made) -> None:
    raw = made.path.read_bytes()
    assert made.path.stat().st_mode & 0o777 == 0o600
    for secret in (made.data_key, made.data_key.hex().encode(), base64.b64encode(made.data_key)):
        assert secret not in raw
    assert PASSPHRASE.encode() not in raw
    assert made.recovery_key.encode() not in raw
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]  # no temp files left


def test_each_workspace_gets_its_own_random_key(tmp_path: Path) -> None:
    a, b = make(tmp_path, "a.key"), make(tmp_path, "b.key")
    assert a.data_key != b.data_key
    assert a.recovery_key != b.recovery_key
    assert load(a.path)["kdf"]["salt"] != load(b.path)["kdf"]["salt"]


def test_default_workspace_id_is_generated(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    create_keyfile(path, PASSPHRASE, kdf=TEST_KDF)
    assert len(read_workspace_id(path)) >= 32


def test_create_refuses_to_overwrite(made: Made) -> None:
    before = made.path.read_bytes()
    with pytest.raises(WorkspaceError) as excinfo:
        create_keyfile(made.path, PASSPHRASE, kdf=TEST_KDF)
    assert_error(excinfo, "workspace.exists")
    assert made.path.read_bytes() == before
    assert unlock(made.path, PASSPHRASE) == made.data_key


def test_create_refuses_a_file_that_appears_during_creation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exists() pre-check is only a courtesy; the exclusive write is what protects the file."""
    path = tmp_path / "k.key"
    real_derive = kfmod._passphrase_key

    def racing_derive(passphrase: str, kdf: KdfParams, salt: bytes) -> bytes:
        if not path.exists():
            path.write_bytes(b"someone else's key file")
        return real_derive(passphrase, kdf, salt)

    monkeypatch.setattr(kfmod, "_passphrase_key", racing_derive)
    with pytest.raises(WorkspaceError) as excinfo:
        create_keyfile(path, PASSPHRASE, kdf=TEST_KDF)
    assert_error(excinfo, "workspace.exists")
    assert path.read_bytes() == b"someone else's key file"
    assert [p.name for p in tmp_path.iterdir()] == ["k.key"]


def test_create_rejects_short_passphrase(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create_keyfile(tmp_path / "k.key", "short", kdf=TEST_KDF)
    assert excinfo.value.key == "workspace.passphrase_too_short"
    assert excinfo.value.field == "passphrase"
    assert excinfo.value.params == {"min": 8}
    assert not (tmp_path / "k.key").exists()


# --------------------------------------------------------------------------------------------------
# Wrong passphrase, missing and damaged files


def test_wrong_passphrase_changes_nothing(made: Made) -> None:
    stat_before = made.path.stat()
    before = snapshot(made.path.parent)
    with pytest.raises(WrongPassphraseError) as excinfo:
        unlock(made.path, "not the passphrase")
    assert_error(excinfo, "workspace.wrong_passphrase")
    assert snapshot(made.path.parent) == before
    assert made.path.stat().st_mtime_ns == stat_before.st_mtime_ns


def test_passphrase_is_unicode_normalised(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    composed = "caf\u00e9 au lait 咖啡"
    decomposed = "cafe\u0301 au lait 咖啡"
    data_key, _ = create_keyfile(path, composed, kdf=TEST_KDF)
    assert unlock(path, decomposed) == data_key


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.key"
    with pytest.raises(KeyFileError) as excinfo:
        unlock(path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_missing")
    assert excinfo.value.params == {"path": str(path)}
    assert not path.exists()
    with pytest.raises(KeyFileError, match="missing"):
        read_workspace_id(path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'"a string"',
        b'{"format": "something-else", "version": 1}',
        b'{"format": "caseapp-keyfile"}',
        b'{"format": "caseapp-keyfile", "version": 2, "checksum": "sha256:00"}',
        b'{"format": "caseapp-keyfile", "version": true, "checksum": "sha256:00"}',
        b'{"format": "caseapp-keyfile", "version": 1}',
        b'{"format": "caseapp-keyfile", "version": 1, "checksum": 5}',
        b'{"format": "caseapp-keyfile", "format": "caseapp-keyfile", "version": 1, "checksum": ""}',
        b'{"format": "caseapp-keyfile", "version": NaN, "checksum": ""}',
        b"x" * (70 * 1024),
    ],
)
def test_unreadable_file_is_corrupt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "k.key"
    path.write_bytes(content)
    with pytest.raises(KeyFileError) as excinfo:
        unlock(path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_corrupt")
    assert path.read_bytes() == content


def test_truncated_file_is_corrupt(made: Made) -> None:
    made.path.write_bytes(made.path.read_bytes()[:100])
    with pytest.raises(KeyFileError) as excinfo:
        unlock(made.path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_corrupt")


def test_folder_instead_of_file_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "k.key").mkdir()
    with pytest.raises(KeyFileError) as excinfo:
        unlock(tmp_path / "k.key", PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_corrupt")


Edit = Callable[[dict[str, Any]], None]

EDITS: dict[str, Edit] = {
    "wrapped key": lambda d: d.update(wrapped_key=flip_b64(d["wrapped_key"], 20)),
    "salt": lambda d: d["kdf"].update(salt=flip_b64(d["kdf"]["salt"])),
    "memory cost": lambda d: d["kdf"].update(memory_cost_kib=d["kdf"]["memory_cost_kib"] * 2),
    "iterations": lambda d: d["kdf"].update(iterations=d["kdf"]["iterations"] + 1),
    "lanes": lambda d: d["kdf"].update(lanes=d["kdf"]["lanes"] + 1),
    "workspace id": lambda d: d.update(workspace_id="ws-9999"),
}

EDITS_OUTSIDE_PASSPHRASE_WRAPPING: dict[str, Edit] = {
    "recovery wrapped key": lambda d: d["recovery"].update(wrapped_key=flip_b64(d["recovery"]["wrapped_key"], 20)),
    "recovery salt": lambda d: d["recovery"].update(salt=flip_b64(d["recovery"]["salt"])),
    "key check": lambda d: d.update(key_check=flip_b64(d["key_check"])),
}


@pytest.mark.parametrize("edit", [*EDITS, *EDITS_OUTSIDE_PASSPHRASE_WRAPPING])
def test_naive_edit_is_reported_as_tampered(made: Made, edit: str) -> None:
    """Changing any field without fixing the checksum: tampered, before any key derivation."""
    document = load(made.path)
    {**EDITS, **EDITS_OUTSIDE_PASSPHRASE_WRAPPING}[edit](document)
    save(made.path, document, recompute_checksum=False)
    for attempt in (lambda: unlock(made.path, PASSPHRASE), lambda: unlock_with_recovery(made.path, made.recovery_key),
                    lambda: read_workspace_id(made.path)):
        with pytest.raises(KeyFileError) as excinfo:
            attempt()
        assert_error(excinfo, "workspace.keyfile_tampered")


def test_flipped_checksum_is_tampered(made: Made) -> None:
    document = load(made.path)
    digits = document["checksum"]
    document["checksum"] = digits[:-1] + ("0" if digits[-1] != "0" else "1")
    save(made.path, document, recompute_checksum=False)
    with pytest.raises(KeyFileError) as excinfo:
        unlock(made.path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_tampered")


@pytest.mark.parametrize("edit", list(EDITS))
def test_attacker_recomputing_checksum_cannot_change_the_header(made: Made, edit: str) -> None:
    """The header is AES-GCM associated data: with a valid checksum the edit still cannot unlock.

    Such a file is indistinguishable from one made with another passphrase, so that is what we say.
    It must never return a key, let alone a different one.
    """
    document = load(made.path)
    EDITS[edit](document)
    save(made.path, document, recompute_checksum=True)
    with pytest.raises(WrongPassphraseError):
        unlock(made.path, PASSPHRASE)


@pytest.mark.parametrize("edit", list(EDITS)[1:])
def test_header_is_bound_even_if_the_kdf_ignored_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    """The AEAD binding does not rely on the KDF: with a derivation that ignores salt and cost (a
    stand-in for any KDF bug), a header edit must still fail at the unwrap, not later."""
    monkeypatch.setattr(kfmod, "_passphrase_key", lambda passphrase, kdf, salt: hashlib.sha256(
        passphrase.encode()).digest())
    made = make(tmp_path)
    assert unlock(made.path, PASSPHRASE) == made.data_key
    document = load(made.path)
    EDITS[edit](document)
    save(made.path, document, recompute_checksum=True)
    with pytest.raises(WrongPassphraseError):
        unlock(made.path, PASSPHRASE)


@pytest.mark.parametrize("edit", list(EDITS_OUTSIDE_PASSPHRASE_WRAPPING))
def test_attacker_recomputing_checksum_is_caught_by_key_check(made: Made, edit: str) -> None:
    document = load(made.path)
    EDITS_OUTSIDE_PASSPHRASE_WRAPPING[edit](document)
    save(made.path, document, recompute_checksum=True)
    with pytest.raises(KeyFileError) as excinfo:
        unlock(made.path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_tampered")


def test_planted_recovery_block_is_never_accepted(tmp_path: Path) -> None:
    """An attacker replaces the recovery wrapping with one of a key they control (a trap for the day
    the user needs recovery). The passphrase unlock notices; the planted recovery key gets nowhere."""
    victim = make(tmp_path, "victim.key")
    attacker = make(tmp_path, "attacker.key")  # same workspace id, attacker's own data key
    document = load(victim.path)
    document["recovery"] = load(attacker.path)["recovery"]
    save(victim.path, document, recompute_checksum=True)

    with pytest.raises(KeyFileError) as excinfo:
        unlock(victim.path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_tampered")
    with pytest.raises(KeyFileError) as excinfo:
        unlock_with_recovery(victim.path, attacker.recovery_key)
    assert_error(excinfo, "workspace.keyfile_tampered")
    with pytest.raises(WorkspaceError) as wrong:
        unlock_with_recovery(victim.path, victim.recovery_key)
    assert_error(wrong, "workspace.wrong_recovery_key")


STRUCTURAL_EDITS: dict[str, Edit] = {
    "extra field": lambda d: d.update(comment="hi"),
    "missing field": lambda d: d.pop("key_check"),
    "kdf not an object": lambda d: d.update(kdf="argon2id"),
    "unknown kdf": lambda d: d["kdf"].update(name="scrypt"),
    "unknown recovery kdf": lambda d: d["recovery"].update(name="pbkdf2"),
    "string memory cost": lambda d: d["kdf"].update(memory_cost_kib="8192"),
    "boolean lanes": lambda d: d["kdf"].update(lanes=True),
    "absurd memory cost": lambda d: d["kdf"].update(memory_cost_kib=2**40),
    "zero iterations": lambda d: d["kdf"].update(iterations=0),
    "salt not base64": lambda d: d["kdf"].update(salt="not base64!"),
    "short salt": lambda d: d["kdf"].update(salt=base64.b64encode(b"1234").decode()),
    "short wrapped key": lambda d: d.update(wrapped_key=base64.b64encode(b"x" * 20).decode()),
    "empty workspace id": lambda d: d.update(workspace_id=""),
    "numeric workspace id": lambda d: d.update(workspace_id=7),
}


@pytest.mark.parametrize("edit", list(STRUCTURAL_EDITS))
def test_wrong_structure_with_valid_checksum_is_corrupt(made: Made, edit: str) -> None:
    document = load(made.path)
    STRUCTURAL_EDITS[edit](document)
    save(made.path, document, recompute_checksum=True)
    with pytest.raises(KeyFileError) as excinfo:
        unlock(made.path, PASSPHRASE)
    assert_error(excinfo, "workspace.keyfile_corrupt")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Made:
    return make(tmp_path_factory.mktemp("pristine"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_byte_flip_never_yields_a_wrong_key(pristine: Made, tmp_path: Path, data: st.DataObject) -> None:
    raw = bytearray(pristine.path.read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1), label="position")
    raw[position] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "flipped.key"
    path.write_bytes(bytes(raw))
    try:
        key = unlock(path, PASSPHRASE)
    except (KeyFileError, WrongPassphraseError):
        return
    # Only layout-neutral flips (e.g. whitespace) may still open, and then with the right key.
    assert key == pristine.data_key


def test_error_messages_name_the_file(made: Made) -> None:
    made.path.write_bytes(b"garbage")
    with pytest.raises(KeyFileError) as excinfo:
        unlock(made.path, PASSPHRASE)
    for lang in ("zh", "en"):
        assert str(made.path) in render(excinfo.value, lang)


# --------------------------------------------------------------------------------------------------
# Recovery key


def test_recovery_key_looks_printable(made: Made) -> None:
    groups = made.recovery_key.split("-")
    assert len(groups) == 13
    assert all(len(g) == 4 for g in groups)
    # Crockford's alphabet: no I, L, O, U, so nothing is ambiguous when read off paper.
    assert set("".join(groups)) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_recovery_key_unlocks(made: Made) -> None:
    assert unlock_with_recovery(made.path, made.recovery_key) == made.data_key


@pytest.mark.parametrize(
    "mangle",
    [
        str.lower,
        lambda t: t.replace("-", " "),
        lambda t: "  " + t.replace("-", " - ").lower() + "\n",
        lambda t: t.replace("-", ""),
        lambda t: t.replace("-", "\u3000"),  # full-width space from a Chinese IME
        lambda t: "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in t),  # full-width letters
        lambda t: t.replace("0", "O").replace("1", "l"),
    ],
)
def test_recovery_key_is_forgiving_about_typing(made: Made, mangle: Callable[[str], str]) -> None:
    assert unlock_with_recovery(made.path, mangle(made.recovery_key)) == made.data_key


def test_wrong_recovery_key_is_rejected(tmp_path: Path) -> None:
    a, b = make(tmp_path, "a.key"), make(tmp_path, "b.key")
    before = a.path.read_bytes()
    with pytest.raises(WorkspaceError) as excinfo:
        unlock_with_recovery(a.path, b.recovery_key)
    assert_error(excinfo, "workspace.wrong_recovery_key")
    assert a.path.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    ["", "ABCD-EFGH", "U" * 52, "not a key at all", "A" * 53],
)
def test_malformed_recovery_key_is_rejected(made: Made, text: str) -> None:
    with pytest.raises(WorkspaceError) as excinfo:
        unlock_with_recovery(made.path, text)
    assert_error(excinfo, "workspace.wrong_recovery_key")


def test_recovery_key_typo_is_rejected(made: Made) -> None:
    text = made.recovery_key
    typo = text[:5] + ("X" if text[5] != "X" else "Y") + text[6:]
    with pytest.raises(WorkspaceError) as excinfo:
        unlock_with_recovery(made.path, typo)
    assert_error(excinfo, "workspace.wrong_recovery_key")


@given(st.binary(min_size=32, max_size=32))
def test_recovery_key_text_round_trips(key: bytes) -> None:
    text = format_recovery_key(key)
    assert parse_recovery_key(text) == key
    assert parse_recovery_key(text.lower().replace("-", " ")) == key
    assert set(text) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ-")


# --------------------------------------------------------------------------------------------------
# Changing the passphrase


def test_change_passphrase(made: Made) -> None:
    old_salt = load(made.path)["kdf"]["salt"]
    old_recovery = load(made.path)["recovery"]
    change_passphrase(made.path, made.data_key, NEW_PASSPHRASE, kdf=TEST_KDF)

    with pytest.raises(WrongPassphraseError):
        unlock(made.path, PASSPHRASE)
    assert unlock(made.path, NEW_PASSPHRASE) == made.data_key
    assert unlock_with_recovery(made.path, made.recovery_key) == made.data_key
    document = load(made.path)
    assert document["kdf"]["salt"] != old_salt
    assert document["recovery"] == old_recovery
    assert read_workspace_id(made.path) == WORKSPACE_ID
    assert made.path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]


def test_change_passphrase_stores_the_requested_kdf(made: Made) -> None:
    stronger = KdfParams(memory_cost_kib=16 * 1024, iterations=2, lanes=2)
    change_passphrase(made.path, made.data_key, NEW_PASSPHRASE, kdf=stronger)
    kdf = load(made.path)["kdf"]
    assert (kdf["memory_cost_kib"], kdf["iterations"], kdf["lanes"]) == (16 * 1024, 2, 2)
    assert unlock(made.path, NEW_PASSPHRASE) == made.data_key


def test_change_passphrase_with_a_foreign_key_writes_nothing(tmp_path: Path) -> None:
    a, b = make(tmp_path, "a.key"), make(tmp_path, "b.key")
    before = a.path.read_bytes()
    with pytest.raises(KeyFileError) as excinfo:
        change_passphrase(a.path, b.data_key, NEW_PASSPHRASE, kdf=TEST_KDF)
    assert_error(excinfo, "workspace.keyfile_mismatch")
    assert a.path.read_bytes() == before


def test_change_passphrase_checks_length(made: Made) -> None:
    before = made.path.read_bytes()
    with pytest.raises(ValidationError):
        change_passphrase(made.path, made.data_key, "short", kdf=TEST_KDF)
    assert made.path.read_bytes() == before


def test_change_passphrase_crash_keeps_old_file(made: Made, monkeypatch: pytest.MonkeyPatch) -> None:
    before = made.path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        change_passphrase(made.path, made.data_key, NEW_PASSPHRASE, kdf=TEST_KDF)
    monkeypatch.undo()
    assert made.path.read_bytes() == before
    assert unlock(made.path, PASSPHRASE) == made.data_key
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]


# --------------------------------------------------------------------------------------------------
# KDF parameters


def test_production_kdf_is_strong() -> None:
    """At least the 64 MiB class of RFC 9106's second recommendation; production paths default to it."""
    assert PRODUCTION_KDF.memory_cost_kib >= 64 * 1024
    assert PRODUCTION_KDF.iterations >= 3
    assert PRODUCTION_KDF.lanes >= 1
    assert PRODUCTION_KDF != TEST_KDF
    assert inspect.signature(create_keyfile).parameters["kdf"].default is PRODUCTION_KDF
    for name in kfmod.__all__:
        function = getattr(kfmod, name)
        if inspect.isfunction(function):
            defaults = [p.default for p in inspect.signature(function).parameters.values()]
            assert TEST_KDF not in defaults, name


@pytest.mark.parametrize(
    ("memory", "iterations", "lanes"),
    [(0, 1, 1), (8, 1, 2), (8192, 0, 1), (8192, 1, 0), (2**40, 1, 1), (8192, 101, 1)],
)
def test_kdf_params_are_bounded(memory: int, iterations: int, lanes: int) -> None:
    with pytest.raises(ValueError):
        KdfParams(memory, iterations, lanes)


# --------------------------------------------------------------------------------------------------
# Subkeys and passphrase policy


def test_derive_subkey() -> None:
    key = bytes(range(32))
    a = derive_subkey(key, "attachments")
    assert len(a) == 32
    assert a == derive_subkey(key, "attachments")
    assert a != derive_subkey(key, "export")
    assert a != derive_subkey(bytes(32), "attachments")
    assert a != key
    with pytest.raises(ValueError):
        derive_subkey(b"short", "attachments")
    with pytest.raises(ValueError):
        derive_subkey(key, "")


def test_check_passphrase() -> None:
    check_passphrase("eight ch")
    check_passphrase("民政个案管理系统")  # eight Chinese characters count as eight
    with pytest.raises(ValidationError) as excinfo:
        check_passphrase("seven c")
    assert (excinfo.value.key, excinfo.value.field, excinfo.value.params) == (
        "workspace.passphrase_too_short", "passphrase", {"min": 8})
    with pytest.raises(ValidationError) as excinfo:
        check_passphrase("eight ch", min_length=12)
    assert excinfo.value.params == {"min": 12}
    for lang in ("zh", "en"):
        assert "12" in render(excinfo.value, lang)


@pytest.mark.parametrize(
    ("passphrase", "score"),
    [
        ("", 0),
        ("abc", 0),
        ("password", 0),
        ("Password1", 0),
        ("12345678", 0),
        ("woaini1314", 0),
        ("qwertyuiop", 0),
        ("abcdefgh", 0),
        ("aaaaaaaaaaaa", 0),
        ("correct horse battery staple", 4),
        ("张三丰的密码很安全呢", 4),
    ],
)
def test_passphrase_strength_examples(passphrase: str, score: int) -> None:
    assert passphrase_strength(passphrase) == score


def test_passphrase_strength_grows_with_length_and_variety() -> None:
    assert passphrase_strength("kitchenx") < passphrase_strength("kitchen table lamp")
    assert passphrase_strength("kitchenx") <= passphrase_strength("Kitchen7!")


@given(st.text(max_size=60))
def test_passphrase_strength_is_in_range(passphrase: str) -> None:
    assert 0 <= passphrase_strength(passphrase) <= 4
