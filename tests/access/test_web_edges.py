"""Finding 6 of issue 12, the status page's edges: headers on every response,
no Host-built redirect, no confirmation without a dispute, rate limits per
address (behind a trusted proxy) and per slip code."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from posko.config import Settings
from posko.core.clock import FixedClock
from posko.web.app import CODE_FAILURES_PER_WINDOW, FAILURES_PER_WINDOW, HEADERS, create_app
from tests.access.conftest import Desk
from tests.conftest import policy_from_repo, wib
from tests.handoff.conftest import payload

pytestmark = pytest.mark.db


def app_for(desk: Desk):  # type: ignore[no-untyped-def]
    return create_app(
        engine=desk.db.engine,  # type: ignore[attr-defined]
        settings=Settings(database_url=desk.db.url),  # type: ignore[attr-defined]
        policy=policy_from_repo(),
        clock=FixedClock(wib("2026-12-01 08:30")),
    )


def page_of(desk: Desk, code: str) -> str:
    return "/lacak/" + payload(desk.db, code).split("/lacak/", 1)[1]


def assert_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, name)


def test_every_response_carries_the_security_headers(desk: Desk) -> None:
    client = TestClient(app_for(desk), raise_server_exceptions=False)
    responses = [
        client.get("/"),
        client.get("/tidak-ada"),  # Starlette's own 404
        client.put("/lacak/PKB-AAAA-AAAA"),  # its own 405
        client.delete("/lacak"),
        client.get("/lacak/", follow_redirects=False),
        client.get(page_of(desk, desk.open_code)),
        client.get("/lacak/PKB-AAAA-AAAA?s=x"),
    ]
    assert [r.status_code for r in responses] == [200, 404, 405, 405, 200, 200, 404]
    for response in responses:
        assert_headers(response)
        assert "<script" not in response.text.lower()


def test_no_redirect_is_built_from_the_host_header(desk: Desk) -> None:
    client = TestClient(app_for(desk))
    for path in ("/lacak/", "/lacak//", f"{page_of(desk, desk.open_code)}/"):
        answer = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert answer.status_code in (200, 404), path
        assert "evil.example" not in answer.headers.get("location", "")
        assert "evil.example" not in answer.text


def test_no_confirmation_without_a_dispute(desk: Desk) -> None:
    client = TestClient(app_for(desk))
    page = client.get(page_of(desk, desk.open_code) + "&keberatan=1")
    assert page.status_code == 200
    assert "Keberatan Anda sudah kami terima" not in page.text


def test_one_code_cannot_be_hammered_from_many_addresses(desk: Desk) -> None:
    # Each guess from another address (a botnet, or many phones on a NAT's
    # rotating addresses): the code's own budget still runs out.
    app = ProxyHeadersMiddleware(app_for(desk), trusted_hosts="testclient")
    client = TestClient(app)
    code = desk.open_code
    for number in range(CODE_FAILURES_PER_WINDOW):
        guess = client.get(
            f"/lacak/{code}?s=wrong{number}", headers={"X-Forwarded-For": f"10.0.0.{number}"}
        )
        assert guess.status_code == 404
    genuine = page_of(desk, code)
    blocked = client.get(genuine, headers={"X-Forwarded-For": "10.0.1.1"})
    assert blocked.status_code == 429
    other = client.get(page_of(desk, desk.secret_code), headers={"X-Forwarded-For": "10.0.1.1"})
    assert other.status_code == 200  # another citizen's slip still works


def test_behind_a_trusted_proxy_each_citizen_has_their_own_budget(desk: Desk) -> None:
    app = ProxyHeadersMiddleware(app_for(desk), trusted_hosts="testclient")
    client = TestClient(app)
    for number in range(FAILURES_PER_WINDOW):
        code = f"PKB-AAAA-AA{number:02d}"
        client.get(f"/lacak/{code}?s=x", headers={"X-Forwarded-For": "10.9.9.9"})
    noisy = client.get(page_of(desk, desk.open_code), headers={"X-Forwarded-For": "10.9.9.9"})
    assert noisy.status_code == 429
    neighbour = client.get(page_of(desk, desk.open_code), headers={"X-Forwarded-For": "10.9.9.8"})
    assert neighbour.status_code == 200


def test_an_untrusted_proxy_cannot_choose_its_address(desk: Desk) -> None:
    app = ProxyHeadersMiddleware(app_for(desk), trusted_hosts="192.0.2.1")
    client = TestClient(app)
    for number in range(FAILURES_PER_WINDOW):
        client.get(
            f"/lacak/PKB-AAAA-AA{number:02d}?s=x",
            headers={"X-Forwarded-For": f"10.0.0.{number}"},
        )
    # Every guess counted against the one real address, whatever it claimed.
    assert client.get(page_of(desk, desk.open_code)).status_code == 429


def test_serve_passes_the_trusted_proxies_to_uvicorn(desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    ran = desk.run("serve", "--forwarded-allow-ips", "10.1.2.3", pin=False)
    assert ran.exit_code == 0, ran.stderr
    assert seen["proxy_headers"] is True and seen["forwarded_allow_ips"] == "10.1.2.3"
    desk.run("serve", pin=False)
    assert seen["forwarded_allow_ips"] == "127.0.0.1"


def test_an_unexpected_error_is_a_plain_page_with_the_headers(desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from posko.services import public_status

    def broken(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(public_status, "find", broken)
    client = TestClient(app_for(desk), raise_server_exceptions=False)
    answer = client.get(page_of(desk, desk.open_code))
    assert answer.status_code == 500
    assert_headers(answer)
    assert "database went away" not in answer.text and "Traceback" not in answer.text
