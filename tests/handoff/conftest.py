"""A session with complaints for three regions, taken at the desk on 1 December 2026."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from posko.core.signing import build_payload
from posko.services import intake, setup
from posko.store.db import new_session

TEMPLATE = "https://lacak.posko-latihan.invalid/lacak/{code}?s={sig}"
PIN = {"POSKO_PIN": "123456"}

PLACES = {
    "31.71": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
    "31.72": {"kota": "31.72", "kecamatan": "31.72.01", "kelurahan": "31.72.01.1001"},
    "31.74": {"kota": "31.74", "kecamatan": "31.74.01", "kelurahan": None},
}


def complaint_data(kota: str, description: str, **extra: object) -> dict:
    place = {k: v for k, v in PLACES[kota].items() if v}
    data = {
        "reporter": {
            "name": "Sari Wulandari",
            "nik": "3171014506800002",
            "phone": "0812-3456-7890",
        },
        "category": "banjir",
        "description": description,
        "location": {**place, "address": "Jl. Contoh 1"},
    }
    data.update(extra)
    return data


@dataclass
class Taken:
    codes: dict[str, list[str]]  # region -> codes

    def all(self) -> list[str]:
        return [c for codes in self.codes.values() for c in codes]


def take(db, clock, policy, items: list[tuple[str, dict]]) -> Taken:  # type: ignore[no-untyped-def]
    codes: dict[str, list[str]] = {}
    with new_session(db.engine) as session:
        for kota, data in items:
            done = intake.take_complaint(session, clock, policy, officer_id="JP-AS1", data=data)
            codes.setdefault(kota, []).append(done.complaint.code)
            clock.advance(minutes=3)
    return Taken(codes)


@pytest.fixture
def taken(db, clock, policy) -> Taken:  # type: ignore[no-untyped-def]
    """Two complaints for Jakarta Pusat, one each for Utara and Selatan (confidential)."""
    return take(
        db,
        clock,
        policy,
        [
            (
                "31.71",
                complaint_data("31.71", "Saluran air di Cideng tersumbat, banjir tiap hujan."),
            ),
            (
                "31.72",
                complaint_data(
                    "31.72", "Jalan berlubang di Penjaringan membahayakan.", category="jalan"
                ),
            ),
            (
                "31.71",
                complaint_data("31.71", "Sampah menumpuk di pasar Cideng.", category="sampah"),
            ),
            (
                "31.74",
                complaint_data(
                    "31.74",
                    "Pungutan liar di kantor kelurahan oleh Sari Wulandari sendiri dilaporkan.",
                    reporter={
                        "name": "Sari Wulandari",
                        "phone": "0812-3456-7890",
                        "confidential": True,
                    },
                ),
            ),
        ],
    )


CLOSER = ("--officer", "JP-AS1")  # on duty on 1 December 2026; PIN in PIN


def officer(session, officer_id: str = "JP-AS1"):  # type: ignore[no-untyped-def]
    """An officer as the access gate hands it to a service after the PIN."""
    from posko.services import officers

    found = officers.get(session, officer_id)
    assert found is not None
    return found


def payload(db, code: str) -> str:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        return build_payload(TEMPLATE, code, setup.qr_secret(session))


def old_signature(db, code: str) -> str:  # type: ignore[no-untyped-def]
    """The verification code as slips printed before 2026-12 spell it: the same
    60-bit tag in RFC 4648 base32, computed here from its definition."""
    import base64
    import hashlib
    import hmac

    with new_session(db.engine) as session:
        secret = setup.qr_secret(session)
    digest = hmac.new(secret, b"posko-slip-v1:" + code.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:12].lower()
