"""The words of a status message to a citizen, and when a failed one is tried again.

Pure rules: the caller gives the office's name and the status page link (with
the slip's signature); nothing here reads a clock or a database.
"""

from __future__ import annotations

from datetime import timedelta

from posko.core.lifecycle import LABELS_ID, Status

# What the citizen can expect after each status, in plain Indonesian.
NEXT_STEP = {
    Status.DITERIMA: "Pengaduan akan diteruskan ke kantor wali kota/bupati.",
    Status.DISERAHKAN: "Kantor wali kota/bupati akan mengonfirmasi penerimaan pengaduan Anda.",
    Status.DITERIMA_WILAYAH: "Kantor wali kota/bupati akan menindaklanjuti dan memberi kabar.",
    Status.DIPROSES: "Petugas sedang menangani; Anda akan dikabari bila sudah selesai.",
    Status.SELESAI: "Bila belum sesuai, Anda dapat mengajukan keberatan lewat tautan di bawah.",
    Status.DIALIHKAN: "Kantor yang berwenang akan mengonfirmasi penerimaan pengaduan Anda.",
    Status.DITOLAK: "Alasannya dapat dibaca lewat tautan di bawah.",
    Status.DUPLIKAT: "Tindak lanjut dicatat pada pengaduan yang sama sebelumnya.",
}
STOP_NOTE = "Tidak ingin menerima pesan lagi? Buka tautan itu dan pilih Berhenti."


def status_subject(code: str, status: Status) -> str:
    return f"Pengaduan {code}: {LABELS_ID[status]}"


def status_message(*, code: str, status: Status, office: str, link: str, sender: str) -> str:
    """The short message: code, status in words, the office, what next, the link."""
    return (
        f"{sender}: pengaduan {code} kini berstatus {LABELS_ID[status]} ({office}). "
        f"{NEXT_STEP[status]} Cek status: {link} {STOP_NOTE}"
    )


def retry_delay(attempts: int, *, first: timedelta, longest: timedelta) -> timedelta:
    """Back-off after the `attempts`-th failure: first, 2×first, 4×first, … up to longest."""
    if attempts < 1:
        return timedelta(0)
    return min(first * (2 ** min(attempts - 1, 30)), longest)
