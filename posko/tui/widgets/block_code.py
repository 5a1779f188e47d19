"""A tracking code in letters three rows tall, readable from a metre away.

Textual's `Digits` draws only 0-9 and A-F; a tracking code uses all 32
Crockford base32 symbols (0-9 and A-Z without I, L, O, U) and the dash. Each
glyph is drawn on a pixel grid five pixels tall and shown with half blocks,
two pixels to a terminal row. Most glyphs are four pixels wide; M, V, W and Y
need five to stay unlike H, U, N and 4, T and the dash need three.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

# "#" is ink. Every row of a glyph has the glyph's width.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (".##.", "#..#", "#..#", "#..#", ".##."),
    "1": (".#..", "##..", ".#..", ".#..", "###."),
    "2": ("###.", "...#", ".##.", "#...", "####"),
    "3": ("###.", "...#", ".##.", "...#", "###."),
    "4": ("#..#", "#..#", "####", "...#", "...#"),
    "5": ("####", "#...", "###.", "...#", "###."),
    "6": (".##.", "#...", "###.", "#..#", ".##."),
    "7": ("####", "...#", "..#.", ".#..", ".#.."),
    "8": (".##.", "#..#", ".##.", "#..#", ".##."),
    "9": (".##.", "#..#", ".###", "...#", ".##."),
    "A": (".##.", "#..#", "####", "#..#", "#..#"),
    "B": ("###.", "#..#", "###.", "#..#", "###."),
    "C": (".###", "#...", "#...", "#...", ".###"),
    "D": ("###.", "#..#", "#..#", "#..#", "###."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "F": ("####", "#...", "###.", "#...", "#..."),
    "G": (".###", "#...", "#.##", "#..#", ".###"),
    "H": ("#..#", "#..#", "####", "#..#", "#..#"),
    "J": ("..##", "...#", "...#", "#..#", ".##."),
    "K": ("#..#", "#.#.", "##..", "#.#.", "#..#"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "P": ("###.", "#..#", "###.", "#...", "#..."),
    "Q": (".##.", "#..#", "#..#", "#.##", ".###"),
    "R": ("###.", "#..#", "###.", "#.#.", "#..#"),
    "S": (".###", "#...", ".##.", "...#", "###."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "V": ("#...#", "#...#", ".#.#.", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#..#", "#..#", ".##.", "#..#", "#..#"),
    "Y": ("#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("####", "...#", "..#.", ".#..", "####"),
    "-": ("...", "...", "###", "...", "..."),
}
# Two pixels (upper, lower) to one character cell.
_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_GAP = " "  # one column between glyphs
# Crockford's reading of what a person (or old data) may hold instead.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def block_lines(text: str) -> tuple[str, str, str]:
    """`text` as three rows of half blocks; ValueError for a symbol there is no glyph for."""
    symbols = text.strip().upper().translate(_READ_AS)
    missing = sorted({symbol for symbol in symbols if symbol not in GLYPHS})
    if missing:
        raise ValueError(f"no block glyph for {''.join(missing)!r}")
    rows = []
    for top in (0, 2, 4):
        cells = []
        for symbol in symbols:
            glyph = GLYPHS[symbol]
            upper = glyph[top]
            lower = glyph[top + 1] if top + 1 < len(glyph) else "." * len(upper)
            cells.append(
                "".join(_HALVES[(u == "#", d == "#")] for u, d in zip(upper, lower, strict=True))
            )
        rows.append(_GAP.join(cells))
    return rows[0], rows[1], rows[2]


class BlockCode(Widget):
    """A code drawn large (three rows), e.g. the tracking code on the saved screen."""

    DEFAULT_CSS = """
    BlockCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, code: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.code = code
        self.lines = block_lines(code)

    def render(self) -> Text:
        # Never bold: terminals draw bold block characters with gaps or wider.
        return Text("\n".join(self.lines), style="not bold", no_wrap=True, overflow="crop")

    def get_content_width(self, container, viewport) -> int:  # type: ignore[no-untyped-def]
        return max(len(line) for line in self.lines)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self.lines)
