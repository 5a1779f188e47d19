"""Complaints on the training database for the access tests.

Two complaints taken by JP-AS1 at 08:15 on 1 December 2026: one for Jakarta
Pusat, and one confidential for Jakarta Selatan whose reporter reports an
official. The sample officers' PIN is 123456.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import col, select

from posko.services import intake
from posko.store.db import new_session
from posko.store.models import AuditEvent
from tests.cli_helpers import CliResult, posko

PIN = {"POSKO_PIN": "123456"}
NOW = "2026-12-01T08:25:00+07:00"  # after the two intakes
NAME = "Sari Wulandari"
NIK = "3171014506800002"
PHONE = "0812-3456-7890"


@dataclass
class Desk:
    db: object
    tmp: Path
    open_code: str  # Jakarta Pusat, not confidential
    secret_code: str  # Jakarta Selatan, confidential

    def run(self, *args: str, pin: bool = True, now: str = NOW, **kw: object) -> CliResult:
        env = dict(PIN) if pin else {}
        env.update(kw.pop("env", {}))  # type: ignore[arg-type]
        return posko(*args, db_url=self.db.url, now=now, env=env)  # type: ignore[attr-defined]

    def events(self, action: str) -> list[AuditEvent]:
        with new_session(self.db.engine) as session:  # type: ignore[attr-defined]
            return list(
                session.exec(
                    select(AuditEvent)
                    .where(AuditEvent.action == action)
                    .order_by(col(AuditEvent.id))
                ).all()
            )

    def detail(self, action: str) -> dict:
        return json.loads(self.events(action)[-1].detail)


def complaint(kota: str, kecamatan: str, description: str, **reporter: object) -> dict:
    return {
        "reporter": {"name": NAME, "nik": NIK, "phone": PHONE, **reporter},
        "category": "banjir",
        "description": description,
        "location": {"kota": kota, "kecamatan": kecamatan, "address": "Jl. Contoh 1"},
    }


@pytest.fixture
def desk(db, clock, policy, tmp_path) -> Desk:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        first = intake.take_complaint(
            session,
            clock,
            policy,
            officer_id="JP-AS1",
            data=complaint("31.71", "31.71.01", "Saluran air di Cideng tersumbat."),
        )
        clock.advance(minutes=3)
        second = intake.take_complaint(
            session,
            clock,
            policy,
            officer_id="JP-AS1",
            data=complaint(
                "31.74",
                "31.74.01",
                "Pungutan liar oleh pejabat kelurahan.",
                confidential=True,
            ),
        )
    return Desk(db, tmp_path, first.complaint.code, second.complaint.code)
