"""Real servers on loopback for the outbox tests: SMTP (aiosmtpd), an HTTP
gateway, and `posko serve`; each stops when its test ends."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, payload

SESSION = "2026-12-01T08:15:00+07:00"
CLOSED = "2026-12-01T09:45:00+07:00"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(path: Path, text: str) -> dict[str, str]:
    """config.toml for the commands; returns the env that points posko at it."""
    path.write_text(text, encoding="utf-8")
    return {"POSKO_CONFIG": str(path)}


class Mailbox:
    """An SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[EmailMessage] = []
        self.controller: Any = None

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.received.append(
            message_from_bytes(envelope.original_content, policy=policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Gateway:
    """An HTTP gateway on 127.0.0.1: answers each POST with the next of `answers`."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.calls: list[tuple[int, dict[str, str], Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                code = gateway.answers.pop(0) if gateway.answers else 200
                gateway.calls.append((code, dict(self.headers), body))
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": %s}' % (b"true" if code == 200 else b"false"))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_for(port: int, server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(
                f"posko serve exited: {server.stderr.read() if server.stderr else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("posko serve did not start listening")


@contextmanager
def serving(
    db_url: str, now: str, port: int, env: dict[str, str] | None = None, drain_every: float = 0
) -> Iterator[str]:
    """`posko serve` in its own process; yields its Open311 base URL; stopped at the end."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("POSKO_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posko",
            "--db",
            db_url,
            "--now",
            now,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--drain-every",
            str(drain_every),
        ],
        env={**base_env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, server)
        yield f"http://127.0.0.1:{port}/open311/v2"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def submit(db_url: str, data: dict, env: dict[str, str] | None = None, now: str = SESSION):  # type: ignore[no-untyped-def]
    """`posko complaint add` by the duty officer JP-AS1: the command's result."""
    return posko(
        "complaint",
        "add",
        "--officer",
        "JP-AS1",
        "--file",
        "-",
        "--json",
        db_url=db_url,
        now=now,
        stdin=json.dumps(data),
        env={**PIN, **(env or {})},
    )


def add_complaint(
    db_url: str, data: dict, env: dict[str, str] | None = None, now: str = SESSION
) -> str:
    result = submit(db_url, data, env, now)
    assert result.exit_code == 0, result.stderr
    return result.json()["code"]


def ack(db, code: str, now: str, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """`posko handoff ack` of the complaint's slip payload by the regional office's JP-WL1."""
    result = posko(
        "handoff",
        "ack",
        payload(db, code),
        "--officer",
        "JP-WL1",
        db_url=db.url,
        now=now,
        env={**PIN, **env},
    )
    assert result.exit_code == 0, result.stderr


def drain(db_url: str, now: str, env: dict[str, str]) -> dict[str, int]:
    result = posko("notify", "drain", "--json", db_url=db_url, now=now, env=env)
    assert result.exit_code == 0, result.stderr
    return result.json()
