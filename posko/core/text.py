"""Cleaning text that citizens and files give us before it is stored or shown."""

from __future__ import annotations

import re
import unicodedata

# CSI, OSC, DCS/SOS/PM/APC strings and lone ESC sequences: anything that could
# move the cursor, retitle the window or worse once printed to a terminal.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x9b[0-?]*[ -/]*[@-~]            # 8-bit CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)   # OSC/DCS/SOS/PM/APC ... terminator
    | [\x90\x9d\x98\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)
    | \x1b[@-Z\\-_]                    # two-byte escapes
    | \x1b.?                           # anything else after ESC
    """,
    re.VERBOSE | re.DOTALL,
)
# Bidi overrides and isolates can make a text read differently than it is stored.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Strip escape sequences and control characters; keep printable Unicode.

    Newlines and tabs survive only in multi-line fields (descriptions, addresses).
    """
    text = _ESCAPES.sub("", value).translate(_BIDI_CONTROLS)
    kept = []
    for char in text:
        if char in "\n\t" and multiline:
            kept.append(char)
        elif char == "\r":
            continue
        elif char in "\n\t":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and char not in "\n\t":
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    if multiline:
        lines = [" ".join(line.split()) for line in cleaned.split("\n")]
        return "\n".join(lines).strip()
    return " ".join(cleaned.split())


def summarize(text: str, limit: int) -> str:
    """Cut a text to at most `limit` characters at a word boundary, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "…"
