"""One message catalogue for every user-facing text: Indonesian by default.

Message ids are English; `posko/locale/<lang>/LC_MESSAGES/posko.po` holds the
translations, read with Babel (no compile step, so the repo has no .mo files).
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
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
    try:
        stat = path.stat()
    except OSError:
        return {}
    # Reading the .po with Babel costs ~40 ms (its import included), paid
    # before the kiosk's first paint; its result is kept as JSON beside the
    # user's other caches, under the file's size and time, so a changed
    # catalogue is read again.
    cached = _cache_dir() / f"catalogue-{language}-{stat.st_size}-{stat.st_mtime_ns}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    table = {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, cached)
    except OSError:
        pass  # a read-only home: read the .po each time
    return table


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("posko", appauthor=False))


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
        # A date reaches a person in words ("Kamis, 3 Desember 2026"), never as
        # ISO: a service raises with the date itself and the reader's language
        # decides here. Machine outputs format their dates themselves.
        params = {
            k: long_date(v) if isinstance(v, date) and not isinstance(v, datetime) else v
            for k, v in params.items()
        }
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return message.format(**params)
    return text


def long_date(day: date) -> str:
    """'Selasa, 1 Desember 2026' in the user's language, as people write a date."""
    from babel.dates import format_date  # ~30 ms; only a message with a date needs it

    return format_date(day, "EEEE, d MMMM y", locale=language())


def safe(value: object) -> str:
    """Any stored text as it may reach a terminal: no escape sequences."""
    from posko.core.text import clean_text

    return clean_text(str(value)) if value is not None else "-"


def translated(message: str, params: dict[str, object]) -> str:
    """A message id with parameters (a PoskoError's or FieldError's), in the current language."""
    return _(message, **{k: safe(v) if isinstance(v, str) else v for k, v in params.items()})


def sentence(text: str) -> str:
    """A message shown on its own, as a sentence: the catalogue writes refusals in
    lower case because the command line prints them after "Kesalahan: "; alone on
    a screen or a page, the first word starts with a capital."""
    return text[:1].upper() + text[1:]


def error_text(error: PoskoError) -> str:
    """A refusal (message id and parameters) shown on its own, as a sentence."""
    return sentence(translated(error.message, error.params))
