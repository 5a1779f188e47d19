"""What a slip shows: the one input of every layout.

The services build a `SlipData` from the database; the printing layer never
queries anything, reads no clock and needs no secret (the QR payload arrives
signed). That keeps every layout a pure function, testable without a DB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Copy = Literal["citizen", "office"]


@dataclass(frozen=True)
class SlipData:
    code: str  # tracking code e.g. "PKB-7K3Q-X9MD"
    queue_number: int | None
    taken_at: datetime  # timezone-aware (UTC in storage); layouts show it in Asia/Jakarta
    site_name: str  # "Posko Pengaduan Balai Kota DKI Jakarta"
    desk_name: str  # e.g. "Meja Jakarta Pusat"
    category_name: str  # Indonesian category name
    description: str  # full complaint text (any Unicode, up to 4000 chars)
    location_text: str  # "Kel. Gambir, Kec. Gambir, Kota Administrasi Jakarta Pusat — Jl. ..."
    destination_name: str  # the office in charge, e.g. "Kantor Wali Kota Jakarta Pusat"
    officer_name: str
    officer_title: str
    # Indonesian sentence, e.g. "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat;
    # penerimaan dikonfirmasi paling lambat" (the deadline's date follows)
    next_step: str
    next_deadline: date | None
    reporter_name: str | None  # None when anonymous
    reporter_nik: str | None
    reporter_phone: str | None  # E.164, e.g. "+6281234567890"
    reporter_email: str | None
    anonymous: bool
    confidential: bool
    qr_payload: str  # signed URL, already built
    verification: str  # the signature in the payload, typed by hand on the status page
    training: bool  # training DB: visible LATIHAN mark on every slip
    # The citizen's consent to status messages: the channel, or None; withdrawn later?
    contact_channel: str | None = None
    consent_withdrawn: bool = False

    def __post_init__(self) -> None:
        # A naive datetime would be shown in the wrong zone without anyone
        # noticing; refuse it where the mistake is made.
        if self.taken_at.tzinfo is None or self.taken_at.utcoffset() is None:
            raise ValueError("SlipData.taken_at must be timezone-aware")
