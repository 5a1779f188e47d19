"""The terms docs/glossary.md retires, as patterns a test can look for in anything
a person reads (tests/handoff/test_words.py, and every kiosk screen in
tests/tui/test_every_screen.py)."""

from __future__ import annotations

import re

RETIRED = {
    "kantor wilayah": r"kantor\s+wilayah",
    "walikota": r"walikota",
    "galat": r"\bgalat\b",
    "kode lacak": r"\bkode\s+lacak\b",
    "lembar untuk wilayah": r"lembar\s+(untuk\s+)?wilayah",
    "keluar akun": r"keluar\s+akun",
    "masuk dulu": r"masuk\s+dulu",
    "petugas masuk": r"petugas\s+masuk\b",
    "milik kantor": r"milik\s+kantor",
    "basis data sungguhan": r"\bsungguhan\b",
    "angka bulan ini": r"angka\s+bulan\s+ini",
    "median jam": r"median\s+jam",
    "setko": r"\bsetko\b",
    # meja is one kota's desk; the service as a whole is the Posko
    "meja tutup": r"\bmeja\s+tutup\b",
    "dari meja ini": r"\bdari\s+meja\s+ini\b",
}
# On paper no command name: a person with the paper cannot type it anywhere.
RETIRED_ON_PAPER = {**RETIRED, "posko verify": r"posko\s+verify"}


def retired_in(text: str, terms: dict[str, str] = RETIRED) -> list[str]:
    flat = " ".join(text.split())
    return [term for term, pattern in terms.items() if re.search(pattern, flat, re.IGNORECASE)]
