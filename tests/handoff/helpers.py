"""Reading what the tests check straight from the database, and closing a session."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import CLOSER, PIN

NOW = "2026-12-01T09:45:00+07:00"  # after intake closed on Tuesday 1 December 2026


def history(db, code: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT e.status, e.actor, e.note FROM status_event e "
                    "JOIN complaint c ON c.id = e.complaint_id WHERE c.code = :code "
                    "ORDER BY e.at, e.id"
                ),
                {"code": code},
            )
        ]


def status_of(db, code: str) -> str:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT status FROM complaint WHERE code = :c"), {"c": code}
        ).scalar_one()


def close_session(db, tmp_path: Path, env: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """`posko handoff close` by the duty officer, after intake closed; `env` adds settings."""
    result = posko(
        "handoff",
        "close",
        "--out",
        str(tmp_path / "lists"),
        *CLOSER,
        db_url=db.url,
        now=NOW,
        env={**PIN, **(env or {})},
    )
    assert result.exit_code == 0, result.stderr


def week_report(db, fmt: str, out: Path, now: str):  # type: ignore[no-untyped-def]
    """`posko report` of the test week (1–7 December 2026) in `fmt`, written to `out`."""
    return posko(
        "report", "--from", "2026-12-01", "--to", "2026-12-07", "--format", fmt,
        "--out", str(out), db_url=db.url, now=now,
    )  # fmt: skip
