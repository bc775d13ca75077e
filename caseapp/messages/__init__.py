"""Message catalogue for errors raised by the core: Chinese first, English second.

Each area keeps its own module holding ``MESSAGES = {"zh": {...}, "en": {...}}``; this package merges
them. A test checks that every key exists in both languages with the same placeholders.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from typing import Any, Protocol

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        catalogue: dict[str, dict[str, str]] = getattr(module, "MESSAGES", {})
        for lang in LANGUAGES:
            for key, text in catalogue.get(lang, {}).items():
                if key in merged[lang]:
                    raise RuntimeError(f"message key {key!r} defined twice")
                merged[lang][key] = text
    return merged


CATALOGUE = _load()

FIELD_KEY_PREFIX = "field."


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def message(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key`` in ``lang``, with params filled in; unknown keys fall back to the key."""
    table = CATALOGUE.get(lang) or CATALOGUE[DEFAULT_LANGUAGE]
    text = table.get(key) or CATALOGUE["en"].get(key) or key
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def field_label(field: str | None, lang: str = DEFAULT_LANGUAGE, entity: str | None = None) -> str:
    """The label of a field: a record field's comes from its model (``entity`` picks the record
    type: a grid event's ``category`` is 事件类别, an assistance case's 救助类别); inputs that are not
    record fields (a division code typed into a search) have theirs in this catalogue."""
    if not field:
        return ""
    # Imported here: the catalogue itself must load without the domain model.
    from caseapp.domain.labels import label_for

    found = label_for(field, lang, entity)
    if found:
        return found
    table = CATALOGUE.get(lang) or CATALOGUE[DEFAULT_LANGUAGE]
    return table.get(FIELD_KEY_PREFIX + field, field)


class Renderable(Protocol):
    key: str
    field: str | None
    entity: str | None
    params: dict[str, Any]


def render(error: Renderable, lang: str = DEFAULT_LANGUAGE) -> str:
    """A complete sentence for the user: '<field label>: <reason>'; one line per error of a
    ValidationErrors (anything with ``errors``)."""
    several = getattr(error, "errors", None)
    if isinstance(several, list):
        return "\n".join(render(e, lang) for e in several)
    text = message(error.key, lang, **error.params)
    label = field_label(error.field, lang, getattr(error, "entity", None))
    sep = "：" if lang == "zh" else ": "
    return f"{label}{sep}{text}" if label else text
