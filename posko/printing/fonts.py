"""Fonts for the slips, and making any citizen's text safe to draw with them.

reportlab's base-14 fonts are Latin-1 only, so we embed a TrueType font with
wide coverage: the configured one, else the system's DejaVu Sans (Debian's
fonts-dejavu-core), else the Vera font that reportlab ships. Every text goes
through `printable()` for the face it is drawn in: a character the font has
no glyph for becomes a visible replacement (U+FFFD, or "?"), invisible
formatting characters are dropped, nothing reaches the PDF that could break
it or make a line read differently from what is stored.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts/dejavu"),
)
# Variation selectors are combining marks (Mn) that only pick a glyph variant
# (emoji vs text style); with a single monochrome font they mean nothing.
_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))
_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


@dataclass(frozen=True)
class FontFace:
    """One registered TrueType face and the characters it can draw."""

    name: str  # reportlab font name, registered with pdfmetrics
    path: str
    coverage: frozenset[int]
    replacement: str  # U+FFFD when the face has it, else "?"


@dataclass(frozen=True)
class FontSet:
    regular: FontFace
    bold: FontFace
    mono: FontFace  # tracking codes: every symbol the same width, easy to read out
    notice: str | None = None  # why a configured font was not used, for the UI


_lock = threading.Lock()
_faces: dict[str, FontFace] = {}
_sets: dict[tuple[str | None, str | None], FontSet] = {}


def _face(path: Path) -> FontFace:
    """Register a TTF once per process (parsing DejaVu costs ~15 ms)."""
    key = str(path.resolve())
    face = _faces.get(key)
    if face is not None:
        return face
    # The name comes from the path so two fonts never share a name, and the
    # same font always gets the same name (byte-identical PDFs).
    name = "Posko-" + path.stem[:40] + "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    font = TTFont(name, key)
    pdfmetrics.registerFont(font)
    coverage = frozenset(font.face.charToGlyph)
    replacement = REPLACEMENT if ord(REPLACEMENT) in coverage else "?"
    face = FontFace(name=name, path=key, coverage=coverage, replacement=replacement)
    _faces[key] = face
    return face


def _first_existing(names: tuple[str, ...]) -> Path | None:
    for directory in _DEJAVU_DIRS:
        for name in names:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


def _vera(name: str) -> Path:
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / name


def _default_paths() -> tuple[Path, Path, Path]:
    regular = _first_existing(("DejaVuSans.ttf",))
    if regular is None:
        return _vera("Vera.ttf"), _vera("VeraBd.ttf"), _vera("VeraBd.ttf")
    bold = _first_existing(("DejaVuSans-Bold.ttf",)) or regular
    mono = _first_existing(("DejaVuSansMono-Bold.ttf",)) or bold
    return regular, bold, mono


def load_fonts(path: str | Path | None = None, bold_path: str | Path | None = None) -> FontSet:
    """The fonts of every slip: a configured TTF, else DejaVu Sans, else Vera.

    A configured font that is missing or that reportlab cannot embed (CFF
    outlines, no-embedding licence) falls back to the default with a notice,
    so a bad setting never stops a slip from printing.
    """
    key = (str(path) if path else None, str(bold_path) if bold_path else None)
    with _lock:
        cached = _sets.get(key)
        if cached is not None:
            return cached
        regular_path, bold_default, mono_path = _default_paths()
        regular = _face(regular_path)
        bold = _face(bold_default)
        mono = _face(mono_path)
        notice = None
        if path:
            try:
                configured = _face(Path(path))
                configured_bold = _face(Path(bold_path)) if bold_path else configured
            except (OSError, TTFError, ValueError, KeyError, IndexError) as error:
                notice = f"font {path} cannot be used ({error}); using {regular_path.name}"
                log.warning(notice)
            else:
                regular, bold = configured, configured_bold
        fonts = FontSet(regular=regular, bold=bold, mono=mono, notice=notice)
        _sets[key] = fonts
        return fonts


def printable(text: str, face: FontFace) -> str:
    """`text` as one line that `face` can draw, in logical order.

    - NFC first, so "e" + combining acute becomes the é the font has.
    - Invisible formatting (bidi overrides and isolates, zero-width joiners,
      soft hyphens, variation selectors, tags) is dropped: it cannot be
      printed, and an RTL override would make a line read differently.
    - Line and paragraph separators, tabs and odd spaces become a space.
    - Control characters, lone surrogates, private-use and unassigned code
      points, and anything the font lacks become the replacement character;
      a run of them collapses into one, so an emoji sequence is one mark.
    - A combining mark the font lacks is dropped (its base letter stays).
    """
    out: list[str] = []
    coverage = face.coverage
    replacement = face.replacement
    # Lone surrogates cannot be normalised (or encoded into the PDF).
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        text = "".join(replacement if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    for char in unicodedata.normalize("NFC", text):
        point = ord(char)
        category = unicodedata.category(char)
        if category == "Cf" or point in _VARIATION_SELECTORS:
            continue
        if char in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85" or category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or point not in coverage:
            if category in ("Mn", "Me"):
                continue
            if not out or out[-1] != replacement:
                out.append(replacement)
        else:
            out.append(char)
    return "".join(out)


def _bidi_kind(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "D"
    if kind == "NSM":
        return "M"
    return "N"


def _reverse_run(run: str, kinds: list[str]) -> str:
    # Clusters (a base and its marks) and digit groups keep their inner order;
    # the run is reversed cluster by cluster, with brackets mirrored.
    tokens: list[str] = []
    token_kinds: list[str] = []
    for char, kind in zip(run, kinds, strict=True):
        if (kind == "M" and tokens) or (kind == "D" and token_kinds and token_kinds[-1] == "D"):
            tokens[-1] += char
        else:
            tokens.append(char)
            token_kinds.append(kind)
    return "".join(
        token if kind == "D" else token.translate(_MIRRORED)
        for token, kind in zip(reversed(tokens), reversed(token_kinds), strict=True)
    )


def visual_order(line: str) -> str:
    """Reorder one wrapped line for drawing left to right.

    reportlab draws characters in the order given; Arabic or Hebrew typed by
    a citizen is stored in logical order and would come out backwards. This
    is a small subset of the Unicode bidi algorithm for a left-to-right
    paragraph: each run from a right-to-left letter to the last one before a
    left-to-right letter is reversed, numbers inside it keep their order.
    Letters are not shaped (Arabic shows its isolated forms).
    """
    kinds = [_bidi_kind(char) for char in line]
    if "R" not in kinds:
        return line
    out: list[str] = []
    index, length = 0, len(line)
    while index < length:
        if kinds[index] != "R":
            out.append(line[index])
            index += 1
            continue
        end = last_rtl = index
        while end < length and kinds[end] != "L":
            if kinds[end] == "R":
                last_rtl = end
            end += 1
        # Marks right after the last RTL letter belong to it.
        while last_rtl + 1 < length and kinds[last_rtl + 1] == "M":
            last_rtl += 1
        out.append(_reverse_run(line[index : last_rtl + 1], kinds[index : last_rtl + 1]))
        index = last_rtl + 1
    return "".join(out)
