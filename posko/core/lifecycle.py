"""The status lifecycle of a complaint (DESIGN.md, "Status lifecycle")."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DITERIMA = "diterima"  # taken at the desk
    DISERAHKAN = "diserahkan"  # in a handoff list
    DITERIMA_WILAYAH = "diterima_wilayah"  # regional office confirmed receipt
    DIPROSES = "diproses"
    SELESAI = "selesai"
    DIALIHKAN = "dialihkan"  # rerouted to another office
    DITOLAK = "ditolak"  # outside the province's authority
    DUPLIKAT = "duplikat"  # the same as an earlier complaint


LABELS_ID = {
    Status.DITERIMA: "Diterima di Posko",
    Status.DISERAHKAN: "Diserahkan ke kantor wali kota/bupati",
    Status.DITERIMA_WILAYAH: "Diterima kantor wali kota/bupati",
    Status.DIPROSES: "Sedang diproses",
    Status.SELESAI: "Selesai",
    Status.DIALIHKAN: "Dialihkan ke kantor lain",
    Status.DITOLAK: "Ditolak",
    Status.DUPLIKAT: "Duplikat pengaduan lain",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DITERIMA: frozenset({Status.DISERAHKAN, Status.DUPLIKAT}),
    Status.DISERAHKAN: frozenset({Status.DITERIMA_WILAYAH, Status.DIALIHKAN, Status.DUPLIKAT}),
    Status.DITERIMA_WILAYAH: frozenset(
        {Status.DIPROSES, Status.SELESAI, Status.DIALIHKAN, Status.DITOLAK, Status.DUPLIKAT}
    ),
    Status.DIPROSES: frozenset({Status.SELESAI, Status.DIALIHKAN, Status.DITOLAK, Status.DUPLIKAT}),
    # A rerouted complaint waits for the new office to confirm receipt.
    Status.DIALIHKAN: frozenset({Status.DITERIMA_WILAYAH}),
    # A citizen's dispute of a completion reopens it.
    Status.SELESAI: frozenset({Status.DIPROSES}),
    Status.DITOLAK: frozenset(),
    Status.DUPLIKAT: frozenset(),
}

CLOSED = frozenset({Status.SELESAI, Status.DITOLAK, Status.DUPLIKAT})
NEEDS_REASON = frozenset({Status.DIALIHKAN, Status.DITOLAK})


def can_move(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]
