"""The Open311 GeoReport v2 server of `posko serve`, driven by an off-the-shelf
client (georeport, from PyPI) for the reads; georeport has no POST, so posts
go as the spec describes them (a urlencoded form with api_key) through httpx."""

from __future__ import annotations

import httpx
import pytest
import requests
import xmltodict
from georeport import GeoReport
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, complaint_data
from tests.outbox.helpers import SESSION, add_complaint, free_port, serving

IDENTITY = ("Sari Wulandari", "3171014506800002", "81234567890", "3456-7890", "sari@contoh.id")


def _partner(db_url: str, name: str = "jaki", channel: str = "JAKI") -> str:
    result = posko(
        "partner",
        "add",
        name,
        "--channel",
        channel,
        "--officer",
        "PV-KO1",
        "--admin",
        "PV-ADM",
        db_url=db_url,
        now=SESSION,
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip().rsplit(" ", 1)[-1]


def _no_identity(raw: str) -> None:
    for item in IDENTITY:
        assert item not in raw, item


@pytest.fixture
def desk(db):  # type: ignore[no-untyped-def]
    """Two walk-in complaints, one of them confidential."""
    email = {
        "name": "Sari Wulandari",
        "nik": "3171014506800002",
        "phone": "0812-3456-7890",
        "email": "sari@contoh.id",
    }
    open_code = add_complaint(
        db.url,
        complaint_data(
            "31.71", "Saluran air di Cideng tersumbat, kata Sari Wulandari.", reporter=email
        ),
    )
    secret = add_complaint(
        db.url,
        complaint_data(
            "31.74",
            "Pungutan liar di kantor kelurahan oleh lurahnya sendiri.",
            reporter={**email, "confidential": True},
        ),
        now="2026-12-01T08:20:00+07:00",
    )
    return open_code, secret


def test_an_open311_client_lists_reads_and_posts_and_no_identity_leaves(db, desk) -> None:
    open_code, secret = desk
    key = _partner(db.url)
    with serving(db.url, "2026-12-01T10:00:00+07:00", free_port()) as base:
        for fmt in ("json", "xml"):
            client = GeoReport(base, output_format=fmt)
            services = client.get_service_list()
            codes = {s["service_code"] for s in services}
            assert len(services) >= 5 and all(s["service_name"] for s in services)
            listed = client.get_service_requests()
            assert [r["service_request_id"] for r in listed] == [secret, open_code]  # newest first
            assert {r["status"] for r in listed} == {"open"}
            assert listed[1]["requested_datetime"].endswith("+07:00")
            one = client.get_service_request(open_code)
            assert one["service_request_id"] == open_code and one["service_code"] in codes
            assert "Saluran air di Cideng" in one["description"]
            hidden = client.get_service_request(secret)
            assert not hidden.get("description")  # a confidential complaint's text stays home
            definition = client.get_service_definition(listed[0]["service_code"])
            assert definition["service_code"] == listed[0]["service_code"]

        # A partner posts, as GeoReport v2 says: a form with its api_key.
        form = {
            "api_key": key,
            "service_code": listed[0]["service_code"],
            "description": "Pohon tumbang menutup jalan di Gambir sejak pagi.",
            "address_id": "31.71.01.1002",
            "address_string": "Jl. Medan Merdeka Barat",
            "lat": "-6.1754",
            "long": "106.8272",
            "first_name": "Budi",
            "email": "budi@contoh.id",
        }
        posted = httpx.post(f"{base}/requests.json", data=form)
        assert posted.status_code == 200, posted.text
        new_code = posted.json()[0]["service_request_id"]
        assert new_code.startswith("PKB-")
        as_xml = httpx.post(
            f"{base}/requests.xml",
            data={**form, "description": "Lampu jalan padam di depan halte Gambir."},
        )
        assert as_xml.status_code == 200
        xml_code = xmltodict.parse(as_xml.text)["service_requests"]["request"]["service_request_id"]

        # A wrong key: the spec's 403 error list, in either format.
        wrong = httpx.post(f"{base}/requests.json", data={**form, "api_key": "salah"})
        assert wrong.status_code == 403
        assert wrong.json() == [{"code": 403, "description": "Invalid api_key"}]
        wrong_xml = httpx.post(f"{base}/requests.xml", data={**form, "api_key": "salah"})
        assert wrong_xml.status_code == 403
        assert xmltodict.parse(wrong_xml.text)["errors"]["error"]["code"] == "403"
        with pytest.raises(requests.HTTPError) as missing:
            GeoReport(base).get_service_request("PKB-XXXX-XXXX")
        assert missing.value.response.status_code == 404
        assert missing.value.response.json()[0]["code"] == 404
        too_long = httpx.get(
            f"{base}/requests.json",
            params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"},
        )
        assert too_long.status_code == 400 and "90 days" in too_long.json()[0]["description"]
        paged = httpx.get(f"{base}/requests.json", params={"page_size": 1, "page": 2}).json()
        assert len(paged) == 1

        everything = (
            "".join(httpx.get(f"{base}/requests.{fmt}").text for fmt in ("json", "xml"))
            + httpx.get(f"{base}/requests/{new_code}.json").text
        )
        _no_identity(everything)
        assert "Budi" not in everything and "budi@contoh.id" not in everything

    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT code, channel, anonymous, session_id, destination_region, kelurahan_code "
                "FROM complaint WHERE code IN (:a, :b) ORDER BY id"
            ),
            {"a": new_code, "b": xml_code},
        ).all()
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_event"))]
    assert [tuple(r) for r in rows] == [
        (new_code, "JAKI", True, None, "31.71", "31.71.01.1002"),
        (xml_code, "JAKI", True, None, "31.71", "31.71.01.1002"),
    ]
    assert "partner.add" in actions


def test_a_revoked_or_unknown_key_gets_403_and_keys_are_stored_hashed(db) -> None:
    key = _partner(db.url)
    listed = posko("partner", "list", db_url=db.url)
    assert "jaki" in listed.stdout and "aktif" in listed.stdout
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT key_hash FROM open311_partner")).scalar_one()
    assert key not in stored and len(stored) == 64
    revoked = posko("partner", "revoke", "jaki", "--admin", "PV-ADM", db_url=db.url, env=PIN)
    assert revoked.exit_code == 0, revoked.stderr
    with serving(db.url, "2026-12-01T10:00:00+07:00", free_port()) as base:
        answer = httpx.post(
            f"{base}/requests.json",
            data={"api_key": key, "service_code": "x", "address_id": "31.71"},
        )
    assert answer.status_code == 403
    refused = posko(
        "partner",
        "add",
        "x",
        "--channel",
        "X",
        "--officer",
        "PV-KO1",
        "--admin",
        "JP-AS1",
        db_url=db.url,
        env=PIN,
    )
    assert refused.exit_code != 0
