"""The roster edit commands as a coordinator uses them from the shell."""

from __future__ import annotations

from datetime import date

from tests.cli_helpers import posko
from tests.roster.helpers import COORDINATOR, PIN, SESSION_NOW, on_duty, roster_snapshot


def run(db, *args: str, env: dict[str, str] = PIN):
    return posko(*args, db_url=db.url, now=SESSION_NOW, env=env)


def test_an_absence_is_proposed_first_and_applied_with_yes(db):
    args = ("roster", "absent", "JS-AS2", "--from", "2026-12-02", "--to", "2026-12-09")
    proposal = run(db, *args, "--reason", "dinas luar", "--by", COORDINATOR)
    assert proposal.exit_code == 0, proposal.stderr
    assert proposal.stdout.splitlines()[0].startswith("Rabu, 2 Desember 2026  JS  JS-AS2 -> JS-")
    assert on_duty(db, date(2026, 12, 2))["JS"] == ["JS-AS2"]  # nothing saved yet
    fill_in = proposal.stdout.splitlines()[0].rsplit(" ", 1)[1]
    applied = run(db, *args, "--reason", "dinas luar", "--by", COORDINATOR, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert on_duty(db, date(2026, 12, 2))["JS"] == [fill_in]


def test_edits_need_a_coordinator_and_their_pin(db):
    before = roster_snapshot(db)
    swap = ("roster", "swap", "2026-12-01", "JP-AS1", "2026-12-02", "JP-AS2", "--why", "x")
    assert run(db, *swap, "--by", "JP-AS1").exit_code == 3
    assert run(db, *swap, "--by", COORDINATOR, env={"POSKO_PIN": "000000"}).exit_code == 3
    assert roster_snapshot(db) == before


def test_a_refused_edit_says_why_and_exits_2(db):
    result = run(
        db,
        "--lang",
        "en",
        "roster",
        "assign",
        "2026-12-01",
        "JP",
        "JT-AS2",
        "--instead-of",
        "JP-AS1",
        "--by",
        COORDINATOR,
        "--why",
        "coba",
    )
    assert result.exit_code == 2
    assert "the roster was not changed" in result.stderr
    assert "JT-AS2" in result.stderr and "31.75" in result.stderr
    assert on_duty(db, date(2026, 12, 1))["JP"] == ["JP-AS1"]


def test_a_refusal_names_its_date_in_words_not_iso(db):
    close = ("roster", "close", "2026-12-03", "--reason", "acara kota", "--by", COORDINATOR)
    assert run(db, *close).exit_code == 0
    again = run(db, *close)
    assert again.exit_code == 2
    assert "posko sudah ditutup pada Kamis, 3 Desember 2026" in again.stderr
    assert "2026-12-03" not in again.stderr
    reopen = ("roster", "reopen", "2026-12-04", "--by", COORDINATOR, "--why", "salah")
    english = run(db, "--lang", "en", *reopen)
    assert "the desk is not closed on Friday, 4 December 2026" in english.stderr, english.stderr
