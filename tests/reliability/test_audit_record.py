"""`posko audit verify` covers the record: complaints, status events, handoffs, the roster.

Someone with sqlite3 or psql changes, deletes or inserts a row; verify exits 1
naming it. Someone who also rewrites the whole chain consistently is caught by
the anchor printed on the last handoff list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from posko.services import audit
from tests import conftest
from tests.cli_helpers import posko
from tests.handoff.helpers import NOW
from tests.reliability.figures import FIGURES
from tests.reliability.intake_worker import complaint


@pytest.fixture
def closed(db: conftest.TestDatabase, tmp_path: Path) -> dict[str, object]:
    """Three complaints taken with the installed command, one status change, a handoff close."""
    codes = []
    for number, kota in enumerate(("31.71", "31.71", "31.72")):
        data = {**complaint("record", number), "location": {"kota": kota}}
        path = tmp_path / f"c{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = posko(
            "complaint", "add", "--officer", "JP-AS1", "--file", str(path), "--json",
            db_url=db.url, now="2026-12-01T08:20:00+07:00", env={"POSKO_PIN": "123456"},
        )  # fmt: skip
        assert result.exit_code == 0, result.stdout + result.stderr
        codes.append(result.json()["code"])
    lists = tmp_path / "lists"
    result = posko(
        "handoff", "close", "--out", str(lists), "--officer", "JP-AS1", "--json",
        db_url=db.url, now=NOW, env={"POSKO_PIN": "123456"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    return {"codes": codes, "lists": lists, "anchor": result.json()["anchor"]}


def _raw(db: conftest.TestDatabase, sql: str, **params: object) -> None:
    """What someone with sqlite3 or psql does: plain SQL, outside Posko."""
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def _scalar(db: conftest.TestDatabase, sql: str, **params: object) -> object:
    with db.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def _verify(db: conftest.TestDatabase, *extra: str):  # type: ignore[no-untyped-def]
    return posko("audit", "verify", *extra, db_url=db.url)


def test_every_write_of_a_desk_morning_verifies(db: conftest.TestDatabase, closed) -> None:
    """Intake, handoff batches and items, status events and the roster all in the chain."""
    result = _verify(db, "--json")
    assert result.exit_code == 0, result.stdout
    report = result.json()
    assert report["ok"] and report["rows"] == []
    assert report["head"] == closed["anchor"]
    covered = _scalar(db, "SELECT count(*) FROM audit_event WHERE rows <> ''")
    assert covered >= 4  # roster generate, three intakes, the close


def _complaint_id(db: conftest.TestDatabase, code: str) -> int:
    return int(_scalar(db, "SELECT id FROM complaint WHERE code = :c", c=code))  # type: ignore[arg-type]


def _delete_complaint(db: conftest.TestDatabase, complaint_id: int) -> None:
    for table in ("handoff_item", "status_event", "print_job"):
        _raw(db, f"DELETE FROM {table} WHERE complaint_id = :i", i=complaint_id)
    _raw(db, "DELETE FROM complaint WHERE id = :i", i=complaint_id)


FORGED_COMPLAINT = (
    "INSERT INTO complaint (id, code, site_code, officer_id, created_at, updated_at, status, "
    "category_code, description, anonymous, confidential, kota_code, priority, "
    "destination_region) SELECT id + 1000, 'PKB-FAKE-0000', site_code, officer_id, created_at, "
    "updated_at, 'selesai', category_code, description, anonymous, confidential, kota_code, "
    "priority, destination_region FROM complaint WHERE id = :i"
)
FORGED_EVENT = (
    "INSERT INTO status_event (id, complaint_id, status, at, officer_id, actor, note) "
    "SELECT id + 1000, complaint_id, 'selesai', at, officer_id, actor, 'palsu' "
    "FROM status_event WHERE complaint_id = :i"
)
FORGED_BATCH = (
    "INSERT INTO handoff_batch (id, session_id, region_code, number, created_at, created_by) "
    "SELECT id + 1000, session_id, region_code, number + 10, created_at, created_by "
    "FROM handoff_batch ORDER BY id LIMIT 1"
)


def _tamper(db: conftest.TestDatabase, change: str, complaint_id: int) -> tuple[str, str, int]:
    """Do the change; (table, kind, id) that verify must name."""
    if change == "complaint status updated":
        _raw(db, "UPDATE complaint SET status = 'ditolak' WHERE id = :i", i=complaint_id)
        return "complaint", "changed", complaint_id
    if change == "status event deleted":
        last = _scalar(
            db, "SELECT max(id) FROM status_event WHERE complaint_id = :i", i=complaint_id
        )
        _raw(db, "DELETE FROM status_event WHERE id = :i", i=last)
        return "status_event", "deleted", int(last)  # type: ignore[arg-type]
    if change == "complaint deleted":
        _delete_complaint(db, complaint_id)
        return "complaint", "deleted", complaint_id
    if change == "complaint forged":
        _raw(db, FORGED_COMPLAINT, i=complaint_id)
        return "complaint", "inserted", complaint_id + 1000
    if change == "status event forged":
        first = _scalar(
            db, "SELECT min(id) FROM status_event WHERE complaint_id = :i", i=complaint_id
        )
        _raw(db, FORGED_EVENT.replace("WHERE complaint_id = :i", "WHERE id = :i"), i=first)
        return "status_event", "inserted", int(first) + 1000  # type: ignore[arg-type]
    if change == "handoff batch forged":
        first = _scalar(db, "SELECT min(id) FROM handoff_batch")
        _raw(db, FORGED_BATCH)
        return "handoff_batch", "inserted", int(first) + 1000  # type: ignore[arg-type]
    if change == "handoff item acknowledged":
        _raw(
            db,
            "UPDATE handoff_item SET acknowledged_at = created_at FROM handoff_batch "
            "WHERE handoff_batch.id = handoff_item.batch_id AND complaint_id = :i",
            i=complaint_id,
        )
        item = _scalar(db, "SELECT id FROM handoff_item WHERE complaint_id = :i", i=complaint_id)
        return "handoff_item", "changed", int(item)  # type: ignore[arg-type]
    assert change == "roster officer swapped"
    row = _scalar(db, "SELECT min(id) FROM duty_assignment")
    _raw(db, "UPDATE duty_assignment SET officer_id = 'JP-AS2' WHERE id = :i", i=row)
    return "duty_assignment", "changed", int(row)  # type: ignore[arg-type]


CHANGES = [
    "complaint status updated",
    "status event deleted",
    "complaint deleted",
    "complaint forged",
    "status event forged",
    "handoff batch forged",
    "handoff item acknowledged",
    "roster officer swapped",
]


@pytest.mark.parametrize("change", CHANGES)
def test_verify_names_a_row_changed_outside_posko(
    db: conftest.TestDatabase, closed, change: str
) -> None:
    code = closed["codes"][0]  # type: ignore[index]
    table, kind, row_id = _tamper(db, change, _complaint_id(db, code))
    result = _verify(db, "--json")
    report = result.json()
    FIGURES.add(
        f"audit verify rows ({db.backend})",
        change + " by raw SQL",
        f"exit {result.exit_code}, "
        + "; ".join(f"{r['table']} {r['id']} {r['kind']}" for r in report["rows"]),
    )
    assert result.exit_code == 1
    assert report["broken_kind"] is None  # the chain itself is intact: the rows are not
    assert {"table": table, "id": row_id, "kind": kind} in [
        {k: r[k] for k in ("table", "id", "kind")} for r in report["rows"]
    ]
    said = _verify(db)
    assert said.exit_code == 1
    assert f"{table} " in said.stdout
    if table == "complaint" and kind != "inserted":
        assert code in said.stdout  # named by its tracking code, even when deleted
    elif table == "complaint":
        assert "PKB-FAKE-0000" in said.stdout
    else:
        assert str(row_id) in said.stdout


def _rewrite_chain(db: conftest.TestDatabase, complaint_id: int) -> None:
    """An attacker with the database and the code: change a complaint, then recompute
    every row digest of it, every event hash after it in each lane (and the heads
    the anchors' seals name), and move every lane's head."""
    _raw(db, "UPDATE complaint SET status = 'ditolak' WHERE id = :i", i=complaint_id)
    columns = audit._COLUMNS["complaint"]
    events_table, lanes_table = audit._events_table, audit._lanes
    with db.engine.begin() as connection:
        row = connection.execute(
            audit.COVERED["complaint"]
            .select()
            .where(audit.COVERED["complaint"].c.id == complaint_id)
        ).one()
        forged = audit.row_digest("complaint", {c: row._mapping[c] for c in columns})
        previous: dict[int, str] = {}
        renamed: dict[str, str] = {}  # old hash -> rewritten hash
        events = connection.execute(events_table.select().order_by(events_table.c.id)).all()
        for event in events:
            rows = event.rows
            if rows:
                entries = json.loads(rows)
                for entry in entries:
                    if entry[0] == "complaint" and entry[1] == complaint_id:
                        entry[2] = forged
                rows = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
            seal = event.seal
            if seal:
                named = [[lane, renamed.get(head, head)] for lane, head in json.loads(seal)]
                seal = json.dumps(named, separators=(",", ":"))
            prev = previous.get(event.lane, audit.GENESIS)
            digest = audit.event_hash(
                prev, event.at, event.actor, event.action, event.subject, event.detail,
                rows, seal,
            )  # fmt: skip
            connection.execute(
                events_table.update()
                .where(events_table.c.id == event.id)
                .values(rows=rows, seal=seal, prev_hash=prev, hash=digest)
            )
            renamed[event.hash] = digest
            previous[event.lane] = digest
        for lane, head in previous.items():
            connection.execute(
                lanes_table.update().where(lanes_table.c.lane == lane).values(head=head)
            )


def test_a_consistent_rewrite_is_caught_by_the_anchor_on_the_last_handoff_list(
    db: conftest.TestDatabase, closed
) -> None:
    lists: Path = closed["lists"]  # type: ignore[assignment]
    last_pdf = sorted(lists.glob("*.pdf"))[-1]
    last_csv = sorted(lists.glob("*.csv"))[-1]
    last_xlsx = sorted(lists.glob("*.xlsx"))[-1]
    for anchor in (str(last_pdf), str(last_csv), str(last_xlsx), closed["anchor"]):
        before = _verify(db, "--anchor", anchor)
        assert before.exit_code == 0, before.stdout + before.stderr

    _rewrite_chain(db, _complaint_id(db, closed["codes"][0]))  # type: ignore[index]
    alone = _verify(db, "--json")
    assert alone.exit_code == 0, alone.stdout  # the chain and the rows agree again...
    for anchor in (str(last_pdf), str(last_csv), str(last_xlsx)):
        result = _verify(db, "--anchor", anchor, "--json")
        FIGURES.add(
            f"audit verify anchor ({db.backend})",
            f"chain rewritten, anchor from {Path(anchor).suffix}",
            f"exit {result.exit_code}",
        )
        assert result.exit_code == 1  # ...but no longer hold what the paper says
        assert result.json()["anchor_found"] is False
    said = _verify(db, "--anchor", str(last_pdf))
    assert "rewritten" in said.stdout or "ditulis ulang" in said.stdout


def test_an_anchor_that_is_not_a_hash_or_a_list_is_a_clear_error(
    db: conftest.TestDatabase, tmp_path: Path
) -> None:
    empty = tmp_path / "note.txt"
    empty.write_text("nothing here", encoding="utf-8")
    broken = tmp_path / "daftar.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    for value in ("not-a-hash", str(empty), str(broken)):
        result = _verify(db, "--anchor", value)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
