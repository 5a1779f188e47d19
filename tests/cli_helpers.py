"""Running the real CLI in-process, as a user would from the shell."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def posko(
    *args: str,
    db_url: str | None = None,
    now: str | None = None,
    stdin: str = "",
    env: dict[str, str] | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> CliResult:
    """`posko [--db URL] [--now T] ARGS...`; returns the exit code and both streams."""
    from posko.cli import run

    argv: list[str] = []
    if db_url:
        argv += ["--db", db_url]
    if now:
        argv += ["--now", now]
    argv += list(args)
    out, err = io.StringIO(), io.StringIO()
    patch = monkeypatch or pytest.MonkeyPatch()
    for key, value in (env or {}).items():
        patch.setenv(key, value)
    patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run(argv)
    finally:
        if monkeypatch is None:
            patch.undo()
    return CliResult(code, out.getvalue(), err.getvalue())
