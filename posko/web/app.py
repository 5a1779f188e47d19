"""The Starlette app of the status page: `/lacak/{code}?s={sig}`, where the QR points.

GET shows the complaint's status and dated steps; POST (the same address,
with the slip's signed code) records a citizen's dispute of a completion.
`/antrean` is the waiting room's board and `/antrean/{day}/{number}` the
page a queue ticket's QR code opens (web/queue_pages.py). `/lacak` without a
code is a form for a citizen without a phone camera: the
tracking code and the verification code typed from the slip
(`/lacak?kode=…&verifikasi=…`) get the same page as the QR code's address.
Unknown, forged and malformed codes get one and the same 404; every client
IP has a budget of look-ups and a smaller one of failed look-ups, so codes
cannot be enumerated.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, quote, urlencode

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import PoskoError
from posko.core.schedule import SchedulePolicy
from posko.i18n import _
from posko.services import board, followup, public_status, setup
from posko.store.db import new_session
from posko.web import pages, queue_pages
from posko.web.calendar import calendar_routes
from posko.web.ratelimit import RateLimiter

LOOKUPS_PER_WINDOW = 30
FAILURES_PER_WINDOW = 10
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


def create_app(
    *, engine: Engine, settings: Settings, policy: SchedulePolicy, clock: Clock
) -> Starlette:
    lookups = RateLimiter(clock, LOOKUPS_PER_WINDOW, WINDOW)
    failures = RateLimiter(clock, FAILURES_PER_WINDOW, WINDOW)
    rules = followup.rules_for(settings, policy)
    # Fixed at `posko init` (a real database never becomes a training one): read once.
    with new_session(engine) as session:
        training = setup.is_training(session)

    def client(request: Request) -> str:
        return request.client.host if request.client else "?"

    def find(code: str, sig: str) -> public_status.PublicStatus | None:
        with new_session(engine) as session:
            return public_status.public_status(
                session, settings, policy, rules, clock.now(), code, sig
            )

    def dispute(code: str, text: str) -> None:
        with new_session(engine) as session:
            followup.dispute(session, clock, rules, code=code, text=text)

    def throttled(request: Request) -> Response | None:
        ip = client(request)
        if lookups.blocked(ip) or failures.blocked(ip):
            return _html(pages.too_many_page(training=training), 429, **{"Retry-After": "600"})
        lookups.hit(ip)
        return None

    async def lookup(request: Request) -> Response:
        return await show(request, request.path_params["code"], request.query_params.get("s", ""))

    async def show(request: Request, code: str, sig: str) -> Response:
        refused = throttled(request)
        if refused is not None:
            return refused
        sig = public_status.normalize_verification(sig)
        view = await run_in_threadpool(find, code, sig)
        if view is None:
            failures.hit(client(request))
            return _html(pages.not_found_page(training=training), 404)
        error = ""
        if request.method == "POST":
            text = await _form_text(request)
            if view.dispute_until is None:
                error = (
                    "Keberatan hanya dapat diajukan atas pengaduan yang sudah selesai, "
                    "dalam batas waktunya."
                )
            elif not text:
                error = "Tuliskan keberatan Anda terlebih dahulu."
            else:
                try:
                    await run_in_threadpool(dispute, view.code, text)
                except PoskoError as problem:
                    error = _(problem.message, **problem.params)
                else:
                    target = f"/lacak/{quote(view.code)}?{urlencode({'s': sig, 'keberatan': '1'})}"
                    return RedirectResponse(target, status_code=303, headers=HEADERS)
        action = f"/lacak/{quote(view.code)}?{urlencode({'s': sig})}"
        sent = request.query_params.get("keberatan") == "1"
        page = pages.status_page(view, rules.zone, action=action, sent=sent, error=error)
        return _html(page, 400 if error else 200)

    async def home(request: Request) -> Response:
        # The form of the home page: the code and the verification code typed
        # from the slip, answered exactly as the QR code's address would be.
        if "kode" in request.query_params:
            typed = request.query_params
            return await show(request, typed["kode"], typed.get("verifikasi", ""))
        return _html(pages.home_page(training=training))

    def waiting_room(day: date | None, number: int | None) -> str:
        with new_session(engine) as session:
            shown = board.board(session, clock, policy)
            if day is None or number is None:
                return queue_pages.board_page(shown)
            return queue_pages.phone_page(
                shown, board.position(session, policy, day, number), number
            )

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

    return Starlette(
        routes=[
            Route("/", home),
            Route("/lacak", home),
            Route("/lacak/{code}", lookup, methods=["GET", "POST"]),
            Route("/antrean", queue_board),
            Route("/antrean/{day}/{number}", queue_number),
            *calendar_routes(engine=engine, policy=policy, clock=clock),
        ]
    )


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
