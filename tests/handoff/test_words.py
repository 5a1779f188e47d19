"""The province's words in everything a person reads (docs/glossary.md).

A retired term ("kantor wilayah", "walikota", "galat", "kode lacak", "lembar
untuk wilayah", …; tests/retired_terms.py) fails the test wherever it appears:
the catalogue's Indonesian, the printed slips, office copies, handoff lists and
reports (read back with pypdf, as a person reads the paper), the CSV, XLSX and
Open311 exports, the status page's and the waiting-room board's HTML, and the
README. The kiosk's screens are read as shown in tests/tui/test_every_screen.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from starlette.testclient import TestClient

from posko import i18n
from posko.config import Settings
from posko.web.app import create_app
from tests.cli_helpers import posko
from tests.handoff.conftest import CLOSER, PIN, payload
from tests.handoff.helpers import NOW, week_report
from tests.retired_terms import RETIRED, RETIRED_ON_PAPER, retired_in

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[2]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def xlsx_text(path: Path) -> str:
    book = load_workbook(path)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join([*book.sheetnames, *cells])


def test_the_retired_terms_are_caught():
    """The patterns themselves: each finds its term however it is written."""
    for term in RETIRED:
        assert retired_in(f"Tulisan: {term.upper()}.") == [term]
    assert retired_in("diserahkan ke Kantor Wali Kota Jakarta Pusat") == []
    assert retired_in("kesalahan; kode pelacakan; wilayah Jakarta; Keluar") == []
    assert retired_in("Posko tutup; Meja Jakarta Pusat; dipanggil ke meja JP") == []
    assert retired_in("Cetak: posko  verify", RETIRED_ON_PAPER) == ["posko verify"]


def test_the_catalogue_speaks_the_provinces_words():
    catalogue = i18n._catalogue("id")
    found = {msgid: retired_in(text) for msgid, text in catalogue.items() if retired_in(text)}
    assert not found, found


def test_the_readme_speaks_the_provinces_words():
    assert retired_in((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_paper_lists_exports_and_pages_speak_the_provinces_words(
    db, clock, policy, taken, tmp_path
):
    code = taken.codes["31.71"][0]
    papers: dict[str, str] = {}

    for copy in ("citizen", "office"):
        out = tmp_path / f"{copy}.pdf"
        result = posko(
            "receipt", code, "--copy", copy, "--out", str(out), *CLOSER,
            db_url=db.url, now=NOW, env=PIN,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        papers[f"{copy} slip"] = pdf_text(out)
    escpos = tmp_path / "office.escpos"
    result = posko(
        "receipt",
        code,
        "--copy",
        "office",
        "--format",
        "escpos",
        "--out",
        str(escpos),
        *CLOSER,
        db_url=db.url,
        now=NOW,
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    papers["escpos office copy"] = escpos.read_bytes().decode("ascii", errors="replace")

    lists = tmp_path / "lists"
    result = posko(
        "handoff", "close", "--out", str(lists), *CLOSER, db_url=db.url, now=NOW, env=PIN
    )
    assert result.exit_code == 0, result.stderr
    for path in sorted(lists.iterdir()):
        if path.suffix == ".pdf":
            papers[path.name] = pdf_text(path)
        elif path.suffix == ".xlsx":
            papers[path.name] = xlsx_text(path)
        else:
            papers[path.name] = path.read_text(encoding="utf-8-sig")

    later = "2026-12-07T09:00:00+07:00"
    for fmt in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"laporan.{fmt}"
        result = week_report(db, fmt, out, now=later)
        assert result.exit_code == 0, result.stderr
        written = tmp_path / f"laporan-LATIHAN.{fmt}"
        papers[written.name] = {
            "pdf": pdf_text,
            "xlsx": xlsx_text,
            "csv": lambda p: p.read_text("utf-8-sig"),
        }[fmt](written)
    export = tmp_path / "open311.json"
    assert posko("export", "open311", "--out", str(export), db_url=db.url, now=later).exit_code == 0
    papers["open311"] = json.dumps(
        json.loads((tmp_path / "open311-LATIHAN.json").read_text("utf-8")), ensure_ascii=False
    )

    client = TestClient(
        create_app(
            engine=db.engine, settings=Settings(database_url=db.url), policy=policy, clock=clock
        )
    )
    link = payload(db, code)
    papers["status page"] = client.get(link[link.index("/lacak/") :]).text
    papers["lookup form"] = client.get("/lacak").text
    papers["waiting-room board"] = client.get("/antrean").text
    papers["not found page"] = client.get("/lacak?kode=PKB-AAAA-AAAA&verifikasi=X").text

    found = {
        name: retired_in(text, RETIRED_ON_PAPER)
        for name, text in papers.items()
        if retired_in(text, RETIRED_ON_PAPER)
    }
    assert not found, found
    # And the words that replace them, where a person reads them.
    office = " ".join(papers["office slip"].split())
    assert "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in office
    assert "Diterima oleh Kantor Wali Kota Jakarta Pusat" in office
    assert "Pindai kode QR untuk memeriksa keaslian" in office
    citizen = " ".join(papers["citizen slip"].split())
    assert "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat; penerimaan dikonfirmasi" in citizen
    assert "Sekretariat Kota Administrasi Jakarta Pusat" in citizen  # the officer's title
    assert "Kantor Wali Kota Jakarta Utara" in papers["serah-terima-LATIHAN-20261201-31.72-1.pdf"]
