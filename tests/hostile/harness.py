"""Feeding hostile inputs to the CLI and judging the answer as a user would."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import CliResult, posko
from tests.reliability.figures import ESCAPED, FIGURES, TRACEBACK

CORPUS = Path(__file__).with_name("corpus")
TEN_MB = "Ä" * (5 * 1024 * 1024)  # 10 MB of UTF-8
# What must never reach a terminal: ESC, 8-bit CSI/OSC, bidi overrides.
FORBIDDEN = ("\x1b", "\x9b", "\x9d", "\u202e", "\u202d", "\x00", "\x07")

ANSWERS = {
    0: "accepted, shown safely (exit 0)",
    1: "not found / refused with a message (exit 1)",
    2: "refused with a message (exit 2)",
    3: "refused by a rule (exit 3)",
}


def corpus() -> list[tuple[str, bytes]]:
    items = [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir()) if p.name != "README.md"]
    return [*items, ("ten_megabytes (generated)", TEN_MB.encode("utf-8"))]


def as_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def judge(entry: str, result: CliResult) -> int:
    """No traceback, no catch-all, nothing that changes the terminal; count the answer."""
    shown = result.stdout + result.stderr
    if "Traceback" in shown or "Unexpected error" in shown:
        FIGURES.answered(entry, TRACEBACK)
        raise AssertionError(shown[-2000:])
    bad = [c for c in FORBIDDEN if c in shown]
    if bad:
        FIGURES.answered(entry, ESCAPED)
        raise AssertionError((entry, bad, shown[:500]))
    assert result.exit_code in ANSWERS, (entry, result.exit_code, shown[:500])
    FIGURES.answered(entry, ANSWERS[result.exit_code])
    return result.exit_code


def cli(*args: str, db_url: str | None = None, **kw) -> CliResult:  # type: ignore[no-untyped-def]
    """The CLI in English, so the catch-all's text is recognisable."""
    return posko("--lang", "en", *args, db_url=db_url, **kw)


def storage_independent(db) -> None:  # type: ignore[no-untyped-def]
    """Inputs refused or read before anything is stored: one backend is enough."""
    import pytest

    if db.backend != "sqlite":
        pytest.skip("answered before the database is involved; run on SQLite only")
