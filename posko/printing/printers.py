"""Where slips go: a folder (default), a CUPS queue through `lp`, an ESC/POS printer.

A printer that fails must never lose or block a complaint: it is already
saved when we print. So every failure of a backend surfaces as exactly one
exception type, `PrinterError`, with a plain message for the officer, and
the caller puts the slip in the reprint queue. Nothing else escapes.
"""

from __future__ import annotations

import contextlib
import functools
import re
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, runtime_checkable

from posko.core.errors import PoskoError
from posko.files import write_private
from posko.printing.slip_data import Copy, SlipData
from posko.printing.ticket import TicketData

if TYPE_CHECKING:
    from escpos.escpos import Escpos

# A job name becomes a file name and a CUPS title: letters, digits, - _ .
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
LP_TIMEOUT = 20.0  # seconds; lp only queues the job, it should answer at once
NETWORK_TIMEOUT = 10.0


class PrinterError(PoskoError):
    """The slip could not be printed; the complaint is safe, queue a reprint."""


P = ParamSpec("P")
R = TypeVar("R")


def only_printer_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Whatever goes wrong inside a backend reaches the caller as PrinterError
    (cause chained for the log), so one `except PrinterError` can queue the
    reprint and nothing else can crash the intake screen."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except PrinterError:
            raise
        except Exception as error:
            raise PrinterError("printing failed: {error}", error=_plain(repr(error))) from error

    return wrapper


@runtime_checkable
class Printer(Protocol):
    def print_pdf(self, name: str, pdf: bytes) -> None:
        """Print (or save) a rendered PDF under a job name such as `PKB-7K3Q-X9MD-warga`."""
        ...

    def print_slip(self, slip: SlipData, copy: Copy = "citizen") -> None:
        """Render and print one copy of a slip in this printer's best format."""
        ...


def job_name(slip: SlipData, copy: Copy) -> str:
    """`PKB-7K3Q-X9MD-warga` (the citizen's slip) or `PKB-7K3Q-X9MD-kantor` (the copy for
    the kantor wali kota/bupati): a name people see in the folder and the print queue."""
    return f"{slip.code}-{'warga' if copy == 'citizen' else 'kantor'}"


def check_name(name: str) -> str:
    """Refuse any job name that could leave the folder or confuse `lp`."""
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise PrinterError("invalid print job name {name!r}", name=name[:60])
    return name


class _PdfPrinter:
    """Shared by the backends that take PDF: render, then print_pdf."""

    paper_width_mm: int = 80
    office_paper: str = "a5"

    def print_pdf(self, name: str, pdf: bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @only_printer_errors
    def print_slip(self, slip: SlipData, copy: Copy = "citizen") -> None:
        from posko.printing.layout import citizen_slip_pdf, office_copy_pdf

        try:
            if copy == "citizen":
                pdf = citizen_slip_pdf(slip, self.paper_width_mm)
            else:
                pdf = office_copy_pdf(slip, self.office_paper)  # type: ignore[arg-type]
        except Exception as error:
            # A layout bug must not look like a lost complaint to the caller;
            # the cause stays chained for the log.
            raise PrinterError(
                "the slip could not be laid out: {error}", error=str(error)[:200]
            ) from error
        self.print_pdf(job_name(slip, copy), pdf)


class FolderPrinter(_PdfPrinter):
    """Saves `<name>.pdf` into a folder, readable by its owner only (mode 0600).

    The file is written under a temporary name and renamed into place, so a
    crash never leaves half a PDF where a reprint would pick it up.
    """

    def __init__(
        self, folder: str | Path, *, paper_width_mm: int = 80, office_paper: str = "a5"
    ) -> None:
        self.folder = Path(folder)
        self.paper_width_mm = paper_width_mm
        self.office_paper = office_paper

    def path_for(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.pdf"

    @only_printer_errors
    def print_pdf(self, name: str, pdf: bytes) -> None:
        # A private file in a private folder (the office copy holds the
        # identity in full); a reprint replaces the slip of the same name.
        try:
            write_private(self.path_for(name), pdf, replace=True)
        except PoskoError as error:
            raise PrinterError(
                "cannot save the slip to {folder}: {error}",
                folder=str(self.folder),
                error=str(error),
            ) from error


def _plain(text: str, limit: int = 200) -> str:
    """One line of printable text from a program's stderr."""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(kept.split())[:limit]


class CupsPrinter(_PdfPrinter):
    """Prints through CUPS: `lp -d NAME -t TITLE -` with the PDF on stdin."""

    def __init__(
        self,
        printer_name: str,
        lp_path: str = "lp",
        *,
        timeout: float = LP_TIMEOUT,
        paper_width_mm: int = 80,
        office_paper: str = "a5",
    ) -> None:
        # A queue name starting with "-" would be read by lp as an option.
        if (
            not printer_name
            or printer_name.startswith("-")
            or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in printer_name)
        ):
            raise PrinterError("invalid CUPS printer name {name!r}", name=printer_name[:60])
        self.printer_name = printer_name
        self.lp_path = lp_path
        self.timeout = timeout
        self.paper_width_mm = paper_width_mm
        self.office_paper = office_paper

    @only_printer_errors
    def print_pdf(self, name: str, pdf: bytes) -> None:
        title = check_name(name)
        command = [self.lp_path, "-d", self.printer_name, "-t", title, "-"]
        try:
            result = subprocess.run(
                command,
                input=pdf,
                capture_output=True,
                timeout=self.timeout,
                check=False,
                # Never through a shell: the names are data, not commands.
                shell=False,
            )
        except FileNotFoundError as error:
            raise PrinterError(
                "the print command {lp} is not installed (CUPS client)", lp=self.lp_path
            ) from error
        except subprocess.TimeoutExpired as error:
            raise PrinterError(
                "printer {printer} did not answer within {seconds} s",
                printer=self.printer_name,
                seconds=int(self.timeout),
            ) from error
        except OSError as error:
            raise PrinterError(
                "cannot run {lp}: {error}", lp=self.lp_path, error=error.strerror or str(error)
            ) from error
        if result.returncode != 0:
            detail = _plain(result.stderr.decode("utf-8", "replace")) or f"exit {result.returncode}"
            raise PrinterError(
                "printer {printer} refused the slip: {detail}",
                printer=self.printer_name,
                detail=detail,
            )


def parse_escpos_target(target: str) -> dict[str, Any]:
    """`192.168.1.50:9100`, `printer.local` (port 9100) or `usb:04b8:0202`."""
    value = target.strip()
    if value.lower().startswith("usb:"):
        parts = value.split(":")
        if len(parts) != 3:
            raise PrinterError(
                "USB printer must be given as usb:VENDOR:PRODUCT, e.g. usb:04b8:0202"
            )
        try:
            return {"usb": (int(parts[1], 16), int(parts[2], 16))}
        except ValueError as error:
            raise PrinterError(
                "USB vendor and product must be hexadecimal, e.g. usb:04b8:0202"
            ) from error
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = value, "9100"
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PrinterError("network printer must be given as HOST:PORT, e.g. 192.168.1.50:9100")
    return {"host": host.strip("[]"), "port": int(port)}


class EscposPrinter:
    """A thermal printer spoken to in ESC/POS, over the network or USB.

    The citizen's slip and the office copy are rendered as printer text with
    a native QR code; a PDF cannot be sent to such a printer.
    """

    def __init__(
        self,
        *,
        host: str | None = None,
        port: int = 9100,
        usb: tuple[int, int] | None = None,
        device: Escpos | None = None,
        paper_width_mm: int = 80,
        timeout: float = NETWORK_TIMEOUT,
    ) -> None:
        if sum(x is not None for x in (host, usb, device)) != 1:
            raise PrinterError("an ESC/POS printer needs exactly one of host, usb or device")
        self.host, self.port, self.usb = host, port, usb
        self.device = device  # injected (tests, or a caller that built its own)
        self.paper_width_mm = paper_width_mm
        self.timeout = timeout

    @property
    def label(self) -> str:
        if self.host:
            return f"{self.host}:{self.port}"
        if self.usb:
            return "usb:{:04x}:{:04x}".format(*self.usb)
        return "ESC/POS"

    def _open(self) -> Escpos:
        if self.device is not None:
            return self.device
        if self.host:
            from escpos.printer import Network

            printer: Escpos = Network(self.host, self.port, timeout=self.timeout)
        else:
            from escpos.printer import Usb

            assert self.usb is not None
            if not Usb.is_usable():
                # Checked first: a Usb object built without pyusb raises again
                # from its destructor, long after we reported the failure.
                raise PrinterError(
                    "printer {printer}: USB printing needs pyusb (python-escpos[usb])",
                    printer=self.label,
                )
            printer = Usb(self.usb[0], self.usb[1])
        printer.open()
        return printer

    @only_printer_errors
    def print_with(self, draw: Callable[[Escpos], None]) -> None:
        """Open the printer, let `draw` send one document, close it."""
        printer = None
        try:
            printer = self._open()
            draw(printer)
        except PrinterError:
            raise
        except Exception as error:
            # python-escpos raises its own errors, OSError, usb.core errors and
            # RuntimeError (pyusb missing): all of them mean "not printed".
            raise PrinterError(
                "printer {printer} failed: {error}", printer=self.label, error=_plain(str(error))
            ) from error
        finally:
            if printer is not None and printer is not self.device:
                with contextlib.suppress(Exception):
                    printer.close()

    def print_slip(self, slip: SlipData, copy: Copy = "citizen") -> None:
        from posko.printing.escpos import render_escpos

        self.print_with(
            lambda printer: render_escpos(slip, printer, copy=copy, width_mm=self.paper_width_mm)
        )

    def print_ticket(self, ticket: TicketData) -> None:
        from posko.printing.escpos import render_ticket

        self.print_with(
            lambda printer: render_ticket(ticket, printer, width_mm=self.paper_width_mm)
        )

    def print_pdf(self, name: str, pdf: bytes) -> None:
        raise PrinterError(
            "printer {printer} prints slips natively and cannot print a PDF", printer=self.label
        )


def printer_from_config(kind: str, **options: Any) -> Printer:
    """The printer of a configuration: `folder`, `cups` or `escpos`.

    Options: folder -> folder; cups -> printer_name, lp_path; escpos ->
    target ("host:port" or "usb:VID:PID", also accepted as printer_name) or
    host/port/usb; all -> paper_width_mm (80 or 58); folder and cups ->
    office_paper (a5 or roll80). Unknown options are ignored, so the whole
    settings can be passed.
    """
    width = int(options.get("paper_width_mm") or 80)
    if width not in (80, 58):
        raise PrinterError("paper width must be 80 or 58 mm, not {width}", width=width)
    office_paper = str(options.get("office_paper") or "a5")
    if office_paper not in ("a5", "roll80"):
        raise PrinterError("office paper must be a5 or roll80, not {paper}", paper=office_paper)
    match (kind or "folder").strip().lower():
        case "folder":
            folder = options.get("folder") or options.get("output_dir")
            if not folder:
                raise PrinterError("the folder printer needs a folder")
            return FolderPrinter(folder, paper_width_mm=width, office_paper=office_paper)
        case "cups":
            name = options.get("printer_name") or ""
            return CupsPrinter(
                name,
                options.get("lp_path") or "lp",
                paper_width_mm=width,
                office_paper=office_paper,
            )
        case "escpos":
            target = options.get("target") or options.get("printer_name")
            if target:
                return EscposPrinter(**parse_escpos_target(str(target)), paper_width_mm=width)
            return EscposPrinter(
                host=options.get("host"),
                port=int(options.get("port") or 9100),
                usb=options.get("usb"),
                device=options.get("device"),
                paper_width_mm=width,
            )
    raise PrinterError("unknown printer kind {kind!r}: choose folder, cups or escpos", kind=kind)
