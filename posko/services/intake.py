"""Taking the complaint of a walk-in citizen at the desk.

The path a citizen waits on, so it is written for speed (issue 14: under a
millisecond on SQLite) without giving up a rule, an event or the audit:

- One read answers every question before the writes: today's session, the
  officer, their assignment or a coordinator's override, the held queue
  number, and the clock check's reference (PostgreSQL's clock, or SQLite's
  last audit event), and the CRM-push flag (read fresh, never cached: another
  process may turn it on or off while the kiosk runs, and a scalar subquery
  in a read we make anyway costs nothing). Reference data and the training
  flag are cached per engine.
  When the answer is "no", the desk's own functions (`duty`, `queue`) run
  again to say exactly why, so a refusal reads as it always did.
- The writes come after validation and the read, in the order that keeps
  the locks short. The queue counter (a row every desk of the session
  shares) first, in a transaction of its own on PostgreSQL (`_next_number`
  says why that is safe). Then, on PostgreSQL, everything else in one
  statement (`_one_statement`): an audit lane no other desk holds, the
  visit, the complaint, its status event and the audit event — one
  transaction, one round trip, no BEGIN or COMMIT of its own, so desks
  never wait for each other's commit. The read draws the rows' ids, so the
  audit digests them before they exist, and the read, the counter and the
  write are prepared on the server once per connection (planning them was
  half the server's work). The intake is then four round trips, as many
  as one bare ORM insert with its commit.
  On SQLite (in-process: no round trips to save), and on PostgreSQL when
  the CRM push adds an outbox row or no lane can be had, the same rows go
  through the session's transaction, audited at its commit
  (`audit.write_pending`, the lane's head taken last).
- Adding a column: put it in `_complaint_values` (and the model/migration);
  the audit digest takes every column of the row as written, and
  `_one_statement` inserts every column. Adding a row in the same
  transaction: add it to both writers (`_one_statement`, `_write_in_session`)
  and, if its table is in `audit.COVERED`, to the rows the audit digests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import (
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal,
    null,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session, col

from posko.core.clock import Clock
from posko.core.complaint_input import ComplaintInput, validate_complaint
from posko.core.lifecycle import Status
from posko.core.schedule import Phase, SchedulePolicy, local_date, phase_at, session_window
from posko.core.tracking import new_code
from posko.services import audit, clockcheck, duty, outbox, queue, reference
from posko.services.complaints import to_view
from posko.services.views import ComplaintView
from posko.store.db import PREPARED
from posko.store.models import (
    AuditEvent,
    Complaint,
    DutyAssignment,
    DutyOverride,
    DutySession,
    Meta,
    Officer,
    StatusEvent,
    Visit,
)

_complaint: Table = Complaint.__table__  # type: ignore[attr-defined]
_event: Table = StatusEvent.__table__  # type: ignore[attr-defined]
_visit: Table = Visit.__table__  # type: ignore[attr-defined]
_session: Table = DutySession.__table__  # type: ignore[attr-defined]
# The writes, built once. A new complaint skips a tracking code already taken
# (one in 34 billion) by the UNIQUE index, instead of a look-up before each insert.
_NEXT_NUMBER = (
    update(_session)
    .where(_session.c.id == bindparam("session_id"))
    .values(queue_counter=_session.c.queue_counter + 1)
    .returning(_session.c.queue_counter)
)
# The same on PostgreSQL in a transaction of its own that does not wait for the
# disk: `set_config(..., true)` is SET LOCAL inside the statement, so on an
# autocommit connection the counter is one round trip (`_next_number`).
_NEXT_NUMBER_UNFLUSHED = (
    update(_session)
    .where(
        _session.c.id == bindparam("session_id"),
        func.set_config("synchronous_commit", "off", True).is_not(None),
    )
    .values(queue_counter=_session.c.queue_counter + 1)
    .returning(_session.c.queue_counter)
    .execution_options(**PREPARED)
)
_NEW_VISIT = _visit.insert().returning(_visit.c.id)
_SERVE_VISIT = (
    update(_visit)
    .where(_visit.c.id == bindparam("visit_id"))
    .values(state="served", finished_at=bindparam("now"), desk=bindparam("desk"))
)
_NEW_COMPLAINT = {
    name: dialect.insert(_complaint)
    .on_conflict_do_nothing(index_elements=["code"])
    .returning(_complaint.c.id)
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql))
}
_NEW_EVENT = _event.insert().returning(_event.c.id)
_VISIT_COLUMNS = ("id", "session_id", "number", "priority", "state", "issued_at", "called_at",
                  "finished_at", "desk", "calls")  # fmt: skip
_CODE_TAKEN = "uq_complaint_code"  # the UNIQUE constraint on the tracking code


@dataclass(frozen=True)
class Intake:
    complaint: ComplaintView
    destination_name: str  # the regional office that must follow it up


def validate(
    session: Session, clock: Clock, policy: SchedulePolicy, data: object
) -> ComplaintInput:
    """The same rules the form's validators use, for a whole complaint."""
    return validate_complaint(
        data,
        regions=reference.regions(session),
        categories=set(reference.categories(session)),
        provinces=reference.provinces(),
        today=local_date(policy, clock.now()),
    )


@dataclass(frozen=True)
class _Desk:
    """What the one read found: the session open for this officer, and a held number."""

    session_id: int
    ends_at: datetime
    desk: str | None
    visit_id: int | None  # the held queue number's visit, when one was given and is fit
    visit_number: int | None
    visit_priority: bool
    crm_push: bool  # whether new complaints are queued for the province's CRM
    new_ids: tuple[int | None, int | None, int | None]  # visit, complaint, event (PostgreSQL)


@cache
def _desk_query(
    *, postgres: bool, server_clock: bool, last_event_clock: bool, holds: bool
) -> Select[Any]:
    """The one read, built once per kind of database and intake (then compiled once
    by SQLAlchemy's cache); officer, site, day and number are bound parameters.
    On PostgreSQL it also draws the ids of the rows to write (a refused intake
    leaves gaps nobody sees), so the audit can digest the rows before they exist."""
    ds = _session
    officer_id: Any = bindparam("officer_id")
    assignment = select(col(DutyAssignment.desk)).where(
        DutyAssignment.session_id == ds.c.id, DutyAssignment.officer_id == officer_id
    )
    override = select(literal(1)).where(
        DutyOverride.session_id == ds.c.id, DutyOverride.officer_id == officer_id
    )
    last_event = select(AuditEvent.at).order_by(col(AuditEvent.id).desc()).limit(1)
    crm_push = select(Meta.value).where(Meta.key == outbox.CRM_KEY)
    visit_on = and_(_visit.c.session_id == ds.c.id, _visit.c.number == bindparam("number"))
    # The serial columns' sequences, as the migrations name them.
    ids = [
        (func.nextval(f"{table.name}_id_seq") if postgres else null()).label(f"new_{table.name}")
        for table in (_visit, _complaint, _event)
    ]
    return (
        select(
            ds.c.id,
            ds.c.ends_at,
            ds.c.closed_at,
            Officer.active,
            assignment.scalar_subquery().label("desk"),
            override.exists().label("override"),
            _visit.c.id.label("visit_id"),
            _visit.c.number,
            _visit.c.priority,
            _visit.c.state,
            _visit.c.issued_at,
            (func.clock_timestamp() if server_clock else null()).label("server_time"),
            (last_event.scalar_subquery() if last_event_clock else null()).label("last_event"),
            crm_push.scalar_subquery().label("crm_push"),
            *ids,
        )
        .select_from(ds)
        .outerjoin(Officer, col(Officer.id) == officer_id)
        .outerjoin(_visit, visit_on if holds else literal(False))
        .where(ds.c.site_code == bindparam("site"), ds.c.day == bindparam("day"))
        .execution_options(**PREPARED)
    )


def _read_desk(
    connection: Connection,
    clock: Clock,
    policy: SchedulePolicy,
    today: date,
    officer_id: str,
    queue_number: int | None,
    *,
    training: bool,
) -> tuple[Any, clockcheck.ClockCheck | None]:
    """Today's session with this officer's duty, a held visit and the clock's reference."""
    postgres = connection.dialect.name == "postgresql"
    query = _desk_query(
        postgres=postgres,
        server_clock=postgres and not clock.simulated,
        last_event_clock=not postgres and not training and not clock.simulated,
        holds=queue_number is not None,
    )
    row = connection.execute(
        query,
        {"officer_id": officer_id, "site": policy.site_code, "day": today, "number": queue_number},
    ).first()
    if row is None:
        return None, None
    return row, clockcheck.judge(clock, row.server_time, row.last_event)


def _desk_now(
    session: Session,
    connection: Connection,
    clock: Clock,
    policy: SchedulePolicy,
    officer_id: str,
    queue_number: int | None,
) -> _Desk:
    """The session and desk this intake happens in, or the refusal that says why not."""
    now = clock.now()
    today = local_date(policy, now)
    training = reference.training(session)
    row, verdict = _read_desk(
        connection, clock, policy, today, officer_id, queue_number, training=training
    )
    if row is None:
        clockcheck.require_clock_ok(session, clock)  # no session today: the clock comes first
    else:
        assert verdict is not None
        clockcheck.require(verdict)
    phase = (
        phase_at(session_window(policy, today), now, closed=row.closed_at is not None)
        if row is not None
        else None
    )
    holds = queue_number is not None
    on_duty = row is not None and row.active and (row.desk is not None or row.override)
    allowed = phase is Phase.OPEN or (phase is Phase.GRACE and holds)
    fit_visit = (
        row is not None and row.visit_id is not None and row.state not in ("served", "no_show")
    )
    if not (allowed and on_duty and (fit_visit or not holds)):
        # Refused: let the desk's rules say why, in their own words.
        state = duty.desk_state(session, clock, policy, when_open_next=False)
        duty_session = duty.require_open(state, holds_queue_number=holds)
        duty.require_on_duty(session, duty_session, officer_id)
        if holds:
            assert queue_number is not None
            queue.find_visit(session, duty_session, queue_number)
        raise AssertionError("the one read and the desk's rules disagree")  # pragma: no cover
    keep_visit = fit_visit and row.issued_at < row.ends_at  # guards hand-edited data
    return _Desk(
        row.id,
        row.ends_at,
        row.desk or None,
        row.visit_id if keep_visit else None,
        row.number if keep_visit else None,
        bool(row.priority) if keep_visit else False,
        row.crm_push == "1",
        (row.new_visit, row.new_complaint, row.new_status_event),
    )


def _complaint_values(
    checked: ComplaintInput, desk: _Desk, policy: SchedulePolicy, officer_id: str,
    now: datetime, visit_id: int, number: int, priority: bool, destination: str,
) -> dict[str, Any]:  # fmt: skip
    reporter, location = checked.reporter, checked.location
    return {
        "site_code": policy.site_code,
        "session_id": desk.session_id,
        "visit_id": visit_id,
        "queue_number": number,
        "desk": desk.desk,
        "officer_id": officer_id,
        "created_at": now,
        "updated_at": now,
        "status": Status.DITERIMA.value,
        "category_code": checked.category,
        "description": checked.description,
        "reporter_name": reporter.name,
        "reporter_nik": reporter.nik,
        "reporter_phone": reporter.phone,
        "reporter_email": reporter.email,
        "reporter_address": reporter.address,
        "anonymous": reporter.anonymous,
        "confidential": reporter.confidential,
        "kota_code": location.kota,
        "kecamatan_code": location.kecamatan,
        "kelurahan_code": location.kelurahan,
        "location_address": location.address,
        "lat": location.lat,
        "lon": location.lon,
        "priority": checked.priority or priority,
        "destination_region": destination,
        "duplicate_of_id": None,
        "identity_erased_at": None,
        "contact_channel": checked.contact_channel,
        "consent_at": now if checked.contact_channel else None,
        "consent_withdrawn_at": None,
        "channel": None,  # a walk-in at the site's own desk
    }


def _insert_complaint(connection: Connection, values: dict[str, Any], prefix: str) -> int:
    """Insert under a fresh tracking code, drawing again if it is taken."""
    statement = _NEW_COMPLAINT[connection.dialect.name]
    while True:
        values["code"] = new_code(prefix)
        complaint_id = connection.execute(statement, _known_id(values)).scalar()
        if complaint_id is not None:
            values["id"] = complaint_id
            return cast(int, complaint_id)


def _known_id(values: dict[str, Any]) -> dict[str, Any]:
    """The row to insert, its id left to the database unless drawn already."""
    if values.get("id") is None:
        return {name: value for name, value in values.items() if name != "id"}
    return values


def _unused_code(session: Session, prefix: str) -> str:
    """A tracking code no complaint has (the ORM path: partners' requests)."""
    while True:
        code = new_code(prefix)
        if session.scalar(select(_complaint.c.id).where(_complaint.c.code == code)) is None:
            return code


def _next_number(connection: Connection, session_id: int) -> int:
    """The session's next queue number, from the counter row every desk shares.

    On PostgreSQL `connection` is the intake's autocommit connection: the
    UPDATE is a transaction of its own, committed at once without waiting for
    the disk (synchronous_commit off), so the shared row is locked for one
    statement instead of the whole intake and eight desks do not queue behind
    each other. Still never a number twice: the intake's own commit waits for
    the log to reach the disk up to its commit record, which comes after this
    one, so a complaint that survives a crash has its counter too. A number
    drawn by an intake that then fails is skipped (a gap in the day's numbers,
    as a torn-off ticket nobody took).
    On SQLite the whole intake already holds the database's one write lock
    from BEGIN IMMEDIATE: the counter goes in the same transaction.
    """
    postgres = connection.dialect.name == "postgresql"
    statement = _NEXT_NUMBER_UNFLUSHED if postgres else _NEXT_NUMBER
    return cast(int, connection.execute(statement, {"session_id": session_id}).scalar_one())


@contextmanager
def _reading_connection(session: Session) -> Iterator[Connection]:
    """Where the intake reads and draws its number: on PostgreSQL a pooled
    connection in autocommit (each statement its own transaction, without BEGIN
    and COMMIT round trips); on SQLite the session's own, whose transaction
    holds the one write lock from BEGIN IMMEDIATE."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "postgresql":
        yield session.connection()
        return
    with engine.connect() as connection:
        # The connection goes back to the pool as it came.
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def _insert_after(table: Table, names: Sequence[str], after: str) -> str:
    """A CTE inserting the row bound as JSON to `:<table>`, only if `after` has its row."""
    return (
        f"{table.name} AS (INSERT INTO {table.name} ({', '.join(names)}) "
        f"SELECT {', '.join(f'r.{name}' for name in names)} FROM {after}, "
        f"json_populate_record(NULL::{table.name}, CAST(:{table.name} AS json)) AS r "
        "RETURNING id)"
    )


@cache
def _one_statement(*, holds: bool) -> TextClause:
    """(PostgreSQL) The intake's writes as one statement, so one transaction in one
    round trip: an audit lane locked first, then the visit (a new one, or the held
    one served), the complaint, its status event, and the audit event with the
    lane's head moved. Each part is written only if the one before it was, so
    nothing is stored without its audit event. No row comes back when no lane
    can be had (its row deleted outside Posko): the caller then writes the
    intake the ordinary way, which makes the lane again. Rows travel as JSON,
    one parameter each: a short statement with few parameters, which psycopg
    converts once and caches."""
    if holds:
        visit = (
            "visit AS (UPDATE visit SET state = 'served', finished_at = r.finished_at, "
            "desk = r.desk FROM lane, json_populate_record(NULL::visit, CAST(:visit AS json)) "
            "AS r WHERE visit.id = r.id RETURNING visit.id)"
        )
    else:
        visit = _insert_after(_visit, _VISIT_COLUMNS, "lane")
    parts = [
        audit.LANE_IN_STATEMENT,
        visit,
        _insert_after(_complaint, [c.name for c in _complaint.columns], "visit"),
        _insert_after(_event, [c.name for c in _event.columns], "complaint"),
        audit.append_in_statement("status_event"),
    ]
    statement = text("WITH " + ", ".join(parts) + " SELECT lane FROM moved")
    return statement.execution_options(**PREPARED)


@dataclass
class _Writes:
    """What an intake writes: the visit (new, or the held one's served fields), the
    complaint and its status event as rows, and its audit event's detail."""

    prefix: str  # of the tracking code
    visit: dict[str, Any]
    complaint: dict[str, Any]
    event: dict[str, Any]
    detail: dict[str, Any]


def _write_at_once(connection: Connection, clock: Clock, writes: _Writes) -> bool:
    """The intake's rows and audit event in `_one_statement`; False if no lane was had."""
    visit, values, event = writes.visit, writes.complaint, writes.event
    statement = _one_statement(holds="number" not in visit)
    while True:
        values["code"] = new_code(writes.prefix)
        params = {
            "visit": audit.row_json(visit),
            "complaint": audit.row_json(values),
            "status_event": audit.row_json(event),
            **audit.in_statement_params(
                clock, actor=values["officer_id"], action="complaint.create",
                subject=values["code"], detail=writes.detail,
                rows={("complaint", values["id"]): values, ("status_event", event["id"]): event},
            ),
        }  # fmt: skip
        try:
            return connection.execute(statement, params).first() is not None
        except IntegrityError as error:
            # A tracking code already taken (one in 34 billion): draw again.
            if getattr(getattr(error.orig, "diag", None), "constraint_name", "") != _CODE_TAKEN:
                raise


def _write_in_session(session: Session, clock: Clock, writes: _Writes, *, crm_push: bool) -> None:
    """The intake's rows in the session's transaction, audited at its commit (an
    audit lane taken then, last)."""
    visit, values, event = writes.visit, writes.complaint, writes.event
    connection = session.connection()
    if "number" in visit:
        values["visit_id"] = connection.execute(_NEW_VISIT, _known_id(visit)).scalar_one()
    else:
        connection.execute(
            _SERVE_VISIT,
            {"visit_id": visit["id"], "now": visit["finished_at"], "desk": visit["desk"]},
        )
    event["complaint_id"] = _insert_complaint(connection, values, writes.prefix)
    event["id"] = connection.execute(_NEW_EVENT, _known_id(event)).scalar_one()
    audit.track(session, "complaint", values["id"], values)
    audit.track(session, "status_event", event["id"], event)
    if crm_push:
        outbox.queue_new(
            session,
            clock,
            cast(Complaint, SimpleNamespace(**values)),
            cast(StatusEvent, SimpleNamespace(**event)),
        )
    audit.record(
        session,
        clock,
        actor=values["officer_id"],
        action="complaint.create",
        subject=values["code"],
        detail=writes.detail,
    )


def take_complaint(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    officer_id: str,
    data: object,
    queue_number: int | None = None,
) -> Intake:
    """Validate, route and store a complaint with its first status and audit events.

    Refuses (DutyRefused) when the desk is closed or the officer is not on duty,
    and (ValidationFailed) naming every bad field; either way nothing is written.
    """
    try:
        with _reading_connection(session) as connection:
            desk = _desk_now(session, connection, clock, policy, officer_id, queue_number)
            checked = validate(session, clock, policy, data)
            kota = reference.regions(session).kota_of(checked.location.kota)
            assert kota is not None  # validation guarantees a kota
            now = clock.now()
            visit_id, complaint_id, event_id = desk.new_ids  # drawn on PostgreSQL only
            # The writes: nothing is locked before this point.
            if desk.visit_id is None:
                number = _next_number(connection, desk.session_id)
                priority = checked.priority
                visit = {"id": visit_id, "session_id": desk.session_id, "number": number,
                         "priority": priority, "state": "served", "issued_at": now,
                         "called_at": None, "finished_at": now, "desk": desk.desk,
                         "calls": 0}  # fmt: skip
            else:
                assert desk.visit_number is not None  # held with its visit
                visit_id, number, priority = desk.visit_id, desk.visit_number, desk.visit_priority
                visit = {"id": visit_id, "finished_at": now, "desk": desk.desk}
            values = _complaint_values(
                checked, desk, policy, officer_id, now, visit_id, number, priority, kota.code
            )
            values["id"] = complaint_id
            event = {
                "id": event_id, "complaint_id": complaint_id, "status": Status.DITERIMA.value,
                "at": now, "officer_id": officer_id, "actor": officer_id,
                "note": f"Diterima di {policy.site_name}", "region_code": kota.code,
            }  # fmt: skip
            detail = {
                "queue_number": number,
                "destination": kota.code,
                "category": checked.category,
                "anonymous": checked.reporter.anonymous,
                "confidential": checked.reporter.confidential,
                "consent": checked.contact_channel,
                "channel": None,
            }
            writes = _Writes(policy.site_code, visit, values, event, detail)
            postgres = connection.dialect.name == "postgresql"
            written = postgres and not desk.crm_push and _write_at_once(connection, clock, writes)
        if not written:
            _write_in_session(session, clock, writes, crm_push=desk.crm_push)
        # The session's writes, if they were made there; after the one statement
        # nothing is pending and this costs no round trip.
        session.commit()
    except BaseException:
        session.rollback()
        raise
    view = to_view(cast(Complaint, SimpleNamespace(**values)))
    return Intake(view, kota.office_name)


def take_partner_request(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    officer_id: str,
    channel: str,
    data: object,
) -> Complaint:
    """A request posted by a partner channel (Open311): the same validation and
    routing as at the desk, no duty-session rule (it is not a walk-in), marked
    with its channel. The caller commits, with its own record of the delivery."""
    clockcheck.require_clock_ok(session, clock)
    checked = validate(session, clock, policy, data)
    return _store(
        session,
        clock,
        policy,
        checked,
        officer_id=officer_id,
        note=f"Diterima dari kanal {channel} (Open311)",
        placement={"channel": channel, "priority": checked.priority},
    )


def _office(session: Session, complaint: Complaint) -> str:
    office = reference.regions(session).get(complaint.destination_region)
    return office.office_name if office else complaint.destination_region


def _store(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    checked: ComplaintInput,
    *,
    officer_id: str,
    note: str,
    placement: dict[str, object],
) -> Complaint:
    """The complaint row, its first status event, its CRM message and audit event."""
    destination = reference.regions(session).kota_of(checked.location.kota)
    assert destination is not None  # validation guarantees a kota
    now = clock.now()
    reporter = checked.reporter
    complaint = Complaint(
        code=_unused_code(session, policy.site_code),
        site_code=policy.site_code,
        officer_id=officer_id,
        created_at=now,
        updated_at=now,
        status=Status.DITERIMA.value,
        category_code=checked.category,
        description=checked.description,
        reporter_name=reporter.name,
        reporter_nik=reporter.nik,
        reporter_phone=reporter.phone,
        reporter_email=reporter.email,
        reporter_address=reporter.address,
        anonymous=reporter.anonymous,
        confidential=reporter.confidential,
        kota_code=checked.location.kota,
        kecamatan_code=checked.location.kecamatan,
        kelurahan_code=checked.location.kelurahan,
        location_address=checked.location.address,
        lat=checked.location.lat,
        lon=checked.location.lon,
        destination_region=destination.code,
        contact_channel=checked.contact_channel,
        consent_at=now if checked.contact_channel else None,
        **placement,
    )
    session.add(complaint)
    session.flush()
    first = StatusEvent(
        complaint_id=complaint.id or 0,
        status=Status.DITERIMA.value,
        at=now,
        officer_id=officer_id,
        actor=officer_id,
        note=note,
        region_code=destination.code,
    )
    session.add(first)
    if outbox.crm_on(session) and complaint.channel is None:
        session.flush()
        outbox.queue_new(session, clock, complaint, first)
    audit.record(
        session,
        clock,
        actor=officer_id,
        action="complaint.create",
        subject=complaint.code,
        detail={
            "queue_number": complaint.queue_number,
            "destination": destination.code,
            "category": checked.category,
            "anonymous": reporter.anonymous,
            "confidential": reporter.confidential,
            "consent": checked.contact_channel,
            "channel": complaint.channel,
        },
    )
    return complaint
