"""One message catalogue for every user-facing text: Indonesian by default.

Message ids are English; `posko/locale/<lang>/LC_MESSAGES/posko.po` holds the
translations, read with Babel (no compile step, so the repo has no .mo files).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from posko.core.errors import PoskoError

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
_current = os.environ.get("POSKO_LANG", DEFAULT_LANGUAGE)


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "posko.po"
    if not path.exists():
        return {}
    # babel.messages costs ~30 ms to import; only paid when a text is shown.
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose from {', '.join(LANGUAGES)}")
    _current = language


def language() -> str:
    return _current if _current in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str, **params: object) -> str:
    """Translate a message id into the current language and fill its placeholders."""
    text = _catalogue(language()).get(message, message)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return message.format(**params)
    return text


def safe(value: object) -> str:
    """Any stored text as it may reach a terminal: no escape sequences."""
    from posko.core.text import clean_text

    return clean_text(str(value)) if value is not None else "-"


def translated(message: str, params: dict[str, object]) -> str:
    """A message id with parameters (a PoskoError's or FieldError's), in the current language."""
    return _(message, **{k: safe(v) if isinstance(v, str) else v for k, v in params.items()})


def error_text(error: PoskoError) -> str:
    """A refusal (message id and parameters) as the user reads it."""
    return translated(error.message, error.params)
