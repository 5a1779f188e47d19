"""What the waiting-room board says, in Bahasa Indonesia, on the TV and on /antrean.

Citizens read Indonesian, so the board, like the slips and the status page,
is always in Indonesian whatever the desk's language. Shared by the Textual
board and the web pages so they say the same thing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from posko.services.board import Board, Call

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
TITLE = "ANTREAN"
RECENT = "Panggilan terakhir"
WAITING = "Menunggu"


def hm(instant: datetime) -> str:
    return f"{instant.astimezone(JAKARTA):%H.%M}"


def day_time(instant: datetime) -> str:
    """`Selasa, 8 Desember 2026 pukul 08.00 WIB`."""
    local = instant.astimezone(JAKARTA)
    day = f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{day} pukul {local:%H.%M} WIB"


def clock_text(now: datetime) -> str:
    local = now.astimezone(JAKARTA)
    return f"{DAYS[local.weekday()]} {local:%H.%M} WIB"


def state_text(board: Board) -> tuple[str, str]:
    """The session's state: a word (BUKA, SEGERA DIBUKA, …) and its sentence."""
    if board.phase == "before" and board.opens_at is not None:
        return "SEGERA DIBUKA", f"Layanan dibuka pukul {hm(board.opens_at)} WIB"
    if board.phase == "open" and board.ends_at is not None:
        return "BUKA", f"Pendaftaran nomor antrean sampai pukul {hm(board.ends_at)} WIB"
    if board.phase == "grace":
        return "PENDAFTARAN DITUTUP", "Pemegang nomor antrean tetap dilayani"
    upcoming = (
        f"Sesi berikutnya: {day_time(board.next_opens_at)}"
        if board.next_opens_at is not None
        else "Sesi berikutnya belum dijadwalkan"
    )
    return "TUTUP", upcoming


def desk_label(desk: str | None) -> str:
    return f"Meja {desk}" if desk else "Meja"


def call_text(call: Call) -> str:
    """`12 → Meja JP`, with the lane and the re-announcement."""
    text = f"{call.number} → {desk_label(call.desk)}"
    if call.priority:
        text += " (prioritas)"
    if call.state == "no_show":
        text += " · tidak hadir"
    elif call.calls > 1:
        text += " · dipanggil ulang"
    return text


def waiting_text(board: Board) -> str:
    text = f"{board.waiting} orang"
    if board.waiting_priority:
        text += f" ({board.waiting_priority} prioritas)"
    return text
