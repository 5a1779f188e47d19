"""Signed QR payloads: a slip's URL carries a short HMAC over its tracking code.

The regional office scans a slip and asks "is this ours?". The answer comes
from a per-installation secret that is created at `init` and never printed:
`sig` is HMAC-SHA256(secret, "posko-slip-v1:" + CODE), cut to 60 bits and
written as 12 symbols. A forger who cannot see the secret has to guess those
bits one online attempt at a time, which is hopeless; a longer tag would only
make the QR code denser for elderly citizens' phones.

The symbols are Crockford's base32 (the tracking code's alphabet: no I, L, O
or U), so a printed code never asks the reader to tell O from 0 or I from 1
from L; a reader who types O, I or L anyway means 0 or 1. Slips printed
before 2026-12 carry the same 60 bits in RFC 4648 base32 (A-Z, 2-7), where O
and I are letters: `matches` accepts both spellings, so old slips still
verify (a forger gains one bit of 60 from the second spelling).

Pure and stdlib-only, so the status web page, the CLI and the tests share it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

# A host that can never resolve (.invalid, RFC 2606): what training slips and
# tests carry. An installation sets its own status page at `posko init`.
DEFAULT_TEMPLATE = "https://lacak.posko-latihan.invalid/lacak/{code}?s={sig}"
SIGNATURE_LENGTH = 12  # base32 symbols, 5 bits each
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
RFC4648 = "abcdefghijklmnopqrstuvwxyz234567"  # slips printed before 2026-12
# Crockford's reading of look-alikes typed by a person; the old alphabet has
# no 0, 1 or 8, so there those digits can only mean O, I and B.
_READ_CROCKFORD = str.maketrans("oilu", "011v")
_READ_RFC4648 = str.maketrans("018", "oib")
SECRET_BYTES = 32
# Domain separation: the same secret may one day sign other things (handoff
# lists); a tag made for a slip must never be valid for anything else.
_CONTEXT = b"posko-slip-v1:"
# What a tracking code may contain once upper-cased (see core/tracking.py);
# kept loose here so a change of code format does not break old slips.
_CODE_CHARS = r"[A-Z0-9]+(?:-[A-Z0-9]+)*"
_CODE = re.compile(_CODE_CHARS)
_SIG_CHARS = r"[A-Za-z0-9_=-]+"
# What a hand scanner may add around the text: spaces, CR/LF, tabs, NUL, BOM.
_JUNK = " \t\r\n\x00\ufeff"


@dataclass(frozen=True)
class ParsedPayload:
    code: str  # upper-cased tracking code, as it appears in the payload
    genuine: bool  # the signature matches this installation's secret


def new_secret() -> bytes:
    """A fresh per-installation secret (256 bits from the OS's CSPRNG)."""
    return secrets.token_bytes(SECRET_BYTES)


def _tag_bits(code: str, secret: bytes) -> int:
    """The 60 bits of a tracking code's tag."""
    if not secret:
        raise ValueError("the signing secret is empty")
    canonical = code.strip().upper()
    if not _CODE.fullmatch(canonical):
        raise ValueError(f"not a tracking code: {code!r}")
    digest = hmac.new(secret, _CONTEXT + canonical.encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - 5 * SIGNATURE_LENGTH)


def _spell(bits: int, alphabet: str) -> str:
    return "".join(
        alphabet[(bits >> (5 * (SIGNATURE_LENGTH - 1 - i))) & 31] for i in range(SIGNATURE_LENGTH)
    )


def signature(code: str, secret: bytes) -> str:
    """The short signature of a tracking code: 12 lower-case Crockford base32 symbols.

    Base32 rather than base64 so a scanner or a person that changes the case
    does not turn a genuine slip into a "forged" one.
    """
    return _spell(_tag_bits(code, secret), CROCKFORD)


def matches(given: str, code: str, secret: bytes) -> bool:
    """Whether `given` (as typed or scanned: any case, spaces, dashes) is the
    signature of `code`, in today's alphabet or in the one old slips carry."""
    compact = "".join(given.split()).replace("-", "").lower()
    if len(compact) != SIGNATURE_LENGTH or not compact.isascii():
        return False
    bits = _tag_bits(code, secret)
    # Both compared, always: constant time whichever spelling the slip has.
    new = hmac.compare_digest(compact.translate(_READ_CROCKFORD), _spell(bits, CROCKFORD))
    old = hmac.compare_digest(compact.translate(_READ_RFC4648), _spell(bits, RFC4648))
    return new or old


def _check_template(template: str) -> None:
    if template.count("{code}") != 1 or template.count("{sig}") != 1:
        raise ValueError("the QR URL template needs exactly one {code} and one {sig}")


def build_payload(template: str, code: str, secret: bytes) -> str:
    """The text of a slip's QR code, e.g. `https://HOST/lacak/PKB-7K3Q-X9MD?s=…`."""
    _check_template(template)
    canonical = code.strip().upper()
    sig = signature(canonical, secret)
    # str.replace rather than str.format: a template may hold other braces.
    return template.replace("{code}", canonical).replace("{sig}", sig)


def _template_pattern(template: str) -> re.Pattern[str]:
    _check_template(template)
    pattern = ""
    for piece in re.split(r"(\{code\}|\{sig\})", template):
        if piece == "{code}":
            pattern += f"(?P<code>{_CODE_CHARS})"
        elif piece == "{sig}":
            pattern += f"(?P<sig>{_SIG_CHARS})"
        else:
            pattern += re.escape(piece)
    # IGNORECASE: host names are case-insensitive, and some scanners upper-case
    # a whole URL to fit QR alphanumeric mode; the code is upper-cased below.
    # ASCII: without it IGNORECASE lets the Kelvin sign match "k", and
    # compare_digest refuses non-ASCII text.
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


def parse_payload(
    text: str, secret: bytes, template: str = DEFAULT_TEMPLATE
) -> ParsedPayload | None:
    """Read a scanned payload: which complaint it names and whether it is genuine.

    None when the text is not a Posko payload at all (another URL, a bare
    code, garbage). A payload of the right shape with a wrong signature, or a
    code altered after signing, is returned with `genuine=False`.
    """
    cleaned = text.strip(_JUNK)
    match = _template_pattern(template).fullmatch(cleaned)
    if match is None:
        return None
    code = match.group("code").upper()
    return ParsedPayload(code=code, genuine=matches(match.group("sig"), code, secret))
