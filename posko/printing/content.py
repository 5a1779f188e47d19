"""What each slip says, in Bahasa Indonesia, as a list of blocks.

The PDF layouts and the ESC/POS renderer draw the same blocks, so a slip
says the same thing whichever printer it comes out of, and the privacy
rules (what is masked, what is left out) live in one place: here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from posko.printing.masking import (
    hide_identity,
    initials,
    mask_email,
    mask_nik,
    mask_numbers,
    mask_phone,
)
from posko.printing.slip_data import SlipData

JAKARTA = ZoneInfo("Asia/Jakarta")
PROVINCE = "PEMERINTAH PROVINSI DKI JAKARTA"
SUMMARY_LIMIT = 200  # characters of the complaint on the citizen's slip
LATIHAN = "LATIHAN"
LATIHAN_NOTE = "Data latihan, bukan pengaduan resmi"

Style = Literal["province", "site", "desk", "title", "body", "small", "strong", "big", "closing"]
Align = Literal["left", "center"]


@dataclass(frozen=True)
class Text:
    """A paragraph; newlines in `text` start new lines."""

    text: str
    style: Style = "body"
    align: Align = "left"


@dataclass(frozen=True)
class Field:
    """A label and its value (the value may span several lines)."""

    label: str
    value: str
    strong: bool = False  # the value in bold (queue number, destination)
    wide: bool = False  # long text: on a page, below its label across the full width


@dataclass(frozen=True)
class TrackingCode:
    label: str
    code: str


@dataclass(frozen=True)
class QueueNumber:
    """A queue ticket's number, as large as the roll allows; `mark` in a black band."""

    number: str
    mark: str | None = None  # "PRIORITAS"


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Space:
    mm: float


@dataclass(frozen=True)
class Qr:
    payload: str
    caption: str


@dataclass(frozen=True)
class FieldsWithQr:
    """Identification fields with the QR beside them (A5), or above it (roll)."""

    fields: tuple[Field, ...]
    qr: Qr


@dataclass(frozen=True)
class Footnote:
    """Small print: at the end of a roll, in the footer of every page."""

    text: str


@dataclass(frozen=True)
class SignatureBox:
    title: str
    lines: tuple[str, ...]  # labels of the lines the receiving officer fills in


Block = (
    Text
    | Field
    | TrackingCode
    | QueueNumber
    | Rule
    | Space
    | Qr
    | FieldsWithQr
    | SignatureBox
    | Footnote
)


def when_taken(taken_at: datetime) -> str:
    """`Selasa, 1 Desember 2026 08.15 WIB` (Babel gives the Indonesian day name)."""
    # babel.dates costs ~20 ms to import; paid at the first slip only.
    from babel.dates import format_datetime

    local = taken_at.astimezone(JAKARTA)
    return format_datetime(local, "EEEE, d MMMM y HH.mm", locale="id") + " WIB"


def long_date(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "EEEE, d MMMM y", locale="id")


def summarize(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Cut at a word boundary with an ellipsis; a single overlong word is cut too."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-–—") + "…"


def next_step_text(slip: SlipData) -> str:
    step = " ".join(slip.next_step.split())
    if slip.next_deadline is not None:
        step = f"{step} {long_date(slip.next_deadline)}".strip()
    if step and step[-1] not in ".!?":
        step += "."
    return step


def follow_up_address(payload: str, code: str) -> str:
    """The status page as a person would type it: `lacak.posko-latihan.invalid/lacak`."""
    try:
        parts = urlsplit(payload.strip())
    except ValueError:
        return ""
    if not parts.netloc:
        return ""
    path = parts.path
    if code and code in path:
        path = path[: path.index(code)]
    return (parts.netloc + path).rstrip("/")


def verification_code(sig: str) -> str:
    """`abcdefghijkl` -> `ABCD-EFGH-IJKL`: groups of four, read aloud or typed.

    Upper case like the tracking code; the status page forgives case, spaces
    and dashes, so the grouping costs the citizen nothing.
    """
    compact = sig.strip().upper()
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def format_phone(phone: str) -> str:
    """`+6281234567890` -> `+62 812-3456-7890`; a landline with its area code:
    `+62213822255` -> `+62 21 3822255`. For people who dial it."""
    value = phone.strip()
    if value.startswith("+62") and value[1:].isdigit() and len(value) >= 11:
        national = value[3:]
        if not national.startswith("8"):
            from posko.core.identity import area_code  # phonenumbers: only for a landline

            area = area_code(value)
            if area:
                return f"+62 {area} {national[len(area) :]}"
        return f"+62 {national[:3]}-{national[3:-4]}-{national[-4:]}"
    return value


# Identity a citizen may have dictated into the complaint itself.
_EMAIL_RUN = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]+")
HIDDEN = "[dirahasiakan]"


def _name_pattern(name: str | None) -> re.Pattern[str] | None:
    words = (name or "").split()
    if not words or len("".join(words)) < 3:
        return None
    # Look-arounds, not \b: a name may end in a dot ("Budi S.").
    body = r"\s+".join(map(re.escape, words))
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def mask_in_text(text: str, slip: SlipData) -> str:
    """The complaint as the citizen's slip may show it: NIKs, phone numbers and
    e-mail addresses masked, however they were written, and the reporter's own
    name cut to initials."""
    text = mask_numbers(text)
    text = _EMAIL_RUN.sub(lambda m: mask_email(m.group()), text)
    pattern = _name_pattern(slip.reporter_name)
    if pattern is not None:
        text = pattern.sub(initials(slip.reporter_name), text)
    return text


def hide_reporter(text: str, slip: SlipData) -> str:
    """The complaint as a confidential office copy may show it: the reporter's
    own name, NIK, phone and e-mail replaced, wherever they were dictated."""
    return hide_identity(
        text,
        name=slip.reporter_name,
        nik=slip.reporter_nik,
        phone=slip.reporter_phone,
        email=slip.reporter_email,
        replacement=HIDDEN,
    )


def _identity_lines(slip: SlipData, *, masked: bool) -> list[str]:
    lines = []
    if slip.reporter_name:
        lines.append(initials(slip.reporter_name) if masked else slip.reporter_name)
    if slip.reporter_nik:
        lines.append("NIK " + (mask_nik(slip.reporter_nik) if masked else slip.reporter_nik))
    if slip.reporter_phone:
        phone = mask_phone(slip.reporter_phone) if masked else format_phone(slip.reporter_phone)
        lines.append("Telp. " + phone)
    if slip.reporter_email:
        email = mask_email(slip.reporter_email) if masked else slip.reporter_email
        lines.append("Surel " + email)
    return lines


def citizen_blocks(slip: SlipData) -> list[Block]:
    """The citizen's slip: enough to follow the complaint up, nothing that identifies."""
    if slip.anonymous:
        reporter = "Anonim (tanpa identitas)"
    else:
        # Masked even when confidential: the citizen must recognise the slip
        # as theirs, and a finder must not learn who they are.
        lines = _identity_lines(slip, masked=True) or ["Tidak dicatat"]
        if slip.confidential:
            lines.append(f"Identitas Anda dirahasiakan dari {slip.destination_name}.")
        reporter = "\n".join(lines)
    summary = slip.description
    if slip.anonymous:
        # Anonymous wins over any identity a caller left in the fields.
        summary = hide_reporter(summary, slip)
    summary = mask_in_text(summary, slip)
    address = follow_up_address(slip.qr_payload, slip.code)
    how = "Pindai kode QR di bawah dengan ponsel"
    if address:
        how += f", atau buka {address} lalu ketik kode pelacakan dan kode verifikasi"
    how += "."
    blocks: list[Block] = [
        Text(PROVINCE, "province", "center"),
        Text(slip.site_name, "site", "center"),
        Text(slip.desk_name, "desk", "center"),
        Rule(),
        Text("TANDA TERIMA PENGADUAN", "title", "center"),
        Space(1.5),
        TrackingCode("Kode pelacakan", slip.code),
        TrackingCode("Kode verifikasi", verification_code(slip.verification)),
    ]
    if slip.queue_number is not None:
        blocks.append(Text(f"Nomor antrean {slip.queue_number}", "big", "center"))
    blocks += [
        Text(when_taken(slip.taken_at), "body", "center"),
        Rule(),
        Field("Kategori", slip.category_name),
        Field("Ringkasan pengaduan", summarize(summary)),
        # Neutral, true before and after the handoff; the next step says "Akan
        # diteruskan ke …" while it has not happened (docs/glossary.md).
        Field("Kantor tujuan", slip.destination_name, strong=True),
        Field("Petugas penerima", f"{slip.officer_name}\n{slip.officer_title}"),
        Field("Langkah berikutnya", next_step_text(slip)),
        Field("Pelapor", reporter),
        Rule(),
        Field("Cara memantau pengaduan", how),
        Qr(slip.qr_payload, slip.code),
        Text("Pengaduan juga dapat disampaikan melalui Layanan LAPOR! 1708.", "small"),
        Text("Simpan tanda terima ini.", "closing", "center"),
    ]
    return blocks


def office_copy_name(slip: SlipData) -> str:
    """ "Salinan untuk Kantor Wali Kota Jakarta Pusat": the office copy's heading."""
    return f"Salinan untuk {slip.destination_name}"


CHANNEL_WORDS = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "e-mail"}


def consent_text(slip: SlipData) -> str | None:
    """The citizen's consent to status messages (UU 27/2022: the consent, its
    purpose and how to withdraw it); None when none was given (and always for an
    anonymous reporter, who leaves no contact)."""
    if slip.anonymous or slip.contact_channel is None:
        return None
    channel = CHANNEL_WORDS.get(slip.contact_channel, slip.contact_channel)
    if slip.consent_withdrawn:
        return f"Dicabut: pelapor tidak lagi dikabari lewat {channel}."
    return (
        f"Dihubungi lewat {channel}, hanya untuk kabar status; "
        "dapat dicabut di posko atau halaman status."
    )


def office_blocks(slip: SlipData) -> list[Block]:
    """The office copy: full text and routing; identity only when it may travel."""
    if slip.anonymous:
        reporter = "Anonim: pelapor tidak mencantumkan identitas."
    elif slip.confidential:
        # Never the identity, not even masked: the office must not be able to
        # single the reporter out (UU 27/2022; LAPOR!'s "rahasia" option).
        reporter = "Identitas pelapor dirahasiakan."
    else:
        reporter = "\n".join(_identity_lines(slip, masked=False)) or "Tidak dicatat."
    complaint = slip.description
    if slip.confidential or slip.anonymous:
        complaint = hide_reporter(complaint, slip)
    ident = [
        Field("Kode pelacakan", slip.code, strong=True),
        Field("Kode verifikasi", verification_code(slip.verification), strong=True),
    ]
    if slip.queue_number is not None:
        ident.append(Field("Nomor antrean", str(slip.queue_number)))
    ident += [
        Field("Diterima", when_taken(slip.taken_at)),
        Field("Petugas penerima", f"{slip.officer_name}\n{slip.officer_title}"),
    ]
    return [
        Text(PROVINCE, "province", "center"),
        Text(slip.site_name, "site", "center"),
        Text(slip.desk_name, "desk", "center"),
        Rule(),
        Text(office_copy_name(slip).upper(), "title", "center"),
        Space(1),
        FieldsWithQr(tuple(ident), Qr(slip.qr_payload, slip.code)),
        Rule(),
        # The heading names the office ("SALINAN UNTUK KANTOR WALI KOTA …"):
        # no "Tujuan" line repeating it.
        Field("Lokasi", slip.location_text),
        Field("Kategori", slip.category_name),
        Field("Langkah berikutnya", next_step_text(slip)),
        Field("Pelapor", reporter),
        *([Field("Persetujuan", consent)] if (consent := consent_text(slip)) else []),
        Space(1),
        SignatureBox(
            f"Diterima oleh {slip.destination_name}",
            ("Nama petugas", "Jabatan", "Tanggal", "Tanda tangan"),
        ),
        Space(2),
        Field("Isi pengaduan", complaint, wide=True),
        Footnote("Pindai kode QR untuk memeriksa keaslian salinan ini."),
    ]
