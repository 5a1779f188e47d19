"""What a queue ticket says, in Bahasa Indonesia, as the slips' blocks.

A ticket is the citizen's proof of their place in the queue: the number
large enough to read at arm's length by an elderly citizen, how many are
ahead, the session's hours, and a QR code to the queue page on their phone.
It carries no identity: nobody's name is asked for a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from posko.printing import content as c

PRIORITY_MARK = "PRIORITAS"


@dataclass(frozen=True)
class TicketData:
    number: int
    priority: bool
    day: date  # the session's day (WIB)
    issued_at: datetime  # timezone-aware; shown in WIB
    site_name: str
    ahead: int  # numbers to be called before this one, as of printing
    opens_at: datetime  # the session's start
    ends_at: datetime  # no new numbers after this; holders are still served
    queue_url: str  # the queue page of `posko serve` for this number
    training: bool

    def __post_init__(self) -> None:
        for instant in (self.issued_at, self.opens_at, self.ends_at):
            if instant.tzinfo is None or instant.utcoffset() is None:
                raise ValueError("TicketData times must be timezone-aware")

    @property
    def name(self) -> str:
        """`antrean-20261201-012`: the ticket's print job and file name."""
        return f"antrean-{self.day:%Y%m%d}-{self.number:03d}"


def hours_text(ticket: TicketData) -> str:
    """`08.00–09.30 WIB`, the Indonesian way of writing times."""
    start = ticket.opens_at.astimezone(c.JAKARTA)
    end = ticket.ends_at.astimezone(c.JAKARTA)
    return f"{start:%H.%M}–{end:%H.%M} WIB"


def ahead_text(ahead: int) -> str:
    return "Tidak ada; Anda berikutnya" if ahead == 0 else f"{ahead} orang"


def ticket_blocks(ticket: TicketData) -> list[c.Block]:
    blocks: list[c.Block] = [
        c.Text(c.PROVINCE, "province", "center"),
        c.Text(ticket.site_name, "site", "center"),
        c.Rule(),
        c.Text("NOMOR ANTREAN", "title", "center"),
        c.QueueNumber(str(ticket.number), PRIORITY_MARK if ticket.priority else None),
        c.Text(c.when_taken(ticket.issued_at), "body", "center"),
        c.Rule(),
        c.Field("Antrean di depan Anda", ahead_text(ticket.ahead), strong=True),
        c.Field(
            "Jam layanan",
            f"{hours_text(ticket)}. Pemegang nomor tetap dilayani setelah pendaftaran ditutup.",
        ),
    ]
    if ticket.queue_url:
        # None before the installation names its status page: the number prints anyway.
        address = c.follow_up_address(ticket.queue_url, "")
        how = "Pindai kode QR ini untuk melihat nomor yang sedang dipanggil di ponsel Anda"
        how += f" ({address})." if address else "."
        blocks += [
            c.Field("Pantau antrean", how),
            c.Qr(ticket.queue_url, f"Antrean {ticket.number}"),
        ]
    blocks.append(
        c.Text("Tunggu nomor Anda dipanggil di layar dan oleh petugas.", "closing", "center")
    )
    return blocks
