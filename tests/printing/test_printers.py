"""Printer backends: every failure is a PrinterError, files are private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from escpos.printer import Dummy

from posko.printing.printers import (
    CupsPrinter,
    EscposPrinter,
    FolderPrinter,
    Printer,
    PrinterError,
    parse_escpos_target,
    printer_from_config,
)
from posko.printing.slip_data import SlipData

PDF = b"%PDF-1.4 test\n%%EOF\n"


def test_folder_writes_private_file(tmp_path: Path) -> None:
    folder = tmp_path / "slips"
    printer = FolderPrinter(folder)
    printer.print_pdf("PKB-7K3Q-X9MD-warga", PDF)
    target = folder / "PKB-7K3Q-X9MD-warga.pdf"
    assert target.read_bytes() == PDF
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    printer.print_pdf("PKB-7K3Q-X9MD-warga", PDF + b"again")  # a reprint replaces it
    assert target.read_bytes() == PDF + b"again"
    assert [p.name for p in folder.iterdir()] == ["PKB-7K3Q-X9MD-warga.pdf"]


@pytest.mark.parametrize(
    "name",
    ["../escape", "/etc/passwd", "a/b", "..", ".hidden", "", "a\x00b", "a\\b", "x" * 200, "-rf"],
)
def test_folder_refuses_traversal(tmp_path: Path, name: str) -> None:
    printer = FolderPrinter(tmp_path / "slips")
    with pytest.raises(PrinterError):
        printer.print_pdf(name, PDF)
    assert not (tmp_path / "escape.pdf").exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_folder_symlink_at_target_is_refused_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "slips"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.symlink(victim, folder / "PKB-1.pdf")
    with pytest.raises(PrinterError, match="symbolic link"):
        FolderPrinter(folder).print_pdf("PKB-1", PDF)  # the slip waits for a reprint
    assert victim.read_text() == "keep me"
    assert (folder / "PKB-1.pdf").is_symlink()


def test_folder_unwritable_is_printer_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PrinterError):
        FolderPrinter(blocker / "slips").print_pdf("PKB-1", PDF)


def test_folder_print_slip_renders_both_copies(tmp_path: Path, slip: SlipData) -> None:
    printer = FolderPrinter(tmp_path, paper_width_mm=58)
    printer.print_slip(slip)
    printer.print_slip(slip, "office")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{slip.code}-kantor.pdf", f"{slip.code}-warga.pdf"]


def fake_lp(tmp_path: Path, body: str) -> str:
    script = tmp_path / "lp"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_cups_failure_is_printer_error(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path, 'echo "lp: The printer or class does not exist." >&2; exit 1')
    with pytest.raises(PrinterError, match="does not exist"):
        CupsPrinter("Thermal80", lp).print_pdf("PKB-1", PDF)


def test_cups_success_sends_pdf_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "job"
    args = tmp_path / "args"
    lp = fake_lp(tmp_path, f'echo "$@" > {args}; cat > {out}; echo "request id is X-1"')
    CupsPrinter("Thermal80", lp).print_pdf("PKB-1", PDF)
    assert out.read_bytes() == PDF
    assert args.read_text().split() == ["-d", "Thermal80", "-t", "PKB-1", "-"]


def test_cups_missing_lp_and_timeout(tmp_path: Path) -> None:
    with pytest.raises(PrinterError, match="not installed"):
        CupsPrinter("Thermal80", str(tmp_path / "no-such-lp")).print_pdf("PKB-1", PDF)
    slow = fake_lp(tmp_path, "sleep 5")
    with pytest.raises(PrinterError, match="did not answer"):
        CupsPrinter("Thermal80", slow, timeout=0.3).print_pdf("PKB-1", PDF)


@pytest.mark.parametrize("name", ["", "-o evil", "two words", "x\n"])
def test_cups_refuses_odd_queue_names(name: str) -> None:
    with pytest.raises(PrinterError):
        CupsPrinter(name)


def test_escpos_printer_with_device(slip: SlipData) -> None:
    device = Dummy()
    printer = EscposPrinter(device=device)
    printer.print_slip(slip)
    assert b"\x1d(k" in device.output and slip.code.encode() in device.output
    with pytest.raises(PrinterError):
        printer.print_pdf("PKB-1", PDF)


def test_escpos_unreachable_network_is_printer_error(slip: SlipData) -> None:
    # Port 9 on localhost: nothing listens, the connection is refused at once.
    printer = EscposPrinter(host="127.0.0.1", port=9, timeout=1)
    with pytest.raises(PrinterError, match=r"127\.0\.0\.1:9"):
        printer.print_slip(slip)


def test_escpos_usb_without_device_is_printer_error(slip: SlipData) -> None:
    # No such printer here (and maybe no pyusb): either way, a PrinterError.
    printer = printer_from_config("escpos", printer_name="usb:04b8:0202")
    with pytest.raises(PrinterError, match="usb:04b8:0202"):
        printer.print_slip(slip)


def test_escpos_device_failure_is_printer_error(slip: SlipData) -> None:
    class Broken(Dummy):
        def _raw(self, msg: bytes) -> None:
            raise OSError("paper out")

    with pytest.raises(PrinterError, match="paper out"):
        EscposPrinter(device=Broken()).print_slip(slip)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("192.168.1.50:9100", {"host": "192.168.1.50", "port": 9100}),
        ("printer.local", {"host": "printer.local", "port": 9100}),
        ("usb:04b8:0202", {"usb": (0x04B8, 0x0202)}),
    ],
)
def test_parse_escpos_target(target: str, expected: dict) -> None:
    assert parse_escpos_target(target) == expected


@pytest.mark.parametrize("target", ["usb:xyz:1", "usb:1", "host:99999", ":9100"])
def test_parse_escpos_target_refuses(target: str) -> None:
    with pytest.raises(PrinterError):
        parse_escpos_target(target)


def test_factory(tmp_path: Path) -> None:
    folder = printer_from_config("folder", folder=tmp_path)
    assert isinstance(folder, FolderPrinter) and isinstance(folder, Printer)
    cups = printer_from_config("cups", printer_name="Thermal80", paper_width_mm=58)
    assert isinstance(cups, CupsPrinter) and cups.paper_width_mm == 58
    escpos = printer_from_config("escpos", printer_name="10.0.0.9:9100")
    assert isinstance(escpos, EscposPrinter) and escpos.label == "10.0.0.9:9100"
    for kind, options in [
        ("laser", {}),
        ("folder", {}),
        ("cups", {}),
        ("folder", {"folder": tmp_path, "paper_width_mm": 76}),
        ("escpos", {}),
    ]:
        with pytest.raises(PrinterError):
            printer_from_config(kind, **options)
