"""Message catalogue for errors raised by the core: Chinese first, English second.

Each area keeps its own module holding ``MESSAGES = {"zh": {...}, "en": {...}}``; this package merges
them. A test checks that every key exists in both languages with the same placeholders.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseapp.errors import CaseAppError

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
    """The label of a field; ``entity`` picks a type-specific label where one exists (a grid event's
    ``category`` is 事件类别, an assistance case's is 救助类别)."""
    if not field:
        return ""
    table = CATALOGUE.get(lang) or CATALOGUE[DEFAULT_LANGUAGE]
    if entity:
        specific = table.get(f"{FIELD_KEY_PREFIX}{entity}.{field}")
        if specific:
            return specific
    return table.get(FIELD_KEY_PREFIX + field, field)


def render(error: CaseAppError, lang: str = DEFAULT_LANGUAGE) -> str:
    """A complete sentence for the user: '<field label>: <reason>'."""
    from caseapp.errors import ValidationErrors

    if isinstance(error, ValidationErrors):
        return "\n".join(render(e, lang) for e in error.errors)
    text = message(error.key, lang, **error.params)
    label = field_label(error.field, lang)
    sep = "：" if lang == "zh" else ": "
    return f"{label}{sep}{text}" if label else text
