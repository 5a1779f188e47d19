"""What the board says about the session, from before opening to the next session."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from posko.config import Settings
from posko.web.app import create_app
from tests.conftest import wib


def _state(db, clock, policy) -> str:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=db.url)
    client = TestClient(create_app(engine=db.engine, settings=settings, policy=policy, clock=clock))
    page = client.get("/antrean")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    found = re.search(r'<p class="state[^"]*">([^<]*)</p>', page.text)
    assert found is not None
    return found.group(1).replace("&#x27;", "'")


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("2026-12-01 07:40", "SEGERA DIBUKA · Layanan dibuka pukul 08.00 WIB"),
        ("2026-12-01 08:15", "BUKA · Pendaftaran nomor antrean sampai pukul 09.30 WIB"),
        ("2026-12-01 09:40", "PENDAFTARAN DITUTUP · Pemegang nomor antrean tetap dilayani"),
        (
            "2026-12-01 12:00",
            "TUTUP · Sesi berikutnya: Rabu, 2 Desember 2026 pukul 08.00 WIB",
        ),
        (
            "2026-12-04 08:15",  # a Friday: no session
            "TUTUP · Sesi berikutnya: Senin, 7 Desember 2026 pukul 08.00 WIB",
        ),
    ],
)
def test_the_board_says_whether_the_posko_is_open(db, clock, policy, at, said) -> None:
    clock.set(wib(at))
    assert _state(db, clock, policy) == said


def test_the_phone_page_refuses_a_malformed_address(db, clock, policy) -> None:
    settings = Settings(database_url=db.url)
    client = TestClient(create_app(engine=db.engine, settings=settings, policy=policy, clock=clock))
    assert client.get("/antrean/kemarin/1").status_code == 404
    assert client.get("/antrean/2026-12-01/satu").status_code == 404
