"""One definition of every field: each column of each record type declares its facts on the model
(caseapp.domain.fields), every label exists in both languages and says something, no second place
words a field differently, and docs/data-model.md documents every field (like Datasette's
test_docs.py and Django's model fields)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from caseapp import refdata
from caseapp.domain import ENTITIES
from caseapp.domain.base import META_FIELDS
from caseapp.domain.fields import WIDGETS, all_facts, facts_of, widget_of
from caseapp.messages import CATALOGUE, LANGUAGES, placeholders
from caseapp.services.workflows import MACHINES

ROOT = Path(__file__).resolve().parents[2]
DATA_MODEL_DOC = ROOT / "docs" / "data-model.md"
CJK = re.compile(r"[\u4e00-\u9fff]")

RECORD_FIELDS = sorted({(entity, name) for entity, cls in ENTITIES.items() for name in cls.field_names()})
STATES = sorted((machine.name, state) for machine in MACHINES.values() for state in machine.states)


def test_every_column_declares_its_facts() -> None:
    bare = [f"{entity}.{column.key}" for entity, cls in ENTITIES.items() for column in cls.__table__.columns
            if facts_of(column) is None]
    assert not bare, f"columns without facts (declare them with caseapp.domain.fields.field): {bare}"


@pytest.mark.parametrize(("entity", "name"), RECORD_FIELDS)
def test_every_field_is_labelled_in_both_languages(entity: str, name: str) -> None:
    zh, en = all_facts(ENTITIES[entity])[name].label
    assert CJK.search(zh), f"{entity}.{name}: the Chinese label {zh!r} is not Chinese"
    assert en.strip() and not CJK.search(en) and en != name, f"{entity}.{name}: the English label {en!r}"


def test_every_record_type_is_named_in_both_languages() -> None:
    for entity, cls in ENTITIES.items():
        zh, en = cls.label
        assert CJK.search(zh) and en.strip() and not CJK.search(en), entity


@pytest.mark.parametrize(("entity", "name"), RECORD_FIELDS)
def test_facts_refer_to_things_that_exist(entity: str, name: str) -> None:
    cls = ENTITIES[entity]
    facts = all_facts(cls)[name]
    if facts.codes:
        assert facts.codes in refdata.DICTIONARIES, f"{entity}.{name}: no dictionary {facts.codes}"
    if facts.states:
        assert facts.states in MACHINES, f"{entity}.{name}: no workflow {facts.states}"
    assert not (facts.codes and name == cls.state_field), f"{entity}.{name}: a state field takes its workflow's states"
    assert widget_of(cls, name) in WIDGETS


def test_a_record_type_words_no_two_fields_alike() -> None:
    """Two inputs of one form under the same label would be impossible to tell apart."""
    for entity, cls in ENTITIES.items():
        labels = [facts.label[0] for facts in all_facts(cls).values()]
        twice = sorted({label for label in labels if labels.count(label) > 1})
        assert not twice, f"{entity} has several fields labelled {twice}"


def test_no_second_place_words_a_record_field() -> None:
    """Labels live on the model only: not in the message catalogue, not in the Qt catalogues, not as
    a reference dictionary that repeats a workflow's states."""
    names = {name for _, name in RECORD_FIELDS}
    for lang in LANGUAGES:
        again = sorted(k for k in CATALOGUE[lang] if k.startswith(("field.", "entity."))
                       and k.split(".")[-1] in names | set(ENTITIES))
        assert not again, f"record labels repeated in the {lang} message catalogue: {again}"
    for ts in (ROOT / "ui" / "i18n").glob("*.ts"):
        contexts = {c.findtext("name") for c in ET.parse(ts).getroot().iter("context")}
        assert not contexts & {"Field", "Entity"}, f"{ts.name} words fields or record types itself"
    for machine in MACHINES.values():
        for name in refdata.DICTIONARIES:
            assert set(refdata.dictionary(name)) != set(machine.states), (
                f"dictionary {name} repeats the states of {machine.name}: use the workflow")


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
    """State labels must name a real state (catches labels left behind by a rename)."""
    states = {f"state.{m}.{s}" for m, s in STATES}
    for key in CATALOGUE["zh"]:
        if key.startswith("state."):
            assert key in states, key


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


def test_english_messages_are_not_chinese_copies() -> None:
    """A catalogue edit that replaced both languages' lines at once left Chinese in English."""
    cjk_zh = [k for k, v in CATALOGUE["zh"].items() if CJK.search(v)]
    copied = [k for k in cjk_zh if CATALOGUE["en"][k] == CATALOGUE["zh"][k]]
    assert not copied, f"English text identical to the Chinese: {copied}"
