"""The month's figures at the desk: the same numbers as `posko report`, and a
bar chart of complaints per day drawn with block characters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from posko.core.clock import to_wib
from posko.i18n import _
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.figures import Count, ReportData

BAR_WIDTH = 40  # blocks of the longest bar: fits 80 columns with the day and count
NAME_WIDTH = 40  # the longest label ("Median waktu hingga dikonfirmasi (jam)") and its value


def month_range(first: date, today: date) -> tuple[date, date]:
    """The month starting at `first`, cut at `today` while it is still running."""
    following = (first + timedelta(days=32)).replace(day=1)
    return first, min(following - timedelta(days=1), today)


def bars(per_day: tuple[Count, ...]) -> Text:
    """One line a day; the busiest day gets the full width, any complaint at least one block."""
    widest = max((c.count for c in per_day), default=0) or 1
    lines = Text()
    for day in per_day:
        blocks = max(1, round(day.count * BAR_WIDTH / widest)) if day.count else 0
        lines.append(f"{day.name} ")
        lines.append("█" * blocks, style="bold cyan")
        lines.append(f" {day.count}\n")
    return lines


def figures(data: ReportData) -> Text:
    def hours(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    text = Text()

    def row(name: str, value: object) -> None:
        text.append(f"  {name:<{NAME_WIDTH}} {value}\n")

    def section(title: str, counts: tuple[Count, ...]) -> None:
        text.append(f"\n{title}\n", style="bold")
        for count in counts:
            row(count.name, count.count)
        if not counts:
            text.append(f"  {_('none')}\n")

    row(_("Complaints"), data.total)
    row(_("Acknowledged by the office"), data.acknowledged)
    row(_("Median hours to acknowledgement"), hours(data.median_hours_to_ack))
    row(_("Resolved"), data.resolved)
    row(_("Median hours to resolution"), hours(data.median_hours_to_resolution))
    row(_("Overdue now"), data.overdue_total)
    section(_("Per office"), data.per_region)
    section(_("Per category"), data.per_category)
    section(_("Per status"), data.per_status)
    section(_("Overdue per office"), data.overdue)
    return text


class StatsScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # The key bar's short labels (one line at 80 columns), the tooltips in full.
        Binding("[", "month(-1)", "Prev month", id="stats_back", tooltip="Month before"),
        Binding("]", "month(1)", "Next month", id="stats_next", tooltip="Month after"),
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the home screen"),
    ]

    def __init__(self) -> None:
        super().__init__(id="stats")
        self.today = date.min
        self.first = date.min
        self.data: ReportData | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Statistics"), id="intake-title")
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-figures")
            yield Static("", id="stats-chart")
        yield KeyBar()

    def on_mount(self) -> None:
        self.today = to_wib(self.kiosk.runtime.clock.now()).date()
        self.first = self.today.replace(day=1)
        self.query_one("#stats-body").focus()  # arrows and page keys scroll a small terminal
        self.load()

    def action_month(self, step: int) -> None:
        if step < 0:
            self.first = (self.first - timedelta(days=1)).replace(day=1)
        elif self.first < self.today.replace(day=1):  # no months that have not begun
            self.first = (self.first + timedelta(days=32)).replace(day=1)
        else:
            return
        self.load()

    def load(self) -> None:
        start, end = month_range(self.first, self.today)
        rt = self.kiosk.runtime

        def job() -> ReportData:
            from posko.tui import data

            return data.statistics(rt, start, end)

        self.query_one("#intake-title", Static).update(
            _("Statistics {start} – {end}", start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}")
        )
        self.run_job(job, self.show, group="stats")

    def show(self, data: ReportData) -> None:
        if (data.start, data.end) != month_range(self.first, self.today):
            return  # an older month's answer arriving after a key moved on
        self.data = data
        self.query_one("#stats-figures", Static).update(figures(data))
        chart = Text(_("Complaints per day") + "\n", style="bold")
        chart.append_text(bars(data.per_day))
        self.query_one("#stats-chart", Static).update(chart)
