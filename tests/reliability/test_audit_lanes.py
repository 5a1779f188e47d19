"""The audit trail in lanes: desks that write at once append to different chains,
and the anchors printed on paper still vouch for every lane.

An intake waiting for another desk's commit would take a second lane; here the
other desk is a connection holding lane 0's row, as a desk in the middle of its
commit does. Single-chain databases from before lanes verify as lane 0.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, text

from posko.core.clock import FixedClock
from posko.services import audit, intake
from posko.store import migrate
from posko.store.db import new_session
from tests import conftest
from tests.cli_helpers import posko
from tests.handoff.helpers import NOW
from tests.reliability.intake_worker import complaint
from tests.reliability.test_audit_record import _rewrite_chain


def _take(db: conftest.TestDatabase, number: int) -> str:
    clock, policy = FixedClock(conftest.SESSION_INSTANT), conftest.policy_from_repo()
    with new_session(db.engine) as session:
        taken = intake.take_complaint(
            session, clock, policy, officer_id="JP-AS1", data=complaint("lanes", number)
        )
    return taken.complaint.code


def _take_while_lane_0_is_held(db: conftest.TestDatabase, number: int) -> str:
    """Another desk holds lane 0 (mid-commit): this intake must not wait for it."""
    with db.engine.connect() as other:
        other.execute(text("SELECT head FROM audit_lane WHERE lane = 0 FOR UPDATE"))
        code = _take(db, number)
        other.rollback()
    return code


def _lanes(db: conftest.TestDatabase) -> dict[str, int]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT subject, lane FROM audit_event WHERE action = 'complaint.create'")
        )
        return {subject: lane for subject, lane in rows}


def _close(db: conftest.TestDatabase, tmp_path: Path) -> dict[str, object]:
    result = posko(
        "handoff", "close", "--out", str(tmp_path / "lists"), "--officer", "JP-AS1", "--json",
        db_url=db.url, now=NOW, env={"POSKO_PIN": "123456"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.json()


def _verify(db: conftest.TestDatabase, *extra: str):  # type: ignore[no-untyped-def]
    return posko("audit", "verify", "--json", *extra, db_url=db.url)


@pytest.fixture
def two_lanes(db: conftest.TestDatabase, tmp_path: Path) -> dict[str, object]:
    if db.backend == "sqlite":
        pytest.skip("SQLite lets one writer in at a time: its trail is the one lane 0")
    first = _take(db, 0)
    second = _take_while_lane_0_is_held(db, 1)
    closed = _close(db, tmp_path)
    return {"first": first, "second": second, "lists": tmp_path / "lists", **closed}


def test_a_desk_does_not_wait_for_another_desks_lane(db, two_lanes) -> None:
    lanes = _lanes(db)
    assert lanes[two_lanes["first"]] == 0
    assert lanes[two_lanes["second"]] == 1  # lane 0 was held: the next free lane
    report = _verify(db).json()
    assert report["ok"] and report["lanes"] == 2


def test_the_close_seals_every_lane_and_its_anchor_is_the_seal(db, two_lanes) -> None:
    with db.engine.connect() as connection:
        sealed = connection.execute(
            text("SELECT hash, seal FROM audit_event WHERE seal <> '' ORDER BY id")
        ).all()
        lane_1 = connection.execute(text("SELECT head FROM audit_lane WHERE lane = 1")).scalar()
    assert sealed, "the handoff batches and lists are sealed"
    assert [1, lane_1] in json.loads(sealed[-1].seal)  # names lane 1's head
    assert two_lanes["anchor"] == sealed[-1].hash
    assert _verify(db, "--anchor", two_lanes["anchor"]).exit_code == 0


def test_a_lane_rewritten_behind_a_seal_is_named(db, two_lanes) -> None:
    """Rewriting only lane 1 consistently (its events and head) leaves the seal in
    lane 0 naming a head lane 1 no longer holds."""
    with db.engine.begin() as connection:
        events = connection.execute(
            text("SELECT * FROM audit_event WHERE lane = 1 ORDER BY id")
        ).all()
        previous = audit.GENESIS
        for event in events:
            digest = audit.event_hash(
                previous, event.at, "JB-AS1", event.action, event.subject, event.detail,
                event.rows, event.seal,
            )  # fmt: skip
            connection.execute(
                text("UPDATE audit_event SET actor = 'JB-AS1', prev_hash = :p, hash = :h "
                     "WHERE id = :i"),
                {"p": previous, "h": digest, "i": event.id},
            )  # fmt: skip
            previous = digest
        connection.execute(text("UPDATE audit_lane SET head = :h WHERE lane = 1"), {"h": previous})
    result = _verify(db)
    report = result.json()
    assert result.exit_code == 1
    assert report["broken_kind"] == "sealed" and report["broken_lane"] == 1
    said = posko("audit", "verify", db_url=db.url)
    assert said.exit_code == 1
    assert "lane 1" in said.stdout or "jalur 1" in said.stdout


def test_every_lane_rewritten_is_caught_by_the_paper_anchor(db, two_lanes) -> None:
    with db.engine.connect() as connection:
        second = connection.execute(
            text("SELECT id FROM complaint WHERE code = :c"), {"c": two_lanes["second"]}
        ).scalar_one()
    _rewrite_chain(db, second)  # every lane and seal recomputed
    assert _verify(db).exit_code == 0  # the trail agrees with itself again...
    last_pdf = sorted(Path(two_lanes["lists"]).glob("*.pdf"))[-1]  # type: ignore[arg-type]
    for anchor in (str(last_pdf), two_lanes["anchor"]):
        result = _verify(db, "--anchor", anchor)
        assert result.exit_code == 1  # ...but not with what the paper says
        assert result.json()["anchor_found"] is False


def test_a_single_chain_from_before_lanes_still_verifies(empty_db) -> None:
    """Events written as one chain (head in the meta row) become lane 0, unchanged."""
    migrate.upgrade(empty_db.engine, "0004")
    # The table as it was then: no lane, no seal.
    old = Table(
        "audit_event", MetaData(), Column("id", Integer, primary_key=True),
        Column("at", audit._events_table.c.at.type),
        *(Column(name, Text) for name in ("actor", "action", "subject", "detail", "rows",
                                          "prev_hash", "hash")),
    )  # fmt: skip
    at = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    previous, hashes = audit.GENESIS, []
    with empty_db.engine.begin() as connection:
        for number in range(3):
            detail = json.dumps({"n": number})
            digest = audit.event_hash(previous, at, "sistem", "test.old", "x", detail)
            connection.execute(
                old.insert().values(at=at, actor="sistem", action="test.old", subject="x",
                                    detail=detail, rows="", prev_hash=previous, hash=digest)
            )  # fmt: skip
            previous = digest
            hashes.append(digest)
        connection.execute(
            text("INSERT INTO meta (key, value) VALUES ('audit_head', :h)"), {"h": previous}
        )
    migrate.upgrade(empty_db.engine)
    with new_session(empty_db.engine) as session:
        checked = audit.verify(session, anchor=hashes[1])  # a hash printed back then
        assert checked.ok and checked.events == 3 and checked.anchor_found
        assert checked.head == hashes[-1] and checked.lanes == 1
        audit.record(session, FixedClock(at), actor="sistem", action="test.new")
        session.commit()  # appends to lane 0 after the old events
    with new_session(empty_db.engine) as session:
        again = audit.verify(session)
        assert again.ok and again.events == 4 and again.lanes == 1
    with empty_db.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT count(*) FROM meta WHERE key = 'audit_head'")).scalar()
            == 0
        )
