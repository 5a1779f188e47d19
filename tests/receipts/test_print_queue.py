"""Printing a new complaint's slips, a failing printer, and the reprint queue."""

from __future__ import annotations

from sqlalchemy import text

from posko import print_messages
from posko.config import Settings
from posko.services import print_queue
from posko.store.db import new_session
from tests.cli_helpers import posko

from .helpers import NOW, audit_actions, fake_lp, jobs, mode, pdf_text, take


def kiosk_text(outcome: print_queue.PrintOutcome) -> str:
    from posko.tui.data import reprint_hint

    return print_messages.outcome_text(outcome, reprint_hint())


def _print(db, clock, policy, settings: Settings, complaint_id: int):  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        return print_queue.print_for_complaint(session, clock, settings, policy, complaint_id)


def test_folder_printer_saves_both_copies(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    slips = tmp_path / "slips"
    settings = Settings(database_url=db.url, output_dir=str(slips))

    outcome = _print(db, clock, policy, settings, complaint.id)

    assert outcome.ok
    told = kiosk_text(outcome)
    assert complaint.code in told and str(slips) in told
    citizen, office = slips / f"{complaint.code}-warga.pdf", slips / f"{complaint.code}-kantor.pdf"
    assert mode(citizen) == mode(office) == 0o600
    assert "TANDA TERIMA PENGADUAN" in pdf_text(citizen)
    assert "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in pdf_text(office)
    assert jobs(db, complaint.code) == [("citizen", "done", 1, None), ("office", "done", 1, None)]
    assert audit_actions(db, complaint.code) == ["slip.printed", "slip.printed"]
    with new_session(db.engine) as session:
        assert print_queue.pending_count(session) == 0


def test_failing_printer_keeps_the_complaint_and_a_pending_job(
    db, clock, policy, tmp_path, monkeypatch
):
    complaint = take(db, clock, policy)
    for key, value in fake_lp(tmp_path / "bin", exit_code=1).items():
        monkeypatch.setenv(key, value)
    settings = Settings(database_url=db.url, printer="cups", printer_name="kasir")

    outcome = _print(db, clock, policy, settings, complaint.id)

    assert not outcome.ok
    told = kiosk_text(outcome)  # what the kiosk shows the officer
    assert complaint.code in told
    assert "printer kasir is on fire" in told
    assert "Ctrl+R" in told and "posko receipt" not in told  # the kiosk's own key
    with db.engine.connect() as conn:
        saved = conn.execute(
            text("SELECT status FROM complaint WHERE code = :c"), {"c": complaint.code}
        ).scalar_one()
    assert saved == "diterima"
    (citizen, office) = jobs(db, complaint.code)
    assert citizen[:3] == ("citizen", "pending", 1)
    assert "on fire" in (citizen[3] or "")
    # On a CUPS desk the office copy travels only in the handoff batch.
    assert office == ("office", "done", 0, None)
    assert audit_actions(db, complaint.code) == ["slip.failed"]
    with new_session(db.engine) as session:
        assert [j.copy_kind for j in print_queue.pending_jobs(session)] == ["citizen"]

    # The printer is still broken: --print says so, and the job stays pending.
    again = posko(
        "receipt",
        complaint.code,
        "--print",
        db_url=db.url,
        now=NOW,
        env={"POSKO_PRINTER": "cups", "POSKO_PRINTER_NAME": "kasir"},
        monkeypatch=monkeypatch,
    )
    assert again.exit_code == 1
    assert "on fire" in again.stdout
    assert jobs(db, complaint.code)[0][:3] == ("citizen", "pending", 2)

    # Switched to the folder printer: the drain prints it and marks it done.
    slips = tmp_path / "slips"
    drained = posko(
        "receipt",
        "--drain",
        db_url=db.url,
        now=NOW,
        env={"POSKO_PRINTER": "folder", "POSKO_OUTPUT_DIR": str(slips)},
        monkeypatch=monkeypatch,
    )
    assert drained.exit_code == 0, drained.stdout + drained.stderr
    assert complaint.code in drained.stdout
    assert (slips / f"{complaint.code}-warga.pdf").exists()
    assert jobs(db, complaint.code)[0] == ("citizen", "done", 3, None)
    assert audit_actions(db, complaint.code) == ["slip.failed", "slip.failed", "slip.reprinted"]
    with new_session(db.engine) as session:
        assert print_queue.pending_count(session) == 0

    empty = posko("receipt", "--drain", db_url=db.url, env={"POSKO_OUTPUT_DIR": str(slips)})
    assert empty.exit_code == 0


def test_unwritable_folder_is_a_failure_not_a_crash(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings = Settings(database_url=db.url, output_dir=str(blocker / "slips"))

    outcome = _print(db, clock, policy, settings, complaint.id)

    assert not outcome.ok
    assert [j[1] for j in jobs(db, complaint.code)] == ["pending", "pending"]
    with new_session(db.engine) as session:
        assert print_queue.pending_count(session) == 2


def test_print_without_pending_jobs_prints_a_new_copy(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    slips = tmp_path / "slips"
    env = {"POSKO_OUTPUT_DIR": str(slips)}

    result = posko("receipt", complaint.code, "--print", db_url=db.url, now=NOW, env=env)

    assert result.exit_code == 0, result.stderr
    assert (slips / f"{complaint.code}-warga.pdf").exists()
    assert jobs(db, complaint.code) == [("citizen", "done", 1, None)]
    assert audit_actions(db, complaint.code) == ["slip.reprinted"]


def test_kiosk_home_counts_the_reprint_queue(runtime, db, clock, policy, tmp_path, monkeypatch):
    from posko.tui import data

    complaint = take(db, clock, policy)
    for key, value in fake_lp(tmp_path / "bin", exit_code=1).items():
        monkeypatch.setenv(key, value)
    settings = Settings(database_url=db.url, printer="cups", printer_name="kasir")
    assert data.load_status(runtime).reprints == 0

    _print(db, clock, policy, settings, complaint.id)

    assert data.load_status(runtime).reprints == 1


def test_drain_stops_at_a_printer_that_still_fails(db, clock, policy, tmp_path, monkeypatch):
    first, second = take(db, clock, policy), take(db, clock, policy)
    for key, value in fake_lp(tmp_path / "bin", exit_code=1).items():
        monkeypatch.setenv(key, value)
    settings = Settings(database_url=db.url, printer="cups", printer_name="kasir")
    for complaint in (first, second):
        _print(db, clock, policy, settings, complaint.id)

    with new_session(db.engine) as session:
        results = print_queue.drain(session, clock, settings, policy)

    # One more try on the dead printer, not one per slip: the rest wait.
    assert [(r.code, r.printed) for r in results] == [(first.code, False)]
    assert jobs(db, first.code)[0][:3] == ("citizen", "pending", 2)
    assert jobs(db, second.code)[0][:3] == ("citizen", "pending", 1)
