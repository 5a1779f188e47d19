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
# Invisible marks: bidi embeddings, overrides and isolates (U+202A-202E,
# U+2066-2069) and the implicit marks (LRM, RLM, ALM) make a text read
# differently than it is stored; zero-width characters (ZWSP, ZWNJ, ZWJ, word
# joiner, BOM, Mongolian vowel separator, the invisible operators) make two
# texts that look the same differ, so a name or code hides from search and
# from masking. None of them carries meaning in Indonesian text.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        "\u200e\u200f\u061c"
        "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e",
    )
)


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Strip escape sequences and control characters; keep printable Unicode.

    Newlines and tabs survive only in multi-line fields (descriptions, addresses).
    """
    text = _ESCAPES.sub("", value).translate(_INVISIBLE)
    if text.isprintable():
        # The common case, checked at C speed: no control character, line break
        # or tab, nothing unassigned or private to drop (isprintable is False for
        # all of them), so only the spaces are left to tidy.
        return " ".join(text.split())
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
