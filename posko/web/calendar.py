"""`/kalender/TOKEN.ics`: an officer's roster as a calendar app subscribes to it.

The token is the officer's private subscription (services.calendar_tokens);
an unknown or revoked one gets a plain 404, and a client that keeps guessing
is refused for a while, as on the status page.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from posko.core.clock import Clock
from posko.core.schedule import SchedulePolicy
from posko.services import calendar_tokens
from posko.web.ratelimit import RateLimiter

FAILURES_PER_WINDOW = 10
WINDOW = timedelta(minutes=10)
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def calendar_routes(*, engine: Engine, policy: SchedulePolicy, clock: Clock) -> list[Route]:
    failures = RateLimiter(clock, FAILURES_PER_WINDOW, WINDOW)

    def fetch(token: str) -> bytes | None:
        return calendar_tokens.calendar_at(engine, clock, policy, token)

    async def subscription(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if failures.blocked(client):
            return PlainTextResponse("Terlalu banyak percobaan.", 429, headers=HEADERS)
        body = await run_in_threadpool(fetch, request.path_params["token"])
        if body is None:
            failures.hit(client)
            return PlainTextResponse("Tidak ditemukan.", 404, headers=HEADERS)
        return Response(body, media_type="text/calendar; charset=utf-8", headers=HEADERS)

    return [Route(calendar_tokens.PATH, subscription)]
