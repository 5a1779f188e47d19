"""Bad input to the Open311 server gets the spec's error list with a 4xx code,
never a server error, and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from posko.config import Settings
from posko.services import access, open311_server
from posko.store.db import new_session
from posko.web.app import create_app


@pytest.fixture
def partner_key(db, clock) -> str:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        admin = access.sign_in(session, clock, "PV-ADM", "123456", access.MANAGE_PARTNERS)
        _, key = open311_server.add_partner(
            session, clock, admin, name="jaki", channel="JAKI", officer_id="PV-KO1"
        )
    return key


@pytest.fixture
def client(db, clock, policy) -> TestClient:  # type: ignore[no-untyped-def]
    app = create_app(
        engine=db.engine, settings=Settings(database_url=db.url), policy=policy, clock=clock
    )
    return TestClient(app)


GOOD = {
    "service_code": "",  # filled from services.json
    "description": "Pohon tumbang menutup jalan di Gambir sejak pagi.",
    "address_id": "31.71.01",
}


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"service_code": "tidak-ada"}, 404, "service_code"),
        ({"service_code": None}, 400, "service_code is required"),
        ({"address_id": "99.99"}, 400, "address_id"),
        ({"address_id": None}, 400, "address_id"),
        ({"lat": "nan", "long": "106.8"}, 400, "location.lat"),
        ({"lat": "-6.17"}, 400, "lat and long"),
        ({"description": "pendek"}, 400, "description"),
        ({"description": "x" * 5000}, 400, "description"),
    ],
)
def test_a_bad_posted_request_is_refused_by_name(
    client, partner_key, db, change, status, words
) -> None:  # type: ignore[no-untyped-def]
    code = client.get("/open311/v2/services.json").json()[0]["service_code"]
    form = {**GOOD, "service_code": code, "api_key": partner_key, **change}
    answer = client.post("/open311/v2/requests.json", data={k: v for k, v in form.items() if v})
    assert answer.status_code == status, answer.text
    [error] = answer.json()
    assert error["code"] == status and words in error["description"]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM complaint")).scalar_one() == 0


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/open311/v2/requests.json?page=0", 400),
        ("/open311/v2/requests.json?page_size=100000", 400),
        ("/open311/v2/requests.json?start_date=kemarin", 400),
        ("/open311/v2/requests.json?start_date=2026-12-01T00:00:00", 400),  # no offset
        ("/open311/v2/requests.json?status=hilang", 400),
        ("/open311/v2/requests/%00%27.json", 404),
        ("/open311/v2/services/zzz.xml", 404),
        ("/open311/v2/services.html", 404),
    ],
)
def test_bad_queries_get_the_spec_error_list(client, path, status) -> None:  # type: ignore[no-untyped-def]
    answer = client.get(path)
    assert answer.status_code == status
    body = answer.text
    assert ("<errors>" in body) if path.endswith(".xml") else answer.json()[0]["code"] == status


def test_a_body_that_is_not_a_form_or_too_large_is_refused(client, partner_key) -> None:  # type: ignore[no-untyped-def]
    as_json = client.post("/open311/v2/requests.json", json={"api_key": partner_key})
    assert as_json.status_code == 400
    huge = client.post(
        "/open311/v2/requests.json",
        content=b"description=" + b"a" * 70_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 400
