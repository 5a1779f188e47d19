"""No borrowed domain: the slips' QR codes point where the installation says.

An operational database prints no slip until `posko init --status-url` has
named its status page; a training database points to a host that can never
resolve. Through the real CLI, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from posko.config import Settings
from posko.services import print_queue
from posko.store.db import new_session
from posko.store.models import Meta
from tests.cli_helpers import posko

from .helpers import NOW, read_qr, take

pytestmark = pytest.mark.db
ADDRESS = "https://pengaduan.example.go.id"


def _operational(db) -> None:  # type: ignore[no-untyped-def]
    """The fixture's database, as an installation that never named its status page."""
    with new_session(db.engine) as session:
        row = session.get(Meta, "training")
        assert row is not None
        row.value = "0"
        session.add(row)
        session.commit()


def test_training_slips_point_to_a_host_that_cannot_exist(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    out = tmp_path / "slip.pdf"
    assert (
        posko("receipt", complaint.code, "--out", str(out), db_url=db.url, now=NOW).exit_code == 0
    )
    (payload,) = read_qr(out)
    assert payload.startswith(f"https://lacak.posko-latihan.invalid/lacak/{complaint.code}?s=")


def test_an_operational_database_prints_no_slip_until_its_address_is_set(
    db, clock, policy, tmp_path
):
    complaint = take(db, clock, policy)
    _operational(db)
    out = tmp_path / "slip.pdf"
    refused = posko("receipt", complaint.code, "--out", str(out), db_url=db.url)
    assert refused.exit_code == 1
    assert "posko init --status-url" in refused.stderr and not out.exists()

    # At the desk: the complaint is safe, the slip waits in the reprint queue
    # with the reason and the way out.
    settings = Settings(database_url=db.url, output_dir=str(tmp_path / "slips"))
    with new_session(db.engine) as session:
        outcome = print_queue.print_for_complaint(session, clock, settings, policy, complaint.id)
        assert not outcome.citizen.printed
        assert "--status-url" in (outcome.citizen.error or "")
        assert len(print_queue.pending_jobs(session, complaint.id)) == 2

    done = posko("init", "--status-url", "pengaduan.example.go.id/", db_url=db.url)
    assert done.exit_code == 0, done.stderr
    assert f"{ADDRESS}/lacak" in done.stdout
    printed = posko("receipt", complaint.code, "--out", str(out), db_url=db.url)
    assert printed.exit_code == 0, printed.stderr
    (payload,) = read_qr(out)
    assert payload.startswith(f"{ADDRESS}/lacak/{complaint.code}?s=")
    assert posko("verify", payload, db_url=db.url).exit_code == 0


def test_init_tells_an_operational_database_what_is_missing(db):
    _operational(db)
    result = posko("init", db_url=db.url)  # not a terminal: no question, a clear note
    assert result.exit_code == 0, result.stderr
    assert "posko init --status-url" in result.stdout


def test_the_address_comes_from_the_environment_too(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    _operational(db)
    result = posko("init", db_url=db.url, env={"POSKO_STATUS_URL": ADDRESS})
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "slip.pdf"
    assert posko("receipt", complaint.code, "--out", str(out), db_url=db.url).exit_code == 0
    assert read_qr(out)[0].startswith(ADDRESS + "/lacak/")


@pytest.mark.parametrize("bad", ["ftp://pengaduan.example.go.id", "https://", "a b.go.id"])
def test_a_bad_address_is_refused(db, bad):
    result = posko("init", "--status-url", bad, db_url=db.url)
    assert result.exit_code == 2
    assert "https://pengaduan.example.go.id" in result.stderr
