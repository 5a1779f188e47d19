"""The citizens' status page: what a person with the slip sees, and what nobody sees."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from posko.config import Settings
from posko.services import followup, handoff
from posko.store.db import new_session
from posko.web.app import FAILURES_PER_WINDOW, create_app
from tests.handoff.conftest import officer, old_signature, payload


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def client(db, clock, policy) -> TestClient:  # type: ignore[no-untyped-def]
    app = create_app(
        engine=db.engine, settings=Settings(database_url=db.url), policy=policy, clock=clock
    )
    return TestClient(app)


def _followed_up(db, clock, policy, taken, *, done: bool = True) -> str:  # type: ignore[no-untyped-def]
    """Hand off, acknowledge and complete the first Jakarta Pusat complaint."""
    code = taken.codes["31.71"][0]
    scanned = payload(db, code)  # before the session below: SQLite allows one writer
    clock.advance(minutes=90)
    with new_session(db.engine) as session:
        handoff.close(session, clock, policy, day=clock.now().date(), officer=officer(session))
        clock.advance(hours=2)
        handoff.acknowledge(session, clock, "JP-WL1", scanned)
        clock.advance(hours=1)
        followup.change_status(
            session,
            clock,
            officer_id="JP-WL1",
            code=code,
            status="diproses",
            note="Petugas meninjau saluran; hubungi 0812-3456-7890 bila perlu",
        )
        if done:
            clock.advance(hours=20)
            followup.change_status(
                session,
                clock,
                officer_id="JP-WL1",
                code=code,
                status="selesai",
                note="Saluran sudah dikeruk",
            )
    return code


def test_valid_code_shows_dated_steps_without_identity(db, clock, policy, taken, client) -> None:
    code = _followed_up(db, clock, policy, taken)
    page = client.get(path_of(payload(db, code)))
    assert page.status_code == 200
    html = page.text
    assert code in html and "Selesai" in html
    for step in (
        "Diterima di Posko",
        "Diserahkan ke kantor wali kota/bupati",
        "Diterima kantor wali kota/bupati",
        "Sedang diproses",
    ):
        assert step in html
    assert "1 Desember 2026, 08.15 WIB" in html
    assert "Pengaduan telah selesai ditindaklanjuti." in html  # the next step, as on the slip
    assert "Saluran air di Cideng tersumbat" in html  # not confidential: the summary is shown
    assert "Sari Wulandari" not in html and "3171014506800002" not in html
    assert "0812-3456-7890" not in html  # a phone number in a note is masked
    assert "<script" not in html.lower()
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in page.headers["content-security-policy"]


def test_confidential_complaint_shows_no_description(db, clock, policy, taken, client) -> None:
    code = taken.codes["31.74"][0]
    html = client.get(path_of(payload(db, code))).text
    assert "Pungutan liar" not in html and "Sari Wulandari" not in html
    assert "Isi pengaduan dirahasiakan." in html
    # Not handed off yet: acknowledgement due by the end of the next working day.
    assert "paling lambat Rabu, 2 Desember 2026." in html


def test_forged_and_unknown_codes_get_the_same_answer(db, taken, client) -> None:
    code = taken.codes["31.71"][0]
    genuine = path_of(payload(db, code))
    forged = client.get(re.sub(r"s=[a-z0-9]{3}", "s=zzz", genuine))
    unknown = client.get("/lacak/PKB-0000-0000?s=" + genuine.split("s=")[1])
    unknown_valid_check = client.get("/lacak/PKB-7K3Q-X9MJ?s=abcdefghijkl")
    no_sig = client.get(f"/lacak/{code}")
    answers = {(r.status_code, r.text) for r in (forged, unknown, unknown_valid_check, no_sig)}
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404 and code not in body


def test_enumeration_is_rate_limited_per_client(db, clock, taken, client) -> None:
    for number in range(FAILURES_PER_WINDOW):
        assert client.get(f"/lacak/PKB-AAAA-AAA{number}?s=x").status_code == 404
    genuine = path_of(payload(db, taken.codes["31.71"][0]))
    assert client.get(genuine).status_code == 429  # even a genuine slip, from this client
    clock.advance(minutes=11)
    assert client.get(genuine).status_code == 200


def test_duplicate_shows_the_originals_progress(db, clock, policy, taken, client) -> None:
    original = _followed_up(db, clock, policy, taken, done=False)
    copy = taken.codes["31.71"][1]
    scanned = payload(db, copy)
    with new_session(db.engine) as session:
        handoff.acknowledge(session, clock, "JP-WL1", scanned)
        followup.change_status(
            session,
            clock,
            officer_id="JP-WL1",
            code=copy,
            status="duplikat",
            note=None,
            duplicate_of=original,
        )
    html = client.get(path_of(payload(db, copy))).text
    assert "Duplikat pengaduan lain" in html
    assert original in html and "Sedang diproses" in html
    assert "Saluran air di Cideng" not in html  # the original's text is another citizen's


def test_dispute_on_the_page_reopens(db, clock, policy, taken, client) -> None:
    code = _followed_up(db, clock, policy, taken)
    url = path_of(payload(db, code))
    page = client.get(url).text
    assert "Kirim keberatan" in page and 'method="post"' in page
    empty = client.post(url, data={"keberatan": "  "})
    assert empty.status_code == 400
    forged = client.post(re.sub(r"s=[a-z0-9]{3}", "s=zzz", url), data={"keberatan": "x"})
    assert forged.status_code == 404
    words = "Saluran belum dikeruk, masih banjir."
    sent = client.post(url, data={"keberatan": words}, follow_redirects=False)
    assert sent.status_code == 200  # the confirmation answers the dispute itself
    after = sent.text
    assert "Keberatan Anda sudah kami terima" in after
    assert "Keberatan warga" in after and words in after and "Sedang diproses" in after
    assert "Kirim keberatan" not in after
    reopened = client.post(url, data={"keberatan": words})
    assert reopened.status_code == 400 and "sudah selesai" in reopened.text
    with new_session(db.engine) as session:
        from posko.services.complaints import find_row, history

        row = find_row(session, code)
        assert row.status == "diproses"
        assert history(session, row.id or 0)[-1].actor == "warga"


def test_home_page_without_code(client) -> None:
    page = client.get("/lacak")
    assert page.status_code == 200 and "Pindai kode QR" in page.text
    # The test database is a training one: the form says so, as do its answers.
    assert "LATIHAN — data latihan, bukan pengaduan resmi" in page.text
    unknown = client.get("/lacak?kode=PKB-AAAA-AAAA&verifikasi=ABCD")
    assert unknown.status_code == 404 and "LATIHAN" in unknown.text


def test_an_operational_database_shows_no_latihan_banner(empty_db, clock, policy) -> None:
    from posko.services import setup

    setup.init_database(empty_db.engine, clock, policy, training=False)
    app = create_app(
        engine=empty_db.engine,
        settings=Settings(database_url=empty_db.url),
        policy=policy,
        clock=clock,
    )
    page = TestClient(app).get("/lacak")
    assert page.status_code == 200 and "LATIHAN" not in page.text


def _typed(code: str, sig: str) -> dict[str, str]:
    """The two codes as an elderly citizen might type them from the slip."""
    grouped = f"{sig[:4]} {sig[4:8]}-{sig[8:]}"  # lower case, a space and a dash
    return {"kode": " " + code.lower().replace("-", " "), "verifikasi": grouped.lower() + " "}


def test_form_asks_for_both_codes_without_script(client) -> None:
    page = client.get("/lacak")
    assert page.status_code == 200
    html = page.text
    assert '<form method="get" action="/lacak"' in html
    assert 'name="kode"' in html and 'name="verifikasi"' in html
    assert "Kode pelacakan" in html and "Kode verifikasi" in html
    assert "<script" not in html.lower()


def test_typed_codes_show_the_same_page_as_the_qr_code(db, clock, policy, taken, client) -> None:
    code = _followed_up(db, clock, policy, taken)
    scanned = payload(db, code)
    sig = scanned.split("s=")[1]
    typed = client.get("/lacak", params=_typed(code, sig))
    assert typed.status_code == 200
    assert code in typed.text and "Selesai" in typed.text and "Sedang diproses" in typed.text
    assert typed.text == client.get(path_of(scanned)).text  # dispute form included
    # A 0 typed as O, a 1 typed as I or L still names the same slip.
    misread = sig.replace("0", "O").replace("1", "l")
    assert client.get("/lacak", params=_typed(code, misread)).status_code == 200


def test_an_old_slips_verification_code_still_opens_its_page(db, taken, client) -> None:
    """Slips printed before the Crockford alphabet carry the tag in RFC 4648 base32."""
    code = taken.codes["31.71"][0]
    old = old_signature(db, code)
    assert client.get("/lacak", params=_typed(code, old)).status_code == 200
    assert client.get(f"/lacak/{code}?s={old}").status_code == 200
    # Read from paper where that alphabet has no 0, 1 or 8: O, I and B were meant.
    misread = old.replace("o", "0").replace("i", "1").replace("b", "8")
    assert client.get("/lacak", params=_typed(code, misread)).status_code == 200


def test_typed_wrong_verification_gets_the_unknown_codes_answer(db, taken, client) -> None:
    code = taken.codes["31.71"][0]
    sig = payload(db, code).split("s=")[1]
    wrong = ("a" if sig[0] != "a" else "c") + sig[1:]
    answers = {
        (r.status_code, r.text)
        for r in (
            client.get("/lacak", params=_typed(code, wrong)),
            client.get("/lacak", params=_typed("PKB-7K3Q-X9MJ", sig)),  # unknown code
            client.get("/lacak", params={"kode": code, "verifikasi": ""}),
            client.get("/lacak", params={"kode": "bukan kode", "verifikasi": sig}),
            client.get(f"/lacak/{code}?s={wrong}"),  # the QR link, forged
        )
    }
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404 and code not in body
    assert 'name="verifikasi"' in body  # the form again, to type it once more


def test_typed_lookups_share_the_rate_limit(db, taken, client) -> None:
    for number in range(FAILURES_PER_WINDOW):
        guess = {"kode": f"PKB-AAAA-AAA{number}", "verifikasi": "abcd-efgh-jklm"}
        assert client.get("/lacak", params=guess).status_code == 404
    genuine = path_of(payload(db, taken.codes["31.71"][0]))
    assert client.get(genuine).status_code == 429
