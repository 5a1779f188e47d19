"""The roster's history in the coordinator's terms, read from the audit trail.

Every roster change is an audit event (roster_edit, roster_import); this
module finds them by the dates of the sessions they touched or by when they
were made, and says per session day what changed and why (the sheet's
Keterangan).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from posko.store.models import AuditEvent


@dataclass(frozen=True)
class RosterEvent:
    at: datetime
    actor: str
    action: str  # roster.assign, roster.swap, ...
    subject: str
    detail: dict[str, Any]

    @property
    def spans(self) -> list[tuple[date, date]]:
        """The session dates the change touched, as ranges."""
        d = self.detail
        one = date.fromisoformat
        if self.action == "roster.swap":
            return [(one(d["first"]["day"]),) * 2, (one(d["second"]["day"]),) * 2]  # type: ignore[list-item]
        if self.action in ("roster.absence", "roster.generate"):
            return [(one(d["from"]), one(d["to"]))]
        if self.action == "roster.import":
            first, _, last = self.subject.partition("..")
            return [(one(first), one(last))]
        if "day" in d:
            return [(one(d["day"]),) * 2]  # type: ignore[list-item]
        return []

    def touches(self, start: date | None, end: date | None) -> bool:
        return any(
            (start is None or last >= start) and (end is None or first <= end)
            for first, last in self.spans
        )


def history(
    session: Session,
    *,
    start: date | None = None,
    end: date | None = None,
    changed_since: datetime | None = None,
) -> list[RosterEvent]:
    """Roster changes, oldest first: those touching sessions from `start` to `end`
    (local dates), and made at or after `changed_since`."""
    query = select(AuditEvent).where(col(AuditEvent.action).startswith("roster."))
    if changed_since is not None:
        query = query.where(AuditEvent.at >= changed_since)
    rows = session.exec(query.order_by(col(AuditEvent.id))).all()
    events = [RosterEvent(r.at, r.actor, r.action, r.subject, json.loads(r.detail)) for r in rows]
    return [e for e in events if e.touches(start, end)]


def notes_by_day(events: list[RosterEvent], names: Mapping[str, str]) -> dict[date, list[str]]:
    """What changed on each session day and why, in Indonesian, oldest first."""

    def who(officer_id: str | None) -> str:
        return names.get(officer_id, officer_id) if officer_id else "-"

    notes: dict[date, list[str]] = {}

    def note(day: str, text: str) -> None:
        notes.setdefault(date.fromisoformat(day), []).append(text)

    for e in events:
        d = e.detail
        why = d.get("why", "")
        if e.action == "roster.swap":
            first, second = d["first"], d["second"]
            for mine, other in ((first, second), (second, first)):
                if first["day"] == second["day"]:
                    text = f"Tukar meja: {who(first['officer'])} dan {who(second['officer'])}"
                else:
                    text = (
                        f"Tukar: {who(other['officer'])} menggantikan {who(mine['officer'])} "
                        f"(tukar dengan {_short(other['day'])})"
                    )
                note(mine["day"], f"{text} — {why}")
                if first["day"] == second["day"]:
                    break
        elif e.action == "roster.absence":
            for day, desk, fill_in in d.get("fill_ins", []):
                if fill_in:
                    text = f"{who(fill_in)} menggantikan {who(d['officer'])} yang tidak hadir"
                else:
                    text = f"{who(d['officer'])} tidak hadir; meja {desk} tanpa pengganti"
                note(day, f"{text} — {why}")
        elif e.action == "roster.assign":
            if d.get("instead_of"):
                text = f"{who(d['officer'])} menggantikan {who(d['instead_of'])}"
            else:
                text = f"{who(d['officer'])} ditambahkan di meja {d['desk']}"
            note(d["day"], f"{text} — {why}")
        elif e.action == "roster.unassign":
            note(d["day"], f"{who(d['officer'])} dilepas dari meja {d['desk']} — {why}")
        elif e.action == "roster.extra":
            note(d["day"], f"Sesi tambahan — {why}")
        elif e.action == "roster.reopen":
            note(d["day"], f"Penutupan dibatalkan, sesi dipulihkan — {why}")
    return notes


def _short(day: str) -> str:
    value = date.fromisoformat(day)
    return f"{value.day}/{value.month}"
