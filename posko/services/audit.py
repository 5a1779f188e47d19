"""The audit trail: append-only, hash-chained, and covering the record itself.

Each event's hash covers the one before it in its lane, so an event altered,
deleted or inserted directly in the database breaks its lane at that point.
Each event also carries the digests of the record rows its transaction wrote
(complaints, status events, handoff batches and items, the roster), so
`verify` can recompute every row's digest from the tables and name a row
changed, deleted or inserted outside Posko.

How a transaction reaches the trail. `record` only notes the event in the
session; the ORM rows a transaction adds, changes or deletes are noted by a
flush hook, and Core writes note theirs with `track`. When the transaction
commits, a before-commit hook takes a lane's head as its very last step,
appends the events with their rows and moves the head.

Why lanes, not one chain (issue 14). One chain has one head, and the head's
row lock is held until the transaction's commit has reached the disk: every
writer of every desk waits for every other's disk flush, one at a time, with
no group commit. On our PostgreSQL that capped eight desks near 140 intakes a
second with a p99 over 100 ms, however short the work before the lock. So the
trail is `LANES` chains. A writer takes the first lane no other transaction
holds (`FOR UPDATE SKIP LOCKED`): it never waits for another desk's commit,
and the commits of concurrent desks flush together. With one writer at a
time (one desk, the CLI, and always on SQLite, whose one write lock already
serialises writers) every event goes to lane 0 and the trail is the one chain
it always was; lanes appear as writers overlap.

Anchors. An anchor must vouch for the whole trail before it, not one lane.
The transactions that make what is printed on paper (`SEALED`: a handoff
batch, the handoff lists) are *sealed*: their first event also records the
head of every other lane at that moment (`seal`), inside its hash. So the
hash of a sealed event, or of any later event of its lane, covers its own
lane by the chain and every other lane up to the head it names. `verify`
checks each named head is still an event of its lane (else the break
`sealed`), and `--anchor HASH` that the hash is still an event of the trail.
Events from before lanes are lane 0 with their hashes unchanged; the paper
anchors printed then are still found.

A column added to a covered table later must be NULL on existing rows (NULL
columns are left out of a digest), or the rows' digests change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from sqlalchemy import Table, bindparam, event, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.store.models import (
    Absence,
    AuditEvent,
    AuditLane,
    Closure,
    Complaint,
    DutyAssignment,
    DutyOverride,
    DutySession,
    HandoffBatch,
    HandoffItem,
    Meta,
    StatusEvent,
)

GENESIS = "0" * 64
LANES = 16  # lanes made by migration 0010: more than the desks that ever write at once
# Actions whose events' hashes are printed as anchors: their transactions are sealed.
SEALED = frozenset({"handoff.batch", "handoff.lists"})
COVERAGE_KEY = "audit_covers_rows"  # set once the rows already there were digested

# The record the chain covers, by table name.
COVERED: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[attr-defined,misc,union-attr]
    for model in (
        Complaint,
        StatusEvent,
        HandoffBatch,
        HandoffItem,
        DutySession,
        DutyAssignment,
        DutyOverride,
        Absence,
        Closure,
    )
}
# Counted, not recorded: the queue counter moves with every number handed out;
# the numbers themselves are in the complaints.
NOT_DIGESTED = {"duty_session": frozenset({"queue_counter"})}
_COLUMNS = {
    name: tuple(c.name for c in table.columns if c.name not in NOT_DIGESTED.get(name, ()))
    for name, table in COVERED.items()
}

_PENDING = "posko.audit.events"
_ROWS = "posko.audit.rows"
_RANGES = "posko.audit.ranges"
_SEAL = "posko.audit.seal"
_ANCHOR = re.compile(r"\b[0-9a-f]{64}\b")
_events_table: Table = AuditEvent.__table__  # type: ignore[attr-defined]
_lanes: Table = AuditLane.__table__  # type: ignore[attr-defined]
# Built once: they run in every writing transaction. The first lane nobody
# holds; on SQLite (no row locks, one writer at a time) always lane 0.
_FREE_LANE = (
    core_select(_lanes.c.lane, _lanes.c.head)
    .order_by(_lanes.c.lane)
    .limit(1)
    .with_for_update(skip_locked=True)
)
# Every lane held (more writers at once than lanes): wait for lane 0.
_WAIT_LANE = core_select(_lanes.c.lane, _lanes.c.head).where(_lanes.c.lane == 0).with_for_update()
_NEW_LANE = insert(_lanes).values(lane=0, head=GENESIS)  # its row deleted outside Posko
_OTHER_HEADS = (
    core_select(_lanes.c.lane, _lanes.c.head)
    .where(_lanes.c.lane != bindparam("lane"), _lanes.c.head != GENESIS)
    .order_by(_lanes.c.lane)
)
_MOVE_HEAD = update(_lanes).where(_lanes.c.lane == bindparam("lane_id"))
_APPEND = insert(_events_table)


def _text(value: Any) -> Any:
    """A column value as the same JSON whether it comes from Python or the database."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def row_digest(table: str, values: Mapping[str, Any]) -> str:
    """SHA-256 of a covered row's columns (NULLs left out), as written or as read."""
    canonical = json.dumps(
        [
            table,
            [
                [name, _text(values[name])]
                for name in _COLUMNS[table]
                if values.get(name) is not None
            ],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hashed_fields(
    at: datetime, actor: str, action: str, subject: str, detail: str, rows: str, seal: str
) -> list[str]:
    """What an event's hash covers after the previous hash."""
    fields = [
        # In UTC whatever the session's time zone, so a reader gets the same text.
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor,
        action,
        subject,
        detail,
    ]
    # Events from before the record was covered, and before seals, hash as they always did.
    if rows or seal:
        fields.append(rows)
    if seal:
        fields.append(seal)
    return fields


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: str,
    rows: str = "",
    seal: str = "",
) -> str:
    fields = [prev_hash, *_hashed_fields(at, actor, action, subject, detail, rows, seal)]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_tail(item: Mapping[str, Any], rows: str) -> str:
    """The canonical text `event_hash` hashes, less its start `["<previous hash>",`:
    for hashing in the database, where only the database knows the lane's head."""
    fields = _hashed_fields(
        item["at"], item["actor"], item["action"], item["subject"], item["detail"], rows, ""
    )
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:]


# -- writing -------------------------------------------------------------------


def _detail_text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record(
    session: Session,
    clock: Clock,
    *,
    actor: str,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Note an event in the caller's transaction; it joins the chain when the caller commits."""
    text = _detail_text(detail or {})
    if action in SEALED:
        session.info[_SEAL] = True
    session.info.setdefault(_PENDING, []).append(
        {"at": clock.now(), "actor": actor, "action": action, "subject": subject, "detail": text}
    )


def track(session: Session, table: str, row_id: int, values: Mapping[str, Any] | None) -> None:
    """Note a covered row written by a Core statement (`values` None: deleted).

    ORM writes are noted by the flush hook below; a Core INSERT, UPDATE or
    DELETE of a covered table must call this with the row as written.
    """
    session.info.setdefault(_ROWS, {})[(table, row_id)] = _noted(table, values)


def _noted(table: str, values: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """A covered row as its event notes it: its digest (None: deleted) and, for a
    complaint, its tracking code, so a deleted complaint is named by it."""
    digest = None if values is None else row_digest(table, values)
    label = values.get("code") if table == "complaint" and values is not None else None
    return digest, label


def track_range(session: Session, table: str, first: int, last: int, count: int) -> None:
    """Note a bulk load of a training database by id range and count, without digests."""
    session.info.setdefault(_RANGES, []).append([table, first, last, count])


def anchor(session: Session) -> str:
    """The hash to note on paper now: the last sealed event's, which covers every
    lane up to it (before lanes and seals: the last event's, the chain's head)."""
    found = session.exec(
        select(AuditEvent.hash).where(AuditEvent.seal != "").order_by(col(AuditEvent.id).desc())
    ).first()
    if found is None:
        found = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc())).first()
    return found or GENESIS


def batch_anchor(session: Session, label: str) -> str:
    """The hash of the event that made a handoff batch: the anchor printed on its list.

    Stable, so the list printed again shows the same anchor; its transaction
    is sealed, so a rewrite of any lane up to that event makes the hash
    disappear from the trail.
    """
    found = session.exec(
        select(AuditEvent.hash)
        .where(AuditEvent.action == "handoff.batch", AuditEvent.subject == label)
        .order_by(col(AuditEvent.id).desc())
    ).first()
    return found or anchor(session)


def _orm_values(instance: Any, table: str) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in _COLUMNS[table]}


@event.listens_for(OrmSession, "after_flush")
def _note_flushed_rows(session: OrmSession, _context: Any) -> None:
    """Every covered ORM row added, changed or deleted, as the flush wrote it."""
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table not in COVERED:
            continue
        assert isinstance(table, str)
        if instance in session.deleted:
            track(session, table, instance.id, None)  # type: ignore[arg-type]
        elif instance in session.new or session.is_modified(instance):
            track(session, table, instance.id, _orm_values(instance, table))  # type: ignore[arg-type]


@event.listens_for(OrmSession, "before_commit")
def _append_to_chain(session: OrmSession) -> None:
    session.flush()
    write_pending(session)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    for key in (_PENDING, _ROWS, _RANGES, _SEAL):
        session.info.pop(key, None)


def write_pending(session: OrmSession) -> None:
    """Append the transaction's events to a free lane, with its rows on the last, and
    move that lane's head.

    The lane's row lock is the last lock the transaction takes, held until the
    commit that follows at once; another writer meanwhile takes another lane.
    """
    events = session.info.pop(_PENDING, [])
    rows = session.info.pop(_ROWS, {})
    ranges = session.info.pop(_RANGES, [])
    sealed = session.info.pop(_SEAL, False)
    if not events and not rows and not ranges:
        return
    if not events:
        # A covered row written without an event of its own still enters the
        # chain; no clock was handed in, so the writer's wall clock dates it.
        events = [{"at": datetime.now(UTC), "actor": "sistem", "action": "record.write",
                   "subject": "", "detail": "{}"}]  # fmt: skip
    entries = _entries(rows)
    entries += [[table, [first, last], count] for table, first, last, count in ranges]
    connection = session.connection()
    taken = connection.execute(_FREE_LANE).first() or connection.execute(_WAIT_LANE).first()
    if taken is None:
        connection.execute(_NEW_LANE)
        lane, previous = 0, GENESIS
    else:
        lane, previous = taken
    seal = ""
    if sealed:
        # Read after our own lane is locked: each head named is committed, so
        # it is an event of its lane written before this one (a smaller id).
        others = connection.execute(_OTHER_HEADS, {"lane": lane}).all()
        seal = json.dumps([[other, digest] for other, digest in others], separators=(",", ":"))
    values = []
    for index, item in enumerate(events):
        text = ""
        if index == len(events) - 1 and entries:
            text = _rows_text(entries)
        mark = seal if index == 0 else ""
        digest = event_hash(
            previous, item["at"], item["actor"], item["action"], item["subject"],
            item["detail"], text, mark,
        )  # fmt: skip
        values.append(
            {**item, "rows": text, "seal": mark, "lane": lane, "prev_hash": previous,
             "hash": digest}
        )  # fmt: skip
        previous = digest
    connection.execute(_APPEND, values)
    connection.execute(_MOVE_HEAD, {"lane_id": lane, "head": previous})


def _entries(rows: Mapping[tuple[str, int], tuple[str | None, str | None]]) -> list[list[Any]]:
    return [
        [table, row_id, digest] + ([label] if label else [])
        for (table, row_id), (digest, label) in rows.items()
    ]


def _rows_text(entries: list[list[Any]]) -> str:
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


# -- one event inside another statement (PostgreSQL) ----------------------------
# A writer that makes its rows with one statement (the desk's intake) appends
# its one event in that statement too: the lane is locked first, so the rows
# are written only if a lane is; the database hashes the event after the lane's
# head, which only it knows at that moment, from the canonical text Python
# made (`_hash_tail`), so `verify` recomputes the very same hash.


# The first lane no other transaction holds, locked; lane 0, waited for, if all are.
LANE_IN_STATEMENT = (
    "lane AS (SELECT lane, head FROM audit_lane WHERE lane = coalesce("
    "(SELECT lane FROM audit_lane ORDER BY lane LIMIT 1 FOR UPDATE SKIP LOCKED), 0) FOR UPDATE)"
)


def append_in_statement(after: str) -> str:
    """CTEs appending one event to `lane` once the CTE `after` has its row, and
    moving the lane's head (`moved` yields the lane written to); their values come
    from `in_statement_params`."""
    return (
        "appended AS (INSERT INTO audit_event "
        "(at, actor, action, subject, detail, rows, seal, lane, prev_hash, hash) "
        "SELECT e.at, e.actor, e.action, e.subject, e.detail, e.rows, '', lane.lane, "
        "lane.head, encode(sha256(convert_to("
        "'[\"' || lane.head || '\",' || CAST(:audit_tail AS text), 'UTF8')), 'hex') "
        f"FROM lane, {after}, json_populate_record(NULL::audit_event, "
        "CAST(:audit_event AS json)) AS e RETURNING lane, hash), "
        "moved AS (UPDATE audit_lane SET head = appended.hash FROM appended "
        "WHERE audit_lane.lane = appended.lane RETURNING audit_lane.lane)"
    )


def in_statement_params(
    clock: Clock,
    *,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any],
    rows: Mapping[tuple[str, int], Mapping[str, Any]],
) -> dict[str, Any]:
    """The bound values of `append_in_statement`: the event, and the rows it covers
    (table and id: the row as written)."""
    text = _rows_text(_entries({key: _noted(key[0], values) for key, values in rows.items()}))
    item = {"at": clock.now(), "actor": actor, "action": action, "subject": subject,
            "detail": _detail_text(detail)}  # fmt: skip
    return {"audit_event": row_json({**item, "rows": text}), "audit_tail": _hash_tail(item, text)}


def row_json(values: Mapping[str, Any]) -> str:
    """A row as JSON for `json_populate_record`: the database reads back exactly
    these values (instants with their offset and microseconds, floats by repr)."""
    return json.dumps(values, ensure_ascii=False, default=_text)


# -- verifying ------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place where the trail does not hold."""

    event_id: int | None  # None: a lane's recorded head is wrong
    kind: str  # altered / linked / head / sealed
    previous_id: int | None = None  # the event before it in its lane
    lane: int = 0


@dataclass(frozen=True)
class RowProblem:
    """A covered row that differs from what the chain says Posko wrote."""

    table: str
    row_id: int
    kind: str  # changed / deleted / inserted
    label: str = ""  # a complaint's tracking code, when known


@dataclass(frozen=True)
class Verification:
    events: int
    head: str  # the last event's hash: noted, `--anchor` finds it later
    broken: Break | None
    rows: tuple[RowProblem, ...] = ()
    anchor: str | None = None  # the anchor checked, if one was given
    anchor_found: bool | None = None
    lanes: int = 1  # lanes holding events

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.rows and self.anchor_found is not False


@dataclass
class _Expected:
    rows: dict[tuple[str, int], tuple[str | None, str]] = field(default_factory=dict)
    ranges: dict[str, list[list[int]]] = field(default_factory=dict)  # [first, last, count]

    def add(self, text: str) -> None:
        for entry in json.loads(text):
            table = entry[0]
            if isinstance(entry[1], list):
                first, last = entry[1]
                self.ranges.setdefault(table, []).append([first, last, entry[2]])
            else:
                self.rows[(table, entry[1])] = (entry[2], entry[3] if len(entry) > 3 else "")


def _workbook_text(path: Path) -> str:
    from openpyxl import load_workbook  # ~100 ms to import; only this reads workbooks

    book = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    finally:
        book.close()


def anchor_from(value: str) -> str:
    """The anchor hash itself, or the one printed in a handoff list's PDF, XLSX or CSV."""
    text = value.strip().lower()
    if _ANCHOR.fullmatch(text):
        return text
    path = Path(value)
    if not path.is_file():
        raise InvalidInput("{value} is neither an anchor hash nor a file", value=value)
    try:
        if path.read_bytes()[:5] == b"%PDF-":
            from pypdf import PdfReader  # ~60 ms to import; only this reads PDFs

            reader = PdfReader(str(path))
            content = (reader.metadata or {}).get("/Subject", "") or ""
            content += "\n" + reader.pages[0].extract_text()
        elif path.suffix.lower() == ".xlsx":
            content = _workbook_text(path)
        else:
            content = path.read_text(encoding="utf-8-sig", errors="replace")
    except (OSError, ValueError, BadZipFile) as error:
        raise InvalidInput(
            "cannot read {path}: {error}", path=str(path), error=str(error)[:200]
        ) from None
    found = _ANCHOR.findall(content.lower())
    if not found:
        raise InvalidInput("{path} holds no audit anchor", path=str(path))
    return found[-1]


def verify(session: Session, *, anchor: str | None = None) -> Verification:
    """Recompute every lane's chain and the seals, then every covered row's digest.

    Breaks, first one only: `altered`: the event's content no longer gives its
    hash (edited, or a forged row). `linked`: the event is intact but does not
    follow the one before it in its lane (an event between them was deleted
    or inserted). `head`: every event holds but a lane's last is not its
    recorded head (events deleted at the end, or the head edited). `sealed`:
    an anchor's event names a head its lane no longer holds (that lane was
    rewritten before it). Rows, each named: `changed` (its digest is not the
    last one recorded), `deleted` (recorded, gone), `inserted` (present, never
    recorded). `anchor`: a hash noted earlier (on a handoff list) that must be
    one of the trail's events; a trail rewritten consistently from before it
    no longer holds it.
    """
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        # One snapshot for the events, the heads and the rows, while desks keep appending.
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    recorded = {
        lane: digest for lane, digest in session.execute(select(AuditLane.lane, AuditLane.head))
    }
    sealed = _sealed_heads(session)
    expected = _Expected()
    last: dict[int, tuple[str, int]] = {}  # each lane's last event so far: (hash, id)
    count, final = 0, GENESIS
    found = None if anchor is None else anchor == GENESIS
    broken: Break | None = None
    # Plain rows, not ORM objects: a long trail verifies several times faster.
    chain = session.execute(
        select(
            AuditEvent.id, AuditEvent.lane, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
            AuditEvent.subject, AuditEvent.detail, AuditEvent.rows, AuditEvent.seal,
            AuditEvent.prev_hash, AuditEvent.hash,
        )
        .order_by(col(AuditEvent.id))
        .execution_options(yield_per=5000)
    )  # fmt: skip
    for event_id, lane, at, actor, action, subject, detail, rows, seal, prev_hash, digest in chain:
        count += 1
        previous_hash, previous_id = last.get(lane, (GENESIS, None))
        if event_hash(prev_hash, at, actor, action, subject, detail, rows, seal) != digest:
            broken = Break(event_id, "altered", previous_id, lane)
            break
        if prev_hash != previous_hash:
            broken = Break(event_id, "linked", previous_id, lane)
            break
        if rows:
            expected.add(rows)
        if digest == anchor:
            found = True
        sealed.pop((lane, digest), None)
        last[lane], final = (digest, event_id), digest
    if broken is None:
        for lane in sorted(set(last) | {n for n, digest in recorded.items() if digest != GENESIS}):
            digest, event_id = last.get(lane, (GENESIS, None))
            if digest != recorded.get(lane, GENESIS):
                broken = Break(None, "head", event_id, lane)
                break
    if broken is None and sealed:
        (lane, _), sealing = min(sealed.items(), key=lambda item: item[1])
        broken = Break(sealing, "sealed", last.get(lane, (GENESIS, None))[1], lane)
    problems = () if broken is not None else tuple(_row_problems(session, expected))
    return Verification(count, final, broken, problems, anchor, found, len(last) or 1)


def _sealed_heads(session: Session) -> dict[tuple[int, str], int]:
    """(lane, head) named by each anchor's event, with the first event naming it.

    Read before the walk (sealed events are few); a seal edited outside Posko
    fails its event's hash in the walk whatever it names here.
    """
    named: dict[tuple[int, str], int] = {}
    for event_id, seal in session.execute(
        select(AuditEvent.id, AuditEvent.seal)
        .where(AuditEvent.seal != "")
        .order_by(col(AuditEvent.id))
    ):
        try:
            for lane, digest in json.loads(seal):
                named.setdefault((int(lane), str(digest)), event_id)
        except (ValueError, TypeError):
            continue
    return named


def _row_problems(session: Session, expected: _Expected) -> Iterable[RowProblem]:
    connection = session.connection()
    for name, table in COVERED.items():
        spans = expected.ranges.get(name, [])
        present = [0] * len(spans)  # rows found in each bulk-loaded range
        result = connection.execute(
            core_select(*(table.c[c] for c in _COLUMNS[name]))
            .order_by(table.c.id)
            .execution_options(yield_per=5000)
        )
        for row in result:
            values = row._mapping
            row_id = values["id"]
            label = values["code"] if name == "complaint" else ""
            span = next((i for i, s in enumerate(spans) if s[0] <= row_id <= s[1]), None)
            if span is not None:
                present[span] += 1
            wanted = expected.rows.pop((name, row_id), None)
            if wanted is None:
                if span is None:
                    yield RowProblem(name, row_id, "inserted", label)
            elif wanted[0] is None:
                yield RowProblem(name, row_id, "inserted", label)
            elif row_digest(name, values) != wanted[0]:
                yield RowProblem(name, row_id, "changed", label)
        for (first, last, count), found in zip(spans, present, strict=True):
            # Rows of a bulk load that Posko deleted later are recorded as deleted.
            deleted = sum(
                1
                for (table_name, row_id), (digest, _) in expected.rows.items()
                if table_name == name and digest is None and first <= row_id <= last
            )
            if found != count - deleted:
                yield RowProblem(name, first, "deleted", f"{first}-{last}")
    for (name, row_id), (digest, label) in sorted(expected.rows.items()):
        if digest is not None:
            yield RowProblem(name, row_id, "deleted", label)


def adopt_existing(session: Session, clock: Clock) -> int:
    """Once, after the upgrade that brought row digests: digest the rows already there.

    Rows written before are vouched for by this baseline event; from then on
    every change is in the chain as it happens.
    """
    if session.get(Meta, COVERAGE_KEY) is not None:
        return 0
    connection = session.connection()
    count = 0
    for name, table in COVERED.items():
        for row in connection.execute(core_select(*(table.c[c] for c in _COLUMNS[name]))):
            track(session, name, row.id, row._mapping)
            count += 1
    session.add(Meta(key=COVERAGE_KEY, value=clock.now().isoformat()))
    if count:
        record(session, clock, actor="sistem", action="audit.baseline", detail={"rows": count})
    return count
