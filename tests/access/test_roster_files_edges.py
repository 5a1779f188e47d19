"""Finding 6 of issue 12, the roster files: deep nesting answers with a message;
an import that would remove published sessions says how many and needs --yes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select

from posko.store.db import new_session
from posko.store.models import DutySession
from tests.cli_helpers import posko
from tests.roster.helpers import COORDINATOR, PIN, SESSION_NOW

pytestmark = pytest.mark.db


def sessions_after(db, day: date) -> int:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        return session.exec(
            select(func.count()).select_from(DutySession).where(col(DutySession.day) > day)
        ).one()


@pytest.mark.parametrize("command", ["check", "import"])
def test_a_roster_nested_five_thousand_deep_gets_a_message(db, tmp_path, command: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dalam.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    args = ["roster", command, str(path)]
    if command == "import":
        args += ["--by", COORDINATOR]
    result = posko(*args, db_url=db.url, now=SESSION_NOW, env=PIN)
    assert result.exit_code == 2, result.stderr
    assert "terlalu dalam" in result.stderr
    assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr


def test_deeply_nested_json_gets_a_message(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dalam.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = posko("import", "open311", str(path), "--officer", "PV-KO1", db_url=db.url, env=PIN)
    assert result.exit_code == 2 and "RecursionError" not in result.stderr


def test_an_import_reaching_to_9999_removes_nothing_without_yes(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "desember.toml"
    exported = posko(
        "roster", "export", "--format", "toml", "--out", str(path),
        "--from", "2026-12-01", "--to", "2026-12-31", db_url=db.url, now=SESSION_NOW,
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    text = path.read_text(encoding="utf-8").replace("to = 2026-12-31", "to = 9999-12-31")
    assert "to = 9999-12-31" in text
    path.write_text(text, encoding="utf-8")
    published = sessions_after(db, date(2026, 12, 31))
    assert published > 100  # the roster runs to the end of 2027

    refused = posko(
        "roster", "import", str(path), "--by", COORDINATOR, db_url=db.url, now=SESSION_NOW, env=PIN
    )
    assert refused.exit_code == 2
    assert f"{published} sesi" in refused.stderr and "--yes" in refused.stderr
    assert sessions_after(db, date(2026, 12, 31)) == published

    confirmed = posko(
        "roster", "import", str(path), "--by", COORDINATOR, "--yes",
        db_url=db.url, now=SESSION_NOW, env=PIN,
    )  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.stderr
    assert f"{published}" in confirmed.stdout
    assert sessions_after(db, date(2026, 12, 31)) == 0
