"""Signed QR payloads: a slip's URL carries a short HMAC over its tracking code.

The regional office scans a slip and asks "is this ours?". The answer comes
from a per-installation secret that is created at `init` and never printed:
`sig` is HMAC-SHA256(secret, "posko-slip-v1:" + CODE), cut to 12 base32
symbols (60 bits). A forger who cannot see the secret has to guess those bits
one online attempt at a time, which is hopeless; a longer tag would only make
the QR code denser for elderly citizens' phones.

Pure and stdlib-only, so the status web page, the CLI and the tests share it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

# A host that can never resolve (.invalid, RFC 2606): what training slips and
# tests carry. An installation sets its own status page at `posko init`.
DEFAULT_TEMPLATE = "https://lacak.posko-latihan.invalid/lacak/{code}?s={sig}"
SIGNATURE_LENGTH = 12  # base32 symbols, 5 bits each
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


def signature(code: str, secret: bytes) -> str:
    """The short signature of a tracking code: 12 lower-case base32 symbols.

    Base32 rather than base64 so a scanner or a person that changes the case
    does not turn a genuine slip into a "forged" one.
    """
    if not secret:
        raise ValueError("the signing secret is empty")
    canonical = code.strip().upper()
    if not _CODE.fullmatch(canonical):
        raise ValueError(f"not a tracking code: {code!r}")
    digest = hmac.new(secret, _CONTEXT + canonical.encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:SIGNATURE_LENGTH].lower()


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
    expected = signature(code, secret)
    given = match.group("sig").lower()
    # compare_digest on ASCII str: constant time, so timing leaks nothing.
    genuine = len(given) == len(expected) and hmac.compare_digest(given, expected)
    return ParsedPayload(code=code, genuine=genuine)
