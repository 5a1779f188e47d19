"""The province's figures for a period: counts, medians, overdue complaints.

`report_data` is the one source of the numbers; the CLI writes them as CSV
or a PDF with charts, and the kiosk's statistics screen renders the same
object. Complaints count by the day they were taken (WIB); the office is
the one in charge now (after any reroute).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.deadlines import DeadlineRules
from posko.core.errors import InvalidInput
from posko.core.figures import Count, ReportData
from posko.core.lifecycle import LABELS_ID, Status
from posko.core.schedule import SchedulePolicy
from posko.printing.content import LATIHAN, LATIHAN_NOTE
from posko.services import followup, reference, setup
from posko.services.complaints import day_bounds
from posko.store.models import Complaint, StatusEvent

MAX_DAYS = 366 * 2


def _median_hours(pairs: list[tuple[datetime, datetime]]) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if end >= start]
    return round(statistics.median(hours), 1) if hours else None


def report_data(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    rules: DeadlineRules,
    *,
    start: date,
    end: date,
) -> ReportData:
    if end < start:
        raise InvalidInput("--to must not be before --from")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput("a report covers at most {days} days", days=MAX_DAYS)
    since, _ = day_bounds(policy, start)
    _, until = day_bounds(policy, end)
    in_period = (Complaint.created_at >= since, Complaint.created_at < until)
    rows = session.exec(
        select(
            Complaint.id,
            Complaint.created_at,
            Complaint.destination_region,
            Complaint.category_code,
            Complaint.status,
        ).where(*in_period)
    ).all()
    ids = [r[0] for r in rows]
    regions = reference.regions(session)
    categories = reference.categories(session)
    days = Counter(r[1].astimezone(policy.zone).date() for r in rows)
    per_day = tuple(
        Count(day.isoformat(), day.strftime("%d/%m"), days[day])
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    )

    def counted(values: Counter[str], name) -> tuple[Count, ...]:  # type: ignore[no-untyped-def]
        return tuple(
            Count(k, name(k), v) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        )

    def region_name(code: str) -> str:
        region = regions.get(code)
        return region.short_name if region else code

    def category_name(code: str) -> str:
        category = categories.get(code)
        return category.name_id if category else code

    firsts: dict[int, dict[str, datetime]] = defaultdict(dict)
    if ids:
        wanted = [Status.DISERAHKAN.value, Status.DITERIMA_WILAYAH.value, Status.SELESAI.value]
        for complaint_id, status, at in session.exec(
            select(StatusEvent.complaint_id, StatusEvent.status, func.min(StatusEvent.at))
            .where(col(StatusEvent.complaint_id).in_(ids), col(StatusEvent.status).in_(wanted))
            .group_by(StatusEvent.complaint_id, StatusEvent.status)
        ).all():
            firsts[complaint_id][status] = at
    acks = [
        (f[Status.DISERAHKAN.value], f[Status.DITERIMA_WILAYAH.value])
        for f in firsts.values()
        if Status.DISERAHKAN.value in f and Status.DITERIMA_WILAYAH.value in f
    ]
    taken = {r[0]: r[1] for r in rows}
    resolutions = [
        (taken[cid], f[Status.SELESAI.value])
        for cid, f in firsts.items()
        if Status.SELESAI.value in f
    ]
    period = set(ids)
    late = Counter(
        o.region for o in followup.overdue(session, clock, rules) if o.complaint_id in period
    )
    return ReportData(
        start=start,
        end=end,
        generated_at=clock.now(),
        total=len(rows),
        per_day=per_day,
        per_region=counted(Counter(r[2] for r in rows), region_name),
        per_category=counted(Counter(r[3] for r in rows), category_name),
        per_status=counted(Counter(r[4] for r in rows), lambda s: LABELS_ID[Status(s)]),
        acknowledged=len(acks),
        median_hours_to_ack=_median_hours(acks),
        resolved=len(resolutions),
        median_hours_to_resolution=_median_hours(resolutions),
        overdue=counted(late, region_name),
        overdue_total=sum(late.values()),
        training=setup.is_training(session),
    )


def report_csv(data: ReportData) -> str:
    """One row per figure: section, key, name, value (a spreadsheet sorts it out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("bagian", "kunci", "nama", "nilai"))
    if data.training:
        writer.writerow(("latihan", LATIHAN, LATIHAN_NOTE, ""))
    writer.writerow(("periode", data.start.isoformat(), "sampai", data.end.isoformat()))
    writer.writerow(("ringkasan", "jumlah", "Jumlah pengaduan", data.total))
    writer.writerow(
        ("ringkasan", "dikonfirmasi", "Dikonfirmasi kantor wali kota/bupati", data.acknowledged)
    )
    writer.writerow(
        (
            "ringkasan",
            "median_jam_konfirmasi",
            "Median waktu hingga dikonfirmasi (jam)",
            "" if data.median_hours_to_ack is None else data.median_hours_to_ack,
        )
    )
    writer.writerow(("ringkasan", "selesai", "Selesai", data.resolved))
    writer.writerow(
        (
            "ringkasan",
            "median_jam_selesai",
            "Median waktu hingga selesai (jam)",
            "" if data.median_hours_to_resolution is None else data.median_hours_to_resolution,
        )
    )
    writer.writerow(("ringkasan", "terlambat", "Melewati tenggat", data.overdue_total))
    for section, counts in (
        ("per_hari", data.per_day),
        ("per_wilayah", data.per_region),
        ("per_kategori", data.per_category),
        ("per_status", data.per_status),
        ("terlambat_per_wilayah", data.overdue),
    ):
        for count in counts:
            writer.writerow((section, count.key, count.name, count.count))
    return out.getvalue()
