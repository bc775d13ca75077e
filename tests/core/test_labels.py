"""Every record type, field and workflow state has a label in both languages, the catalogue's two
languages agree, and docs/data-model.md documents every field (like Datasette's test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseapp.domain import ENTITIES
from caseapp.domain.base import META_FIELDS
from caseapp.messages import CATALOGUE, LANGUAGES, placeholders
from caseapp.services.workflows import MACHINES

DATA_MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"

RECORD_FIELDS = sorted({(entity, name) for entity, cls in ENTITIES.items() for name in cls.field_names()})
STATES = sorted((machine.name, state) for machine in MACHINES.values() for state in machine.states)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_record_field_has_a_label(lang: str) -> None:
    missing = sorted({f"field.{name}" for _, name in RECORD_FIELDS} - set(CATALOGUE[lang]))
    assert not missing, f"no {lang} label for {missing} (add them to caseapp/messages/fields.py)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_record_type_has_a_name(lang: str) -> None:
    missing = sorted(f"entity.{entity}" for entity in ENTITIES if f"entity.{entity}" not in CATALOGUE[lang])
    assert not missing, f"no {lang} name for {missing} (add them to caseapp/messages/fields.py)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_workflow_state_has_a_label(lang: str) -> None:
    missing = [f"state.{m}.{s}" for m, s in STATES if f"state.{m}.{s}" not in CATALOGUE[lang]]
    assert not missing, f"no {lang} label for {missing} (add them to caseapp/messages/states.py)"


def test_workflow_machines_are_named_after_record_types() -> None:
    # state labels are keyed by machine name, and machines are looked up by entity name
    for name in MACHINES:
        assert name in ENTITIES, name
        assert ENTITIES[name].state_field, name
    for entity, cls in ENTITIES.items():
        if cls.state_field:
            assert entity in MACHINES, entity


def test_no_labels_for_things_that_do_not_exist() -> None:
    """Entity, state and per-type field labels must name a real record type, state or field
    (catches labels left behind by a rename)."""
    states = {f"state.{m}.{s}" for m, s in STATES}
    fields = {f"field.{entity}.{name}" for entity, name in RECORD_FIELDS}
    for key in CATALOGUE["zh"]:
        if key.startswith("entity."):
            assert key.removeprefix("entity.") in ENTITIES, key
        elif key.startswith("state."):
            assert key in states, key
        elif key.startswith("field.") and key.count(".") == 2:
            assert key in fields, key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_are_not_empty(lang: str) -> None:
    for key, text in CATALOGUE[lang].items():
        if key.startswith(("field.", "entity.", "state.")):
            assert text.strip(), key


def test_catalogue_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = CATALOGUE["zh"], CATALOGUE["en"]
    assert sorted(set(zh) - set(en)) == [], "keys with no English text"
    assert sorted(set(en) - set(zh)) == [], "keys with no Chinese text"
    mismatched = [key for key in zh if placeholders(zh[key]) != placeholders(en[key])]
    assert not mismatched, f"placeholders differ between zh and en: {mismatched}"


# --- docs/data-model.md -------------------------------------------------------------------------

def _doc() -> str:
    return DATA_MODEL_DOC.read_text(encoding="utf-8")


def _section(doc: str, heading: str) -> str:
    """The text from ``heading`` (a line starting with it) to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    match = re.search(rf"^{re.escape(heading)}.*$", doc, re.MULTILINE)
    assert match, f"docs/data-model.md has no section {heading!r}"
    rest = doc[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def _documented_fields(section: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.MULTILINE))


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_data_model_doc_documents_every_field(entity: str) -> None:
    cls = ENTITIES[entity]
    section = _section(_doc(), f"### `{entity}`")
    own = [name for name in cls.field_names() if name not in META_FIELDS]
    missing = [name for name in own if name not in _documented_fields(section)]
    assert not missing, (
        f"docs/data-model.md does not document {entity}.{missing}: "
        "run .venv/bin/python docs/gen_data_model.py (and write the field's meaning there)"
    )


def test_data_model_doc_documents_the_common_fields() -> None:
    section = _section(_doc(), "## Fields every record carries")
    missing = [name for name in META_FIELDS if name not in _documented_fields(section)]
    assert not missing, f"docs/data-model.md does not document the common fields {missing}"


def test_data_model_doc_documents_every_workflow_state() -> None:
    doc = _doc()
    for machine, state in STATES:
        section = _section(doc, f"### `{machine}`")
        assert f"| `{state}` |" in section, f"docs/data-model.md does not show state {machine}.{state}"


def test_data_model_doc_documents_no_field_that_does_not_exist() -> None:
    doc = _doc()
    for entity, cls in ENTITIES.items():
        stale = _documented_fields(_section(doc, f"### `{entity}`")) - set(cls.field_names())
        # the workflow table of the same section lists states in the same form
        machine = MACHINES.get(entity)
        stale -= set(machine.states) if machine else set()
        assert not stale, f"docs/data-model.md documents {entity}.{sorted(stale)}, which the model does not have"
