"""Checking a scanned slip: is it genuine, and which complaint does it name?"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from posko.config import Settings
from posko.core.errors import PoskoError
from posko.core.lifecycle import Status
from posko.services import reference, setup
from posko.store.models import Complaint


class NotGenuine(PoskoError):
    """A scanned payload that is not a genuine slip of this installation."""

    exit_code = 1


@dataclass(frozen=True)
class Verified:
    code: str
    status: str
    status_label: str
    destination: str  # kota code
    destination_name: str  # the regional office
    training: bool


def typed_payload(session: Session, settings: Settings, code: str, verification: str) -> str:
    """The payload a slip's QR code carries, rebuilt from its two codes typed by hand."""
    from posko.core.tracking import normalize_code
    from posko.services.public_status import normalize_verification

    canonical = normalize_code(code) or "".join(code.split()).upper()
    sig = normalize_verification(verification)
    template = setup.require_qr_template(session, settings.qr_url_template)
    return template.replace("{code}", canonical).replace("{sig}", sig)


def verify(session: Session, settings: Settings, payload: str) -> Verified:
    """Which complaint a scanned payload names; NotGenuine when forged or foreign."""
    from posko.core.lifecycle import LABELS_ID
    from posko.core.signing import parse_payload

    template = setup.require_qr_template(session, settings.qr_url_template)
    parsed = parse_payload(payload, setup.qr_secret(session), template)
    if parsed is None:
        raise NotGenuine(
            "this is not the QR code of a Posko slip (expected an address like {example})",
            example=template.replace("{code}", "KODE").replace("{sig}", "…"),
        )
    if not parsed.genuine:
        raise NotGenuine(
            "FORGED OR ALTERED: the signature does not match the code {code}; "
            "this slip was not printed by this Posko",
            code=parsed.code,
        )
    row = session.exec(select(Complaint).where(Complaint.code == parsed.code)).first()
    if row is None:
        raise NotGenuine(
            "the signature of {code} is genuine, but no such complaint is in this database",
            code=parsed.code,
        )
    office = reference.regions(session).get(row.destination_region)
    return Verified(
        code=row.code,
        status=row.status,
        status_label=LABELS_ID[Status(row.status)],
        destination=row.destination_region,
        destination_name=office.office_name if office else row.destination_region,
        training=setup.is_training(session),
    )
