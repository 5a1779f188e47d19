"""The slip's signed QR payload: genuine slips pass, any altered one does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posko.core.signing import (
    DEFAULT_TEMPLATE,
    SIGNATURE_LENGTH,
    ParsedPayload,
    build_payload,
    matches,
    new_secret,
    parse_payload,
    signature,
)

from .helpers import CODE, SECRET

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
codes = st.builds(
    lambda prefix, body: f"{prefix}-{body[:4]}-{body[4:]}",
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5),
    st.text(ALPHABET, min_size=8, max_size=8),
)


def test_payload_is_the_template_filled() -> None:
    payload = build_payload(DEFAULT_TEMPLATE, CODE, SECRET)
    sig = signature(CODE, SECRET)
    assert payload == f"https://lacak.posko-latihan.invalid/lacak/{CODE}?s={sig}"
    assert len(sig) == SIGNATURE_LENGTH
    assert sig.isalnum() and sig == sig.lower()


def test_genuine_payload_is_accepted() -> None:
    payload = build_payload(DEFAULT_TEMPLATE, CODE, SECRET)
    assert parse_payload(payload, SECRET) == ParsedPayload(code=CODE, genuine=True)


@pytest.mark.parametrize(
    "decorate",
    [
        lambda p: f"  {p}\n",  # a hand scanner's trailing newline
        lambda p: p + "\r\n",
        lambda p: "\ufeff" + p,
        lambda p: p.replace("lacak.posko-latihan.invalid", "LACAK.Posko-Latihan.INVALID"),
        lambda p: p.replace("https", "HTTPS"),
    ],
)
def test_scanner_noise_is_forgiven(decorate) -> None:
    payload = build_payload(DEFAULT_TEMPLATE, CODE, SECRET)
    assert parse_payload(decorate(payload), SECRET) == ParsedPayload(CODE, True)


def test_lower_case_code_names_the_same_complaint() -> None:
    payload = build_payload(DEFAULT_TEMPLATE, CODE, SECRET).replace(CODE, CODE.lower())
    assert parse_payload(payload, SECRET) == ParsedPayload(CODE, True)


def test_other_secret_is_not_genuine() -> None:
    payload = build_payload(DEFAULT_TEMPLATE, CODE, SECRET)
    assert parse_payload(payload, new_secret()) == ParsedPayload(CODE, False)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PKB-7K3Q-X9MD",
        "https://example.com/lacak/PKB-7K3Q-X9MD?s=abc",
        "https://lacak.posko-latihan.invalid/lacak/PKB-7K3Q-X9MD",
        "https://lacak.posko-latihan.invalid/lacak/?s=abcdefabcdef",
        "https://lacak.posko-latihan.invalid/lacak/PKB-7K3Q-X9MD?s=abc&x=1",
        "https://lacak.posko-latihan.invalid/lacak/PKB\u212a-7K3Q-X9MD?s=abcdefabcdef",
        "javascript:alert(1)",
    ],
)
def test_not_a_payload(text: str) -> None:
    assert parse_payload(text, SECRET) is None


def test_custom_template_round_trip() -> None:
    template = "http://10.0.0.5:8080/status?c={code}&s={sig}"
    payload = build_payload(template, CODE, SECRET)
    assert payload.startswith("http://10.0.0.5:8080/status?c=PKB-7K3Q-X9MD&s=")
    assert parse_payload(payload, SECRET, template) == ParsedPayload(CODE, True)
    assert parse_payload(payload, SECRET) is None  # not the default template


def test_template_needs_both_fields() -> None:
    with pytest.raises(ValueError):
        build_payload("https://x/{code}", CODE, SECRET)


def test_empty_secret_refused() -> None:
    with pytest.raises(ValueError):
        signature(CODE, b"")


def test_new_secret_is_random_and_long() -> None:
    assert len(new_secret()) >= 32
    assert new_secret() != new_secret()


@settings(max_examples=200, deadline=None)
@given(codes, st.data())
def test_any_single_change_is_refused(code: str, data: st.DataObject) -> None:
    payload = build_payload(DEFAULT_TEMPLATE, code, SECRET)
    assert parse_payload(payload, SECRET) == ParsedPayload(code, True)
    # Change one character of the code or of the signature.
    start = payload.index(code)
    positions = [i for i in range(start, start + len(code)) if payload[i] != "-"]
    positions += list(range(len(payload) - SIGNATURE_LENGTH, len(payload)))
    index = data.draw(st.sampled_from(positions))
    old = payload[index].upper()
    new = data.draw(st.sampled_from([ch for ch in ALPHABET if ch != old]))
    tampered = payload[:index] + (new.lower() if index >= start + len(code) else new)
    tampered += payload[index + 1 :]
    parsed = parse_payload(tampered, SECRET)
    assert parsed is None or not parsed.genuine


@given(codes)
@settings(max_examples=200)
def test_the_printed_signature_has_no_letter_that_looks_like_a_digit(code: str) -> None:
    sig = signature(code, SECRET)
    assert len(sig) == SIGNATURE_LENGTH
    assert not set(sig.upper()) & set("OILU")
    assert set(sig) <= set(ALPHABET.lower())


@given(codes)
@settings(max_examples=100)
def test_an_old_slips_rfc4648_signature_still_verifies(code: str) -> None:
    import base64
    import hashlib
    import hmac

    digest = hmac.new(SECRET, b"posko-slip-v1:" + code.encode(), hashlib.sha256).digest()
    old = base64.b32encode(digest).decode()[:12].lower()
    payload = DEFAULT_TEMPLATE.replace("{code}", code).replace("{sig}", old)
    assert parse_payload(payload, SECRET) == ParsedPayload(code, True)
    assert matches(old.upper(), code, SECRET)


def test_lookalikes_typed_by_a_person_are_read_as_digits() -> None:
    # A code whose signature holds both a 0 and a 1, so the reading is exercised.
    code = next(
        c
        for c in (f"PKB-{n:04d}-000{n % 10}" for n in range(1000))
        if {"0", "1"} <= set(signature(c, SECRET))
    )
    genuine = signature(code, SECRET)
    misread = genuine.replace("0", "O").replace("1", "I").upper()
    assert matches(misread, code, SECRET)
    assert matches(genuine.replace("1", "L"), code, SECRET)
    assert matches("-".join([genuine[:4], genuine[4:8], genuine[8:]]), code, SECRET)
    assert not matches(genuine[:-1], code, SECRET)
