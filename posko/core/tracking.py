"""Tracking codes: human-typable, unguessable, not sequential, self-checking.

`PKB-7K3Q-X9MD`: the site prefix, seven random Crockford base32 symbols and
one check symbol (Luhn mod 32), which catches any single mistyped symbol and
most swaps of neighbours. 32**7 (3.4e10) codes per site make guessing
pointless, and the slip's signature guards the status page anyway.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 7
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# Crockford's reading of ambiguous symbols typed by a person.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_SHAPE = re.compile(r"^([A-Z]{2,5})-?([0-9A-Z]{4})-?([0-9A-Z]{4})$")


def check_symbol(body: str) -> str:
    """Luhn mod N over the Crockford alphabet."""
    factor, total = 2, 0
    for symbol in reversed(body):
        addend = factor * _VALUE[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def new_code(prefix: str, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    body = "".join(ALPHABET[randbelow(32)] for _ in range(RANDOM_SYMBOLS))
    symbols = body + check_symbol(body)
    return f"{prefix}-{symbols[:4]}-{symbols[4:]}"


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be one.

    Lower case, spaces, missing dashes and Crockford's look-alikes are forgiven;
    a wrong check symbol is not.
    """
    compact = "".join(text.split()).upper()
    match = _SHAPE.match(compact)
    if match is None:
        return None
    prefix = match.group(1)
    symbols = (match.group(2) + match.group(3)).translate(_READ_AS)
    if any(symbol not in _VALUE for symbol in symbols):
        return None
    if check_symbol(symbols[:-1]) != symbols[-1]:
        return None
    return f"{prefix}-{symbols[:4]}-{symbols[4:]}"
