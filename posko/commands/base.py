"""What every command shares: the runtime, output, and reading input safely."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from posko.core.clock import to_wib
from posko.core.errors import InvalidInput
from posko.i18n import _, safe, translated  # noqa: F401  (the commands import them from here)
from posko.runtime import Runtime

if TYPE_CHECKING:
    from sqlmodel import Session

    from posko.services.access import Use
    from posko.services.views import OfficerView

MAX_INPUT_BYTES = 1_000_000

JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON.")


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.find_root().obj


def read_pin() -> str:
    """The acting officer's PIN: POSKO_PIN, else typed (hidden)."""
    pin = os.environ.get("POSKO_PIN")
    if pin is None:
        pin = typer.prompt(_("PIN"), hide_input=True)
    return pin.strip()


def sign_in(rt: Runtime, session: Session, officer_id: str, use: Use) -> OfficerView:
    """The access gate for a command: the officer's PIN, then the role `use` needs."""
    from posko.services import access

    return access.sign_in(session, rt.clock, officer_id, read_pin(), use)


OfficerOption = typer.Option(
    ..., "--officer", help="Id of the officer doing this (PIN from POSKO_PIN or a prompt)."
)
ForceOption = typer.Option(False, "--force", help="Replace the file if it exists.")


def emit(as_json: bool, data: Any, text: Callable[[], str]) -> None:
    if as_json:
        from posko.services.views import to_json

        typer.echo(json.dumps(to_json(data), ensure_ascii=False, indent=2))
    else:
        typer.echo(text())


def wib(instant: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return f"{to_wib(instant).strftime(fmt)} WIB" if instant else "-"


def wib_day(instant: datetime) -> str:
    """'Selasa 2026-12-01 08:15 WIB': the day named in the desk's language."""
    from babel.dates import format_date  # ~30 ms; only commands that print a day

    from posko.i18n import language

    local = to_wib(instant)
    return f"{format_date(local.date(), 'EEEE', locale=language())} {wib(instant)}"


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "{option} must be a date YYYY-MM-DD, not {value}", option=option, value=safe(text)[:20]
        ) from None


def read_json_input(source: str, limit: int = MAX_INPUT_BYTES) -> Any:
    """Read a JSON document from a file or '-' (stdin), refusing what can't be one."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(source).open("rb") as handle:
                raw = handle.read(limit + 1)
    except OSError as error:
        raise InvalidInput(
            "cannot read {path}: {error}", path=safe(source), error=error.strerror or str(error)
        ) from None
    if len(raw) > limit:
        raise InvalidInput("the input is larger than {limit} bytes", limit=limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the input is not valid UTF-8 text") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidInput("the input JSON is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "the input is not valid JSON: {error} (line {line}, column {column})",
            error=error.msg,
            line=error.lineno,
            column=error.colno,
        ) from None
