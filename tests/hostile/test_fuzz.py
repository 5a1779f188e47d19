"""Hypothesis fuzzing of every entry point: random text, JSON, TOML and arguments."""

from __future__ import annotations

import json
import os
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posko.config import load_settings
from posko.core import signing, tracking
from posko.core.errors import InvalidInput, PoskoError
from posko.core.text import clean_text
from posko.services import roster_toml
from tests import conftest
from tests.hostile.harness import FIGURES, cli, judge

# Text as hostile as Hypothesis can make it, plus the escapes we know about.
NASTY = st.lists(
    st.one_of(
        st.characters(codec=None),
        st.sampled_from(
            ["\x1b", "\x1b[2J", "\x1b]0;t\x07", "\x07", "\x9b", "\x00", "\u202e", "\r\n"]
        ),
    ),
    max_size=80,
).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NASTY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NASTY, inner, max_size=4),
    max_leaves=20,
)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(127, 160)}


@FAST
@given(NASTY)
def test_typed_or_scanned_codes(text: str) -> None:
    code = tracking.normalize_code(text)
    assert code is None or tracking.normalize_code(code) == code
    FIGURES.answered("fuzz: tracking code", "parsed or None, never an exception")


SECRET = signing.new_secret()


@FAST
@given(NASTY, st.booleans())
def test_scanned_qr_payloads(text: str, wrap: bool) -> None:
    candidate = signing.DEFAULT_TEMPLATE.replace("{code}", text) if wrap else text
    parsed = signing.parse_payload(candidate, SECRET)
    assert parsed is None or not parsed.genuine
    FIGURES.answered("fuzz: QR payload", "not genuine or None, never an exception")


@FAST
@given(NASTY, st.booleans())
def test_cleaned_text_cannot_touch_the_terminal(text: str, multiline: bool) -> None:
    cleaned = clean_text(text, multiline=multiline)
    assert not set(cleaned) & CONTROLS
    assert "\u202e" not in cleaned and "\u202d" not in cleaned
    FIGURES.answered("fuzz: text shown on a terminal", "cleaned of escapes")


@FAST
@given(st.one_of(NASTY, st.dictionaries(NASTY, NASTY, max_size=5).map(str)))
def test_configuration_file(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    os.environ["POSKO_CONFIG"] = str(path)
    try:
        load_settings()
        FIGURES.answered("fuzz: configuration file", "accepted")
    except InvalidInput:
        FIGURES.answered("fuzz: configuration file", "refused with a message")
    finally:
        del os.environ["POSKO_CONFIG"]


@FAST
@given(NASTY, NASTY)
def test_roster_toml(policy, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    document = (
        f"[[session]]\ndate = {json.dumps(value)}\n[session.desks]\nJP = [{json.dumps(key)}]\n"
    )
    try:
        tomllib.loads(document)
    except tomllib.TOMLDecodeError:
        document = value
    try:
        roster_toml.parse_toml(policy, document)
        FIGURES.answered("fuzz: roster TOML", "accepted")
    except InvalidInput:
        FIGURES.answered("fuzz: roster TOML", "refused with a message")


@pytest.mark.usefixtures("fast_pins")
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_complaint_json_through_the_cli(db: conftest.TestDatabase, tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    text = data.draw(NASTY)
    document = data.draw(
        st.one_of(
            JSON,
            st.fixed_dictionaries(
                {
                    "reporter": st.fixed_dictionaries(
                        {"name": NASTY, "phone": st.just("081234567890"), "address": NASTY}
                    ),
                    "category": st.sampled_from(["banjir", text]),
                    "description": NASTY,
                    "location": st.fixed_dictionaries({"kota": st.just("31.71"), "address": NASTY}),
                }
            ),
        )
    )
    path = tmp_path_factory.mktemp("fuzz") / "complaint.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli(
        "complaint",
        "add",
        "--officer",
        "JP-AS1",
        "--file",
        str(path),
        "--json",
        db_url=db.url,
        now=conftest.SESSION_INSTANT.isoformat(),
        env={"POSKO_PIN": "123456"},
    )
    if judge("fuzz: complaint JSON (CLI)", result) == 0:
        judge(
            "fuzz: complaint show", cli("complaint", "show", result.json()["code"], db_url=db.url)
        )


READ_ONLY = [
    ["complaint", "show"],
    ["complaint", "list", "--date"],
    ["complaint", "list", "--status"],
    ["complaint", "search"],
    ["roster", "show", "--date"],
    ["roster", "show", "--from"],
    ["status", "--json", "--lang"],
    ["officer", "list", "--json", "--bogus"],
]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(READ_ONLY), NASTY.map(lambda t: t.replace("\x00", "")))
def test_command_line_arguments(db: conftest.TestDatabase, command: list[str], value: str) -> None:
    try:
        result = cli(*command, value, db_url=db.url)
    except PoskoError as error:  # pragma: no cover - run() must turn these into exit codes
        raise AssertionError(error) from None
    judge("fuzz: command-line argument", result)
