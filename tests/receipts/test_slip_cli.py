"""`posko receipt CODE --out` and `posko verify`, on a complaint taken at the desk."""

from __future__ import annotations

import re
from pathlib import Path

from posko.core.signing import build_payload, signature
from posko.services import setup
from posko.store.db import new_session
from tests.cli_helpers import posko

from .helpers import MASKED_NIK, MASKED_PHONE, NIK, NOW, mode, pdf_text, read_qr, take

TEMPLATE = "https://lacak.posko-latihan.invalid/lacak/{code}?s={sig}"


def _payload(db, code: str) -> str:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        return build_payload(TEMPLATE, code, setup.qr_secret(session))


def test_slip_of_a_desk_complaint_reads_right_and_its_qr_verifies(db, clock, policy, tmp_path):
    complaint = take(db, clock, policy)
    out = tmp_path / "slip.pdf"

    result = posko("receipt", complaint.code, "--out", str(out), db_url=db.url, now=NOW)

    assert result.exit_code == 0, result.stderr
    assert mode(out) == 0o600
    shown = pdf_text(out)
    assert complaint.code in shown
    assert MASKED_NIK in shown and NIK not in shown
    assert MASKED_PHONE in shown and "3456" not in shown
    assert "S. W." in shown and "Wulandari" not in shown
    assert "Selasa, 1 Desember 2026 08.15 WIB" in shown
    assert "Kantor Wali Kota Jakarta Pusat" in shown
    assert "Banjir" in shown  # the category's Indonesian name
    # Handed off at the session's close on Tuesday: acknowledged by Wednesday.
    assert "Rabu, 2" in shown and "Desember 2026" in shown
    payload = _payload(db, complaint.code)
    assert read_qr(out) == [payload]

    genuine = posko("verify", read_qr(out)[0], db_url=db.url)
    assert genuine.exit_code == 0, genuine.stderr
    assert complaint.code in genuine.stdout
    assert "Kantor Wali Kota Jakarta Pusat" in genuine.stdout
    assert "diterima" in genuine.stdout


def test_verify_refuses_one_changed_character(db, clock, policy):
    code = take(db, clock, policy).code
    payload = _payload(db, code)
    last = code[-1]
    other_code = payload.replace(code, code[:-1] + ("B" if last != "B" else "C"))
    sig_at = payload.index("?s=") + 3
    sig_char = payload[sig_at]
    other_sig = payload[:sig_at] + ("a" if sig_char != "a" else "b") + payload[sig_at + 1 :]

    for tampered in (other_code, other_sig):
        result = posko("verify", tampered, db_url=db.url)
        assert result.exit_code == 1, tampered
        assert "PALSU" in result.stderr or "FORGED" in result.stderr
        assert result.stdout == ""

    as_json = posko("verify", other_sig, "--json", db_url=db.url)
    assert as_json.exit_code == 1
    assert as_json.json()["genuine"] is False

    not_ours = posko("verify", "https://example.com/", db_url=db.url)
    assert not_ours.exit_code == 1
    assert "Posko" in not_ours.stderr


def test_verify_json_names_the_complaint(db, clock, policy):
    code = take(db, clock, policy).code
    result = posko("verify", "  " + _payload(db, code) + "\r\n", "--json", db_url=db.url)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["genuine"], data["code"], data["status"], data["destination"]) == (
        True,
        code,
        "diterima",
        "31.71",
    )


def test_office_copy_escpos_and_narrow_roll(db, clock, policy, tmp_path):
    code = take(db, clock, policy).code
    folder = tmp_path / "out"
    folder.mkdir()

    office = posko(
        "receipt", code, "--out", str(folder), "--copy", "office", "--officer", "JP-AS1",
        db_url=db.url, env={"POSKO_PIN": "123456"},
    )  # fmt: skip
    narrow = posko(
        "receipt", code, "--out", str(tmp_path / "58.pdf"), "--width", "58", db_url=db.url
    )
    raw = posko(
        "receipt", code, "--out", str(tmp_path / "slip.bin"), "--format", "escpos", db_url=db.url
    )

    assert office.exit_code == narrow.exit_code == raw.exit_code == 0
    office_pdf = folder / f"{code}-kantor.pdf"  # a folder: the name comes from the code
    assert mode(office_pdf) == 0o600
    text = pdf_text(office_pdf)
    assert "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in text
    assert NIK in text  # not confidential: in full
    assert "Jl. Cideng Barat 12" in text
    assert read_qr(tmp_path / "58.pdf") == [_payload(db, code)]
    escpos = (tmp_path / "slip.bin").read_bytes()
    assert code.encode() in escpos
    assert b"\x1d(k" in escpos  # the printer's own QR command


def test_receipt_refuses_bad_requests(db, clock, policy, tmp_path):
    code = take(db, clock, policy).code
    (tmp_path / "taken").mkdir()
    cases = [
        ("receipt", code),  # no destination
        ("receipt", code, "--out", str(tmp_path / "a.pdf"), "--print"),
        ("receipt", "--drain", code),
        ("receipt", code, "--out", str(tmp_path / "a.pdf"), "--copy", "mayor"),
        ("receipt", code, "--out", str(tmp_path / "a.pdf"), "--width", "100"),
    ]
    for args in cases:
        result = posko(*args, db_url=db.url)
        assert result.exit_code == 2, args
    missing = posko("receipt", "PKB-AAAA-AAAA", "--out", str(tmp_path / "b.pdf"), db_url=db.url)
    assert missing.exit_code != 0
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "b.pdf").exists()
    assert [p.name for p in Path(tmp_path / "taken").iterdir()] == []


def test_both_copies_print_the_verification_code_a_citizen_can_type(db, clock, policy, tmp_path):
    code = take(db, clock, policy).code
    with new_session(db.engine) as session:
        expected = signature(code, setup.qr_secret(session))
    for copy in ("citizen", "office"):
        out = tmp_path / f"{copy}.pdf"
        result = posko(
            "receipt", code, "--out", str(out), "--copy", copy, "--officer", "JP-AS1",
            db_url=db.url, now=NOW, env={"POSKO_PIN": "123456"},
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr

        shown = pdf_text(out)
        grouped = re.search(r"Kode verifikasi\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", shown)
        assert grouped is not None, shown
        assert grouped.group(1).replace("-", "").lower() == expected
    # The citizen is told where to type both codes, at the public address.
    assert "lacak.posko-latihan.invalid/lacak" in " ".join(
        pdf_text(tmp_path / "citizen.pdf").split()
    )
    assert "kode verifikasi" in " ".join(pdf_text(tmp_path / "citizen.pdf").split())


def test_verify_accepts_the_two_codes_typed_from_the_paper(db, clock, policy):
    code = take(db, clock, policy).code
    with new_session(db.engine) as session:
        sig = signature(code, setup.qr_secret(session))
    spoken = [sig[:4].upper(), sig[4:8].upper(), sig[8:].upper()]  # as three words

    genuine = posko("verify", code.lower(), *spoken, db_url=db.url)
    assert genuine.exit_code == 0, genuine.stderr
    assert code in genuine.stdout and "ASLI" in genuine.stdout

    wrong = ("a" if sig[0] != "a" else "b") + sig[1:]
    forged = posko("verify", code, wrong, db_url=db.url)
    assert forged.exit_code == 1
    assert "ASLI" not in forged.stdout


def test_verify_accepts_an_old_slips_code_and_prints_new_ones_without_lookalikes(
    db, clock, policy, tmp_path
):
    from tests.handoff.conftest import old_signature

    code = take(db, clock, policy).code
    old = old_signature(db, code)
    typed = posko("verify", code, old.upper(), db_url=db.url)
    assert typed.exit_code == 0, typed.stderr
    assert "ASLI" in typed.stdout
    scanned = TEMPLATE.replace("{code}", code).replace("{sig}", old)
    assert posko("verify", scanned, db_url=db.url).exit_code == 0

    out = tmp_path / "slip.pdf"
    assert posko("receipt", code, "--out", str(out), db_url=db.url, now=NOW).exit_code == 0
    printed = re.search(r"Kode verifikasi\s+([A-Z0-9-]{14})", pdf_text(out))
    assert printed is not None
    assert not set(printed.group(1)) & set("OIL")
