"""Any text a citizen gives either renders or is replaced visibly."""

from __future__ import annotations

from pathlib import Path

from posko.printing.fonts import REPLACEMENT, load_fonts, printable, visual_order


def test_dejavu_is_preferred_when_installed() -> None:
    fonts = load_fonts()
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        assert "DejaVuSans" in fonts.regular.name
        assert "DejaVuSans-Bold" in fonts.bold.name
    assert fonts.notice is None


def test_configured_font_is_used(tmp_path: Path) -> None:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    fonts = load_fonts(vera)
    assert "Vera" in fonts.regular.name and fonts.notice is None


def test_broken_configured_font_falls_back_with_notice(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font at all")
    fonts = load_fonts(broken)
    assert fonts.notice and "broken.ttf" in fonts.notice
    assert fonts.regular == load_fonts().regular
    missing = load_fonts(tmp_path / "missing.ttf")
    assert missing.notice


def test_printable_keeps_what_the_font_has() -> None:
    face = load_fonts().regular
    assert (
        printable("Budi Santoso, Jl. Gajah Mada No. 1", face)
        == "Budi Santoso, Jl. Gajah Mada No. 1"
    )
    assert printable("Éloïse — café", face) == "Éloïse — café"
    assert printable("e\u0301", face) == "é"  # composed, not a floating accent


def test_printable_replaces_visibly_and_drops_invisible() -> None:
    face = load_fonts().regular
    assert printable("a\x00\x07b", face) == f"a{REPLACEMENT}b"  # one mark per run
    assert printable("a\ud800b", face) == f"a{REPLACEMENT}b"  # lone surrogate
    assert printable("\u202eevil\u202c", face) == "evil"  # RTL override dropped
    assert printable("a\u200db\u00ad", face) == "ab"
    assert printable("line\nbreak\ttab\u2028x", face) == "line break tab x"
    assert printable("中文", face) == REPLACEMENT  # DejaVu has no CJK
    assert printable("\ue000", face) == REPLACEMENT  # private use


def test_visual_order_reverses_only_rtl_runs() -> None:
    assert visual_order("Budi 123") == "Budi 123"
    assert visual_order("שלום") == "םולש"
    assert visual_order("abc שלום עולם xyz") == "abc םלוע םולש xyz"
    # Numbers inside an RTL run keep their own order.
    assert visual_order("שלום 123 עולם") == "םלוע 123 םולש"
    # Brackets are mirrored in a reversed run.
    assert visual_order("א(ב)ג") == "ג(ב)א"
