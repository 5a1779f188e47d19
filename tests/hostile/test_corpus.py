"""Every hostile input of the corpus through every entry point: a clear message or
stored faithfully and shown safely; never a traceback or an escape on the terminal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlmodel import select

from posko.core import signing, tracking
from posko.core.errors import InvalidInput
from posko.core.text import clean_text
from posko.services import roster_toml
from posko.store.db import new_session
from posko.store.models import Complaint
from tests import conftest
from tests.hostile.harness import FIGURES, as_text, cli, corpus, judge, storage_independent
from tests.reliability.checks import complaint_count

NOW = conftest.SESSION_INSTANT.isoformat()
PIN = {"POSKO_PIN": "123456"}


def _complaint_with(text: str) -> dict[str, object]:
    return {
        "reporter": {"name": text, "phone": "081234567890", "address": text},
        "category": "banjir",
        "description": text,
        "location": {"kota": "31.71", "address": text},
    }


@pytest.mark.usefixtures("fast_pins")
def test_complaint_json_through_the_cli(db: conftest.TestDatabase, tmp_path) -> None:
    stored = 0
    for name, raw in corpus():
        for variant, payload in (
            ("file", raw),
            ("fields", json.dumps(_complaint_with(as_text(raw))).encode("utf-8")),
        ):
            path = tmp_path / f"{variant}.json"
            path.write_bytes(payload)
            before = complaint_count(db.engine)
            result = cli(
                "complaint",
                "add",
                "--officer",
                "JP-AS1",
                "--file",
                str(path),
                "--json",
                db_url=db.url,
                now=NOW,
                env=PIN,
            )
            code = judge("complaint JSON (CLI)", result)
            if code != 0:
                assert complaint_count(db.engine) == before  # refused: nothing half-saved
                continue
            stored += 1
            saved = result.json()["code"]
            with new_session(db.engine) as session:
                row = session.exec(select(Complaint).where(Complaint.code == saved)).one()
            # Stored as validated: the text, cleaned of controls, not truncated or lost.
            expected = clean_text(as_text(raw), multiline=True)
            assert row.description == expected, name
            shown = cli("complaint", "show", saved, db_url=db.url)
            judge("complaint show (stored hostile text)", shown)
            assert shown.exit_code == 0
    assert stored > 0


def test_scanned_qr_text_and_typed_codes(db: conftest.TestDatabase) -> None:
    storage_independent(db)
    secret = signing.new_secret()
    for _name, raw in corpus():
        text = as_text(raw)
        for candidate in (text, signing.DEFAULT_TEMPLATE.replace("{code}", text)):
            parsed = signing.parse_payload(candidate, secret)
            assert parsed is None or not parsed.genuine
            FIGURES.answered("QR payload (parse_payload)", "not a genuine slip")
            assert tracking.normalize_code(candidate) is None
            FIGURES.answered("tracking code (normalize_code)", "not a code")
        judge("complaint show CODE (CLI)", cli("complaint", "show", text[:5000], db_url=db.url))


def test_configuration_files(db: conftest.TestDatabase, tmp_path) -> None:
    storage_independent(db)
    for name, raw in corpus():
        for variant, payload in (
            ("whole", raw),
            ("value", b'language = "' + raw.replace(b'"', b"") + b'"\nretention_months = 24\n'),
            ("number", b'retention_months = "' + raw.replace(b'"', b"")[:100] + b'"\n'),
        ):
            config = tmp_path / f"{variant}.toml"
            config.write_bytes(payload)
            result = cli(
                "category",
                "list",
                db_url=db.url,
                env={"POSKO_CONFIG": str(config)},
            )
            assert judge("configuration file", result) != 0 or variant != "number", name


def test_schedule_policy_files(db: conftest.TestDatabase, tmp_path) -> None:
    storage_independent(db)
    for _name, raw in corpus():
        policy = tmp_path / "policy.toml"
        policy.write_bytes(raw)
        result = cli(
            "status",
            db_url=db.url,
            env={"POSKO_POLICY_FILE": str(policy)},
        )
        judge("schedule policy TOML", result)


def test_roster_toml(policy) -> None:
    for _name, raw in corpus():
        text = as_text(raw).replace('"', "").replace("\\", "")
        for document in (
            as_text(raw),
            f'[[session]]\ndate = "{text}"\n[session.desks]\nJP = ["{text}"]\n',
            f'[[session]]\ndate = 2026-12-01\n[session.desks]\nJP = ["{text}"]\n',
        ):
            try:
                roster_toml.parse_toml(policy, document)
            except InvalidInput:
                FIGURES.answered("roster TOML (parse_toml)", "refused with a message")
            else:
                FIGURES.answered("roster TOML (parse_toml)", "accepted")


def _open311_request(text: str) -> dict[str, object]:
    return {
        "service_request_id": text,
        "service_code": text,
        "description": text,
        "requested_datetime": text,
        "address_string": text,
        "address_id": "31.71",
        "status": "open",
        "status_notes": text,
        "lat": text,
        "long": -6.2,
    }


def test_open311_import(db: conftest.TestDatabase, tmp_path) -> None:
    before = complaint_count(db.engine)
    for _name, raw in corpus():
        for variant, payload in (
            ("file", raw),
            ("request", json.dumps([_open311_request(as_text(raw))]).encode("utf-8")),
            ("wrapped", json.dumps({"requests": as_text(raw)}).encode("utf-8")),
        ):
            path = tmp_path / f"{variant}.json"
            path.write_bytes(payload)
            result = cli("import", "open311", str(path), "--officer", "JP-WL1", db_url=db.url)
            assert judge("Open311 import (CLI)", result) != 0
    assert complaint_count(db.engine) == before  # all or nothing: none half-imported


OPTIONS = [
    ("complaint", "list", "--date"),
    ("complaint", "list", "--status"),
    ("complaint", "list", "--region"),
    ("roster", "show", "--date"),
    ("complaint", "search"),
]


def test_command_line_arguments(db: conftest.TestDatabase, tmp_path) -> None:
    for _name, raw in corpus():
        text = as_text(raw)[:5000].replace("\x00", "")  # argv cannot hold NUL
        for args in OPTIONS:
            judge("command-line argument", cli(*args, text, db_url=db.url))
        judge("--now", cli("status", db_url=db.url, now=text or "x"))
        judge("--lang", cli("--lang", text or "x", "status", db_url=db.url))
        # Output names: refused, or a new file exactly where the name says; never an
        # existing file overwritten.
        (tmp_path / "out").mkdir(exist_ok=True)
        result = cli("backup", str(tmp_path / "out" / text[:200]), db_url=db.url)
        judge("output file name (posko backup)", result)


@pytest.mark.parametrize(
    "argv",
    [
        [b"complaint", b"show", b"\xff\xfe\x1b[2J"],
        [b"complaint", b"list", b"--date", b"\xc3\x28\x1b]0;x\x07"],
        [b"--now", b"\xed\xa0\x80", b"status"],
        [b"roster", b"show", b"--date", b"\xe2\x80\xae2026-12-01"],
    ],
)
def test_invalid_utf8_arguments_in_a_real_process(
    db: conftest.TestDatabase, argv: list[bytes]
) -> None:
    storage_independent(db)
    done = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"posko",
            b"--lang",
            b"en",
            b"--db",
            db.url.encode(),
            *argv,
        ],
        capture_output=True,
        timeout=60,
    )
    shown = (done.stdout + done.stderr).decode("utf-8", errors="replace")
    assert b"\x1b" not in done.stdout + done.stderr
    assert "Traceback" not in shown and "Unexpected error" not in shown, shown
    assert done.returncode in (1, 2), shown
    FIGURES.answered(
        "invalid UTF-8 argv (real process)", f"refused with a message (exit {done.returncode})"
    )
