"""The kiosk's close-out and the CLI make the same batches; late arrivals get a second one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from posko.services import closeout
from posko.store.db import new_session
from tests.cli_helpers import posko
from tests.handoff.conftest import CLOSER, PIN, complaint_data, officer, take


def test_kiosk_close_out_hands_off_and_the_cli_adds_nothing(
    db, clock, policy, taken, tmp_path
) -> None:
    clock.advance(minutes=60)
    with new_session(db.engine) as session:
        result = closeout.close_session(session, clock, policy, "JP-AS1")
    assert {b.region: set(b.codes) for b in result.batches} == {
        region: set(codes) for region, codes in taken.codes.items()
    }
    again = posko(
        "handoff",
        "close",
        "--out",
        str(tmp_path),
        *CLOSER,
        "--json",
        db_url=db.url,
        now=clock.now().isoformat(),
        env=PIN,
    )
    assert again.exit_code == 0, again.stderr
    assert not any(b["new"] for b in again.json()["batches"])
    assert len(list(Path(tmp_path).glob("serah-terima-*.pdf"))) == 3


def test_complaints_after_a_close_go_into_a_second_batch(db, clock, policy, tmp_path) -> None:
    take(db, clock, policy, [("31.71", complaint_data("31.71", "Lampu jalan mati di Cideng."))])
    first = posko(
        "handoff",
        "close",
        "--out",
        str(tmp_path),
        *CLOSER,
        "--json",
        db_url=db.url,
        now="2026-12-01T08:40:00+07:00",
        env=PIN,
    )
    assert first.exit_code == 0, first.stderr
    # A citizen already holding a number is still served after the close.
    with db.engine.connect() as conn:
        conn.execute(text("UPDATE duty_session SET closed_at = NULL"))
        conn.commit()
    take(db, clock, policy, [("31.71", complaint_data("31.71", "Trotoar rusak di Cideng."))])
    second = posko(
        "handoff",
        "close",
        "--out",
        str(tmp_path),
        *CLOSER,
        "--force",  # the first list's files are rewritten beside the second's
        "--json",
        db_url=db.url,
        now="2026-12-01T09:45:00+07:00",
        env=PIN,
    )
    labels = [(b["label"], b["new"], len(b["codes"])) for b in second.json()["batches"]]
    assert labels == [("20261201-31.71-1", False, 1), ("20261201-31.71-2", True, 1)]


def test_closing_a_day_without_a_session_is_refused(db, tmp_path) -> None:
    result = posko(
        "handoff",
        "close",
        "--session",
        "2026-12-05",
        "--out",
        str(tmp_path),
        *CLOSER,
        db_url=db.url,
        now="2026-12-05T10:00:00+07:00",
        env=PIN,
    )
    assert result.exit_code == 1 and "Sabtu, 5 Desember 2026" in result.stderr


def test_two_desks_closing_at_once_hand_off_each_complaint_once(db, clock, policy, taken) -> None:
    import threading
    from datetime import date

    from posko.services import handoff

    clock.advance(minutes=60)
    barrier = threading.Barrier(2)
    made: list[int] = []
    errors: list[BaseException] = []

    def close() -> None:
        try:
            with new_session(db.engine) as session:
                barrier.wait()
                batches, _ = handoff.close(
                    session, clock, policy, day=date(2026, 12, 1), officer=officer(session)
                )
                made.append(len(batches))
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(made) == [0, 3]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM handoff_item")).scalar_one() == 4
        events = "SELECT count(*) FROM status_event WHERE status = 'diserahkan'"
        assert conn.execute(text(events)).scalar_one() == 4
