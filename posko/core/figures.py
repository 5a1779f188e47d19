"""The figures of a report, as plain data: services compute them, printing and
the kiosk draw them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Count:
    key: str  # a date, region code, category code or status
    name: str  # what a person reads
    count: int


@dataclass(frozen=True)
class ReportData:
    start: date
    end: date
    generated_at: datetime
    total: int
    per_day: tuple[Count, ...]  # every day of the period, zeros included
    per_region: tuple[Count, ...]  # the office in charge now
    per_category: tuple[Count, ...]
    per_status: tuple[Count, ...]
    acknowledged: int  # complaints of the period their office has confirmed
    median_hours_to_ack: float | None  # handoff -> the office's receipt
    resolved: int
    median_hours_to_resolution: float | None  # taken at the desk -> selesai
    overdue: tuple[Count, ...]  # per office: complaints of the period late now
    overdue_total: int
    training: bool  # from a training database: every output says LATIHAN
