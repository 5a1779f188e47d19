"""What the waiting-room tests share: the CLI at 08:15 WIB on the fixtures' session."""

from __future__ import annotations

from typing import Any

from tests.cli_helpers import CliResult, posko

NOW = "2026-12-01T08:15:00+07:00"
PIN = {"POSKO_PIN": "123456"}


def cli(
    db: Any, *args: str, monkeypatch: Any = None, env: dict[str, str] | None = None
) -> CliResult:
    return posko(*args, db_url=db.url, now=NOW, env=env, monkeypatch=monkeypatch)


def take(db: Any, *, priority: bool = False, monkeypatch: Any = None, **env: str) -> CliResult:
    args = ["queue", "take", "--json"] + (["--priority"] if priority else [])
    return cli(db, *args, monkeypatch=monkeypatch, env=env or None)


def call(db: Any, officer: str, monkeypatch: Any = None) -> CliResult:
    return cli(
        db, "queue", "call", "--officer", officer, "--json", monkeypatch=monkeypatch, env=PIN
    )
