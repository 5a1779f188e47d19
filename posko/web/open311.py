"""The Open311 GeoReport v2 server under /open311/v2/, JSON or XML by the suffix.

GET services, services/{code}, requests, requests/{id}; POST requests and
servicerequestupdates for partners with an api_key. Errors are the spec's
error list (`[{"code": 403, "description": …}]`, `<errors><error>…`) with the
same HTTP code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import PoskoError
from posko.core.schedule import SchedulePolicy
from posko.i18n import _
from posko.services import open311_server
from posko.services.open311_server import Refused

MAX_FORM_BYTES = 64_000
FORMATS = ("json", "xml")
# The XML element of each list's items: GeoReport v2's names.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
}


def _xml_value(parent: ElementTree.Element, name: str, value: Any) -> None:
    child = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(child, "attribute", item)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            _xml_value(child, key, inner)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def _xml(root: str, items: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    top = ElementTree.Element(root)
    if isinstance(items, dict):
        for key, value in items.items():
            _xml_value(top, key, value)
    else:
        for item in items:
            _xml_value(top, ITEM.get(root, "item"), item)
    return ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)


def _answer(fmt: str, root: str, data: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(_xml(root, data), status_code=status, media_type="application/xml")
    return JSONResponse(data, status_code=status)


def _error(fmt: str, refused: Refused) -> Response:
    errors = [{"code": refused.code, "description": refused.description}]
    return _answer(fmt if fmt in FORMATS else "json", "errors", errors, refused.code)


async def _form(request: Request) -> dict[str, str]:
    """A urlencoded POST body (the spec's) merged over the query string."""
    form = dict(request.query_params)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Refused(400, "the request body is too large")
    kind = request.headers.get("content-type", "")
    if body and not kind.startswith("application/x-www-form-urlencoded"):
        raise Refused(400, "send the fields as application/x-www-form-urlencoded")
    form.update(parse_qsl(body.decode("utf-8", errors="replace"), max_num_fields=50))
    return form


def routes(
    *, engine: Engine, settings: Settings, policy: SchedulePolicy, clock: Clock
) -> list[Route]:
    def call(work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return open311_server.run(engine, work, *args, **kwargs)

    def endpoint(root: str, work: Callable[[Request, str], Any]):  # type: ignore[no-untyped-def]
        async def handle(request: Request) -> Response:
            fmt = request.path_params.get("fmt", "")
            try:
                if fmt not in FORMATS:
                    raise Refused(404, "use the suffix .json or .xml")
                data = await work(request, fmt)
            except Refused as refused:
                return _error(fmt, refused)
            except PoskoError as problem:
                # A rule of the desk refused it (e.g. a clock that is wrong): say which.
                code = 400 if problem.exit_code == 2 else 503
                return _error(fmt, Refused(code, _(problem.message, **problem.params)))
            return _answer(fmt, root, data)

        return handle

    async def services(request: Request, fmt: str) -> Any:
        return await run_in_threadpool(call, open311_server.services)

    async def definition(request: Request, fmt: str) -> Any:
        code = request.path_params["code"]
        return await run_in_threadpool(call, open311_server.service_definition, code)

    async def requests(request: Request, fmt: str) -> Any:
        if request.method == "POST":
            form = await _form(request)
            posted = await run_in_threadpool(
                call,
                open311_server.post_request,
                clock,
                policy,
                form=form,
                idempotency_key=request.headers.get("idempotency-key"),
            )
            return [posted]
        query = dict(request.query_params)
        return await run_in_threadpool(
            call, open311_server.requests, settings, policy, clock.now(), query
        )

    async def one_request(request: Request, fmt: str) -> Any:
        code = request.path_params["id"]
        return await run_in_threadpool(call, open311_server.request, settings, policy, code)

    async def updates(request: Request, fmt: str) -> Any:
        form = await _form(request)
        return [await run_in_threadpool(call, open311_server.post_update, clock, form=form)]

    return [
        Route("/services.{fmt}", endpoint("services", services)),
        Route("/services/{code}.{fmt}", endpoint("service_definition", definition)),
        Route("/requests.{fmt}", endpoint("service_requests", requests), methods=["GET", "POST"]),
        Route("/requests/{id}.{fmt}", endpoint("service_requests", one_request)),
        Route(
            "/servicerequestupdates.{fmt}",
            endpoint("service_request_updates", updates),
            methods=["POST"],
        ),
    ]
