"""Finding complaints by the reporter's name, phone, tracking code or words of the description.

One function, two implementations of the word search: SQLite's FTS5 table
`complaint_fts` and PostgreSQL's tsvector GIN index `ix_complaint_search`,
both created by migration 0002. A LIKE scan would read every row (10-300 ms
on a million complaints); these answer from the index.
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, column, func, text
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.identity import IdentityError, normalize_phone
from posko.core.text import clean_text
from posko.core.tracking import normalize_code
from posko.services import access
from posko.services.complaints import by_reporter, to_view
from posko.services.views import ComplaintView, OfficerView
from posko.store.models import Complaint

LIMIT = 20
RECENT_IDS = 10_000  # PostgreSQL: searched first, see _pg_words
MAX_WORDS = 8
_WORD = re.compile(r"\w+")
_PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")

# Must stay the expression of the index in migration 0002, character for
# character in meaning, or PostgreSQL scans the table instead.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, coalesce(reporter_name, '') || ' ' || description)"
_PG_MATCH = text(f"{PG_DOCUMENT} @@ plainto_tsquery('simple'::regconfig, :words)")
_SQLITE_MATCH = text(
    "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH :words "
    "ORDER BY rowid DESC LIMIT :limit"
).columns(column("rowid", Integer))


def words_of(query: str) -> list[str]:
    """The words a query is matched on: letters and digits, lower case, at most eight."""
    return _WORD.findall(query.lower())[:MAX_WORDS]


def _phone(query: str) -> str | None:
    if not _PHONE.match(query):
        return None
    try:
        return normalize_phone(query)
    except IdentityError:
        return None


def search(session: Session, query: str, *, limit: int = LIMIT) -> list[ComplaintView]:
    """The newest complaints matching the query, newest first.

    A tracking code finds its complaint; a phone number (08xx or +62) finds
    the reporter's complaints; anything else must match every word in the
    reporter's name or the description (whole words, any case).
    """
    query = query.strip()
    words = words_of(query)
    if not words:
        raise InvalidInput("give a name, phone number, tracking code or words to search for")
    newest = select(Complaint).order_by(col(Complaint.id).desc()).limit(limit)
    code = normalize_code(query)
    if code is not None:
        # Some phrases read as a valid code ("saluran banjir" is SALUR-ANBA-NJ1R),
        # so a code that is not stored falls through to the word search.
        found = session.exec(newest.where(Complaint.code == code)).all()
        if found:
            return [to_view(row) for row in found]
    phone = _phone(query)
    if phone is not None:
        statement = newest.where(Complaint.reporter_phone == phone)
    elif session.get_bind().dialect.name == "sqlite":
        # Each word quoted, so FTS5 reads none of them as an operator (AND, NEAR, -).
        match = " ".join(f'"{word}"' for word in words)
        statement = newest.where(
            col(Complaint.id).in_(_SQLITE_MATCH.bindparams(words=match, limit=limit))
        )
    else:
        # Ordered by id + 0, not id: ordered by the key, PostgreSQL may walk the
        # whole table newest first, computing every row's tsvector, hoping to
        # meet 20 matches soon; for a rare word that took seconds.
        matching = (
            select(Complaint)
            .where(_PG_MATCH.bindparams(words=" ".join(words)))
            .order_by((col(Complaint.id) + 0).desc())
            .limit(limit)
        )
        return _pg_words(session, matching, limit)
    return [to_view(row) for row in session.exec(statement).all()]


def _pg_words(
    session: Session, matching: SelectOfScalar[Complaint], limit: int
) -> list[ComplaintView]:
    """PostgreSQL: the newest complaints first, the older ones only if needed.

    The GIN index finds every match, and PostgreSQL visits each one's row
    before it can keep the newest 20: a common word (a first name, "banjir")
    matches tens of thousands. Most searches are answered from the newest
    complaints, so those are searched alone first (half the time on 100,000
    rows, less the more there are).
    """
    newest_id = session.exec(select(func.max(Complaint.id))).one() or 0
    recent = session.exec(matching.where(col(Complaint.id) > newest_id - RECENT_IDS)).all()
    if len(recent) < limit:
        older = matching.where(col(Complaint.id) <= newest_id - RECENT_IDS)
        recent = [*recent, *session.exec(older.limit(limit - len(recent))).all()]
    return [to_view(row) for row in recent]


def search_as(
    session: Session, clock: Clock, viewer: OfficerView, query: str, *, limit: int = LIMIT
) -> list[ComplaintView]:
    """`search` for an officer signed in through the access gate: a reveal.

    A confidential complaint is left out unless the officer may see its
    reporter (`access.may_reveal`), so finding a confidential reporter by
    name or phone is as guarded as printing their identity. Audited with the
    query masked and the codes shown.
    """
    access.allow(session, clock, viewer, access.SEARCH)
    return _shown(session, clock, viewer, search(session, query, limit=limit), query)


def _shown(
    session: Session, clock: Clock, viewer: OfficerView, found: list[ComplaintView], query: str
) -> list[ComplaintView]:
    """What of `found` the viewer may see; audited with the query masked and the codes shown."""
    shown = [c for c in found if not c.confidential or access.may_reveal(viewer, c)]
    access.record(
        session,
        clock,
        viewer,
        access.SEARCH,
        detail={
            "query": masked_query(query),
            "codes": [c.code for c in shown],
            "withheld": len(found) - len(shown),
        },
    )
    session.commit()
    return shown


def masked_query(query: str) -> str:
    """A search as the audit trail may name it: numbers masked, words cut to initials."""
    from posko.printing.masking import initials, mask_numbers

    text = mask_numbers(clean_text(query)[:200])
    return " ".join(
        word if any(c.isdigit() or c == "*" for c in word) else initials(word)
        for word in text.split()
    )


def reporter_history(
    session: Session,
    clock: Clock,
    viewer: OfficerView,
    *,
    nik: str | None,
    phone: str | None,
    limit: int = 5,
) -> list[ComplaintView]:
    """The citizen's earlier complaints by NIK or phone, as the intake form shows
    them: a look-up by identity, so through the gate like `search_as` (a
    confidential one only for who may see its reporter; audited when it finds any)."""
    access.allow(session, clock, viewer, access.SEARCH)
    found = by_reporter(session, nik=nik, phone=phone, limit=limit)
    if not found:
        return []
    return _shown(session, clock, viewer, found, " ".join(v for v in (nik, phone) if v))
