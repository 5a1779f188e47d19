"""Looking a complaint up at the desk: by typed code, scanned slip, name or phone.

A scanned slip carries a signed URL; its signature says whether the slip was
printed by this installation. The reporter's identity is shown masked, as on
the slip: the desk needs to recognise the person, not to read their data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound, PermissionDenied
from posko.core.signing import parse_payload
from posko.core.tracking import normalize_code
from posko.printing.masking import initials, mask_nik, mask_phone
from posko.services import complaints, reference, search, setup
from posko.services.views import ComplaintView, OfficerView, StatusEventView
from posko.store.models import Complaint


@dataclass(frozen=True)
class Found:
    code: str
    created_at: datetime
    status: str
    category: str  # the category's name in the desk's language
    destination: str  # the regional office's name
    kelurahan: str | None
    reporter: str  # masked: initials, or "anonymous"
    nik: str  # masked
    phone: str  # masked
    confidential: bool
    description: str


@dataclass(frozen=True)
class LookupResult:
    query: str
    scanned: bool  # the text was a slip's QR payload
    genuine: bool | None  # for a scanned slip: the signature matches this installation
    found: list[Found]


def masked(session: Session, view: ComplaintView, *, english: bool = False) -> Found:
    anonymous = view.anonymous or not view.reporter_name
    category = reference.categories(session).get(view.category)
    office = reference.regions(session).get(view.destination_region)
    return Found(
        code=view.code,
        created_at=view.created_at,
        status=view.status,
        category=(category.name_en if english else category.name_id) if category else view.category,
        destination=office.office_name if office else view.destination_region,
        kelurahan=view.kelurahan,
        reporter="" if anonymous else initials(view.reporter_name),
        nik=mask_nik(view.reporter_nik) if view.reporter_nik else "",
        phone=mask_phone(view.reporter_phone) if view.reporter_phone else "",
        confidential=view.confidential,
        description=view.description,
    )


def look_up(
    session: Session,
    clock: Clock,
    text: str,
    *,
    viewer: OfficerView | None,
    template: str,
    english: bool = False,
) -> LookupResult:
    """Whatever the desk typed or scanned; NotFound / InvalidInput when nothing fits.

    A scanned slip or a typed code needs nobody signed in; a search by name,
    phone or words may match a reporter's identity, so it needs the signed-in
    officer (`viewer`) and goes through the access gate (`search.search_as`).
    """
    query = text.strip()
    if not query:
        raise InvalidInput("give a name, phone number, tracking code or words to search for")
    # A scanned slip needs the installation's address ("" : from the database);
    # without one, names, phones and codes are still searched.
    qr = setup.qr_template(session, template)
    payload = parse_payload(query, setup.qr_secret(session), qr) if qr else None
    if payload is not None:
        try:
            view = complaints.get(session, payload.code)
        except (NotFound, InvalidInput):
            # A well-formed slip whose code is not ours: forged or from elsewhere.
            return LookupResult(query, True, False, [])
        return LookupResult(query, True, payload.genuine, [masked(session, view, english=english)])
    code = normalize_code(query)
    if code is not None:
        # A typed tracking code names its complaint: no identity is searched.
        found = session.exec(select(Complaint.code).where(Complaint.code == code)).first()
        if found is not None:
            view = complaints.get(session, found)
            return LookupResult(query, False, None, [masked(session, view, english=english)])
    if viewer is None:
        raise PermissionDenied("sign in first to search by name, phone or words")
    views = search.search_as(session, clock, viewer, query)
    return LookupResult(
        query, False, None, [masked(session, view, english=english) for view in views]
    )


def history(session: Session, code: str) -> list[StatusEventView]:
    row = complaints.find_row(session, code)
    return complaints.history(session, row.id or 0)
