"""The access gate: every look at a citizen's identity and every change is someone's.

Each use case that shows identity or changes the record is named once here
(a `Use`): the audit action it writes, the roles it needs, and whether it is
a reveal (it shows or writes a reporter's name, NIK or phone). Every entry
point goes through the same three steps:

1. `sign_in` — who acts: id and PIN, checked with the lockout rules of
   `officers.verify_pin` (the CLI asks for the PIN on every command; the
   kiosk's officer gave it at the desk and is looked up with `signed_in`);
2. `allow` / `allow_reveal` — may they: the role the use needs and, for a
   complaint's identity, the region and confidentiality rule of
   `may_reveal`; a refusal is itself an audit event;
3. `record` — the audit event, in the caller's transaction, naming what was
   shown (codes, never the identity itself); a reveal's event says so
   (`"reveal": true` in its detail).

A citizen acts only through the status page, with the signature printed on
their slip (`citizen_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from posko.core.clock import Clock
from posko.core.errors import PermissionDenied
from posko.core.signing import matches
from posko.core.tracking import normalize_code
from posko.services import audit, officers
from posko.services.views import ComplaintView, OfficerView

ADMIN = "admin"
COORDINATOR = "coordinator"
REGIONAL = "regional"
DUTY = "duty"
EVERY_ROLE = (DUTY, COORDINATOR, REGIONAL, ADMIN)
DESK = (DUTY, COORDINATOR, ADMIN)  # who works at the desk itself
OFFICE = (REGIONAL, COORDINATOR)  # who acts for a regional office
EDITORS = (COORDINATOR, ADMIN)  # who changes the roster and admits officers
CITIZEN = "warga"  # the actor of what a citizen does on the status page


@dataclass(frozen=True)
class Use:
    action: str  # the audit event it writes
    roles: tuple[str, ...]
    reveal: bool = False  # shows or writes a reporter's full identity


TAKE_COMPLAINT = Use("complaint.add", EVERY_ROLE)  # the duty rule decides at the desk
REVEAL = Use("complaint.reveal", EVERY_ROLE, reveal=True)
OFFICE_COPY = Use("receipt.office_copy", EVERY_ROLE, reveal=True)
SEARCH = Use("complaint.search", EVERY_ROLE, reveal=True)
HANDOFF_CLOSE = Use("handoff.close", DESK)
HANDOFF_LISTS = Use("handoff.lists", (*DESK, REGIONAL), reveal=True)
HANDOFF_ACK = Use("handoff.ack", OFFICE)
CHANGE_STATUS = Use("complaint.status", OFFICE)
DESK_DISPUTE = Use("complaint.dispute", DESK)
IMPORT_OPEN311 = Use("open311.import", EDITORS)
BACKUP = Use("database.backup", (ADMIN,), reveal=True)
RESTORE = Use("database.restore", (ADMIN,))
EDIT_ROSTER = Use("roster.edit", EDITORS)
GRANT_OVERRIDE = Use("override.grant", EDITORS)
MANAGE_OFFICERS = Use("officer.manage", (ADMIN,))
PERSONAL_DATA = Use("privacy", (ADMIN,), reveal=True)
MANAGE_PARTNERS = Use("open311.partner", (ADMIN,))
CRM_PUSH = Use("outbox.crm_push", (ADMIN,))
WITHDRAW_CONSENT = Use("complaint.withdraw_consent", EVERY_ROLE)


def require_role(officer: OfficerView, *roles: str) -> None:
    """Refuse (PermissionDenied, exit 3) an officer whose role is not one of `roles`."""
    if not officer.active or officer.role not in roles:
        raise PermissionDenied(
            "officer {officer} ({role}) may not do this; it needs the role: {roles}",
            officer=officer.id,
            role=officer.role,
            roles=", ".join(roles),
        )


def sign_in(session: Session, clock: Clock, officer_id: str, pin: str, use: Use) -> OfficerView:
    """Who acts, proven by the PIN (audited, with lockout), and allowed `use`."""
    officer = officers.verify_pin(session, clock, officer_id.strip().upper(), pin)
    allow(session, clock, officer, use)
    return officer


def signed_in(session: Session, clock: Clock, officer_id: str, use: Use) -> OfficerView:
    """The kiosk's officer, who gave the PIN when signing in at the desk."""
    found = officers.get(session, officer_id)
    if found is None or not found.active:
        raise PermissionDenied("unknown or inactive officer {officer}", officer=officer_id[:32])
    allow(session, clock, found, use)
    return found


def allow(session: Session, clock: Clock, officer: OfficerView, use: Use) -> None:
    """Refuse an officer whose role may not do `use`; the refusal is audited."""
    try:
        require_role(officer, *use.roles)
    except PermissionDenied:
        audit.record(session, clock, actor=officer.id, action="access.denied", subject=use.action)
        session.commit()
        raise


def may_reveal(officer: OfficerView, complaint: ComplaintView) -> bool:
    """An admin, the officer who took the complaint, or the destination office's
    regional staff unless the reporter asked for confidentiality."""
    return officer.active and (
        officer.role == ADMIN
        or officer.id == complaint.officer_id
        or (
            officer.role == REGIONAL
            and officer.region == complaint.destination_region
            and not complaint.confidential
        )
    )


def allow_reveal(
    session: Session, clock: Clock, officer: OfficerView, use: Use, complaint: ComplaintView
) -> None:
    """Refuse (audited as `complaint.reveal_denied`) a look at this reporter's identity."""
    allow(session, clock, officer, use)
    if may_reveal(officer, complaint):
        return
    # A refused look is recorded too: that is how a curious officer shows up.
    audit.record(
        session,
        clock,
        actor=officer.id,
        action="complaint.reveal_denied",
        subject=complaint.code,
        detail={"use": use.action},
    )
    session.commit()
    raise PermissionDenied(
        "officer {officer} may not see the identity of the reporter of {code}",
        officer=officer.id,
        code=complaint.code,
    )


def record(
    session: Session,
    clock: Clock,
    officer: OfficerView | str,
    use: Use,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit event of `use`, in the caller's transaction (the caller commits)."""
    actor = officer if isinstance(officer, str) else officer.id
    if use.reveal:
        # Marked, so an auditor lists every look at identity with one filter.
        detail = {**(detail or {}), "reveal": True}
    audit.record(session, clock, actor=actor, action=use.action, subject=subject, detail=detail)


def citizen_code(session: Session, code: str, sig: str) -> str | None:
    """The canonical tracking code when `sig` is the signature printed on its slip.

    The check needs only the secret, so an unknown code and a forged one are
    refused the same way before any look-up.
    """
    from posko.services.setup import qr_secret

    canonical = normalize_code(code)
    if canonical is None or not sig.isascii():
        return None
    return canonical if matches(sig, canonical, qr_secret(session)) else None
