"""The Starlette app of the status page: `/lacak/{code}?s={sig}`, where the QR points.

GET shows the complaint's status and dated steps; POST (the same address,
with the slip's signed code) records a citizen's dispute of a completion.
`/antrean` is the waiting room's board and `/antrean/{day}/{number}` the
page a queue ticket's QR code opens (web/queue_pages.py). `/lacak` without a
code is a form for a citizen without a phone camera: the
tracking code and the verification code typed from the slip
(`/lacak?kode=…&verifikasi=…`) get the same page as the QR code's address.
`POST /lacak/{code}/berhenti?s={sig}` stops the status messages the citizen
consented to. The Open311 GeoReport v2 server is mounted under /open311/v2
(`posko.web.open311`).
Unknown, forged and malformed codes get one and the same 404. Failed
look-ups are limited per client address and per tracking code, so codes
cannot be enumerated and no one code's signature can be hammered, while a
neighbourhood behind one NAT keeps a budget large enough to share; behind a
reverse proxy the citizen's address comes from X-Forwarded-For, trusted only
from `forwarded_allow_ips` (see `posko serve`).

Every response, the framework's own 404, 405 and errors included, carries
the security headers; nothing redirects to an address built from the Host
header; a confirmation (dispute, stopped messages) is the answer to the
action itself, so no address shows it without one.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, quote, urlencode

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.schedule import SchedulePolicy
from posko.core.tracking import normalize_code
from posko.i18n import error_text
from posko.services import board, followup, public_status, setup
from posko.web import open311, pages, queue_pages
from posko.web.calendar import calendar_routes
from posko.web.ratelimit import RateLimiter

LOOKUPS_PER_WINDOW = 120  # per client address: a shared NAT, a kelurahan office
FAILURES_PER_WINDOW = 30  # per client address
CODE_FAILURES_PER_WINDOW = 10  # per tracking code, whoever asks
WINDOW = timedelta(minutes=10)
MAX_FORM_BYTES = 16_384
HEADERS = {
    # No scripts, no frames, no third parties: the page is text and one form.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    # The address carries the slip's signature; never hand it to another site.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def _html(body: str, status: int = 200, **extra: str) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**HEADERS, **extra})


class SecurityHeaders:
    """ASGI middleware: the headers on every response, whoever made it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    return _html(pages.not_found_page(), 404)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return _html(pages.not_found_page(), 404)
    allow = {"Allow": "GET, POST"} if status == 405 else {}
    return _html(pages.error_page(), status, **allow)


async def _server_error(request: Request, exc: Exception) -> Response:
    return _html(pages.error_page(), 500)


def create_app(
    *, engine: Engine, settings: Settings, policy: SchedulePolicy, clock: Clock
) -> Starlette:
    lookups = RateLimiter(clock, LOOKUPS_PER_WINDOW, WINDOW)
    failures = RateLimiter(clock, FAILURES_PER_WINDOW, WINDOW)
    code_failures = RateLimiter(clock, CODE_FAILURES_PER_WINDOW, WINDOW)
    rules = followup.rules_for(settings, policy)
    # Fixed at `posko init` (a real database never becomes a training one): read once.
    training = setup.training_database(engine)

    def client(request: Request) -> str:
        # uvicorn has already replaced it with X-Forwarded-For's when the
        # request came through a trusted proxy (forwarded_allow_ips).
        return request.client.host if request.client else "?"

    site = public_status.Site(engine, settings, policy, rules, clock)

    def find(code: str, sig: str) -> public_status.PublicStatus | None:
        return public_status.find(site, code, sig)

    def stop(view: public_status.PublicStatus, sig: str) -> str:
        return f"/lacak/{quote(view.code)}/berhenti?{urlencode({'s': sig})}"

    def dispute(code: str, sig: str, text: str) -> public_status.Dispute | None:
        return public_status.dispute(site, code, sig, text)

    def withdraw(code: str, sig: str) -> public_status.PublicStatus | None:
        return public_status.stop_messages(site, code, sig)

    def throttled(request: Request, code_key: str | None) -> Response | None:
        ip = client(request)
        hammered = code_key is not None and code_failures.blocked(code_key)
        if lookups.blocked(ip) or failures.blocked(ip) or hammered:
            return _html(pages.too_many_page(training=training), 429, **{"Retry-After": "600"})
        lookups.hit(ip)
        return None

    async def lookup(request: Request) -> Response:
        return await show(request, request.path_params["code"], request.query_params.get("s", ""))

    async def show(request: Request, code: str, sig: str) -> Response:
        # A malformed code names no slip: limited per address only.
        code_key = normalize_code(code)
        refused = throttled(request, code_key)
        if refused is not None:
            return refused
        sig = public_status.normalize_verification(sig)
        # A POST is the dispute: its one session checks, disputes and answers.
        outcome = None
        if request.method == "POST":
            text = await _form_text(request)
            outcome = await run_in_threadpool(dispute, code, sig, text)
            view = outcome.view if outcome else None
        else:
            view = await run_in_threadpool(find, code, sig)
        if view is None:
            failures.hit(client(request))
            if code_key is not None:
                code_failures.hit(code_key)
            return _html(pages.not_found_page(training=training), 404)
        action = f"/lacak/{quote(view.code)}?{urlencode({'s': sig})}"
        if outcome is not None and outcome.made:
            # The confirmation answers the dispute itself: no address shows
            # it to someone who made none.
            page = pages.status_page(
                view, rules.zone, action=action, sent=True, stop_action=stop(view, sig)
            )
            return _html(page)
        error = "" if outcome is None else _refusal(outcome)
        page = pages.status_page(
            view, rules.zone, action=action, error=error, stop_action=stop(view, sig)
        )
        return _html(page, 400 if error else 200)

    async def stop_messages(request: Request) -> Response:
        # The slip's signature is the citizen's proof, as for a dispute.
        refused = throttled(request, normalize_code(request.path_params["code"]))
        if refused is not None:
            return refused
        sig = public_status.normalize_verification(request.query_params.get("s", ""))
        view = await run_in_threadpool(withdraw, request.path_params["code"], sig)
        if view is None:
            failures.hit(client(request))
            return _html(pages.not_found_page(), 404)
        # The confirmation answers the request itself, as a dispute's does.
        action = f"/lacak/{quote(view.code)}?{urlencode({'s': sig})}"
        return _html(
            pages.status_page(
                view, rules.zone, action=action, stopped=True, stop_action=stop(view, sig)
            )
        )

    async def home(request: Request) -> Response:
        # The form of the home page: the code and the verification code typed
        # from the slip, answered exactly as the QR code's address would be.
        if "kode" in request.query_params:
            typed = request.query_params
            return await show(request, typed["kode"], typed.get("verifikasi", ""))
        return _html(pages.home_page(training=training))

    def waiting_room(day: date | None, number: int | None) -> str:
        shown, position = board.for_page(engine, clock, policy, day, number)
        if day is None or number is None:
            return queue_pages.board_page(shown)
        return queue_pages.phone_page(shown, position, number)

    async def queue_board(request: Request) -> Response:
        return _html(await run_in_threadpool(waiting_room, None, None))

    async def queue_number(request: Request) -> Response:
        # Numbers only: nothing secret to enumerate, so no rate limit beyond the board's.
        try:
            day = date.fromisoformat(request.path_params["day"])
            number = int(request.path_params["number"])
        except ValueError:
            return _html(pages.not_found_page(training=training), 404)
        return _html(await run_in_threadpool(waiting_room, day, number))

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/lacak", home),
            Route("/lacak/", home),
            Route("/lacak/{code}", lookup, methods=["GET", "POST"]),
            Route("/antrean", queue_board),
            Route("/antrean/{day}/{number}", queue_number),
            *calendar_routes(engine=engine, policy=policy, clock=clock),
            Route("/lacak/{code}/berhenti", stop_messages, methods=["POST"]),
            Mount(
                "/open311/v2",
                routes=open311.routes(engine=engine, settings=settings, policy=policy, clock=clock),
            ),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            404: _not_found,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    # Starlette redirects /x/ to /x with an absolute URL built from the Host
    # header; a page that does not exist is a 404 instead.
    app.router.redirect_slashes = False
    return app


def _refusal(outcome: public_status.Dispute) -> str:
    """Why the citizen's dispute was not made, in the page's words."""
    if outcome.view.dispute_until is None:
        return (
            "Keberatan hanya dapat diajukan atas pengaduan yang sudah selesai, "
            "dalam batas waktunya."
        )
    if outcome.refused is None:  # not tried: the text was empty
        return "Tuliskan keberatan Anda terlebih dahulu."
    return error_text(outcome.refused)  # alone on the page: a sentence


async def _form_text(request: Request) -> str:
    """The dispute text of a urlencoded form (no multipart parser needed)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return ""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return ""
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=5)
    return (fields.get("keberatan") or [""])[0].strip()
