"""The statistics screen shows the month's figures of `posko report`."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static

from posko.i18n import _
from posko.services import followup, intake, reports
from posko.store.db import new_session
from posko.tui.screens.stats import StatsScreen
from tests.tui.conftest import settle

pytestmark = pytest.mark.db


def complaint(kota: str, category: str) -> dict:
    return {
        "reporter": {"name": "Sri Wahyuni", "nik": "3171014501850002", "phone": "081234567890"},
        "category": category,
        "description": "Saluran air di depan pasar tersumbat sampah, banjir tiap hujan",
        "location": {"kota": kota},
    }


def shown(screen: StatsScreen, widget: str) -> str:
    return str(screen.query_one(widget, Static).content)


def line_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(name))


async def test_stats_screen_shows_the_reports_figures_for_this_month(runtime, kiosk) -> None:
    rt = runtime
    with new_session(rt.engine) as session:
        for officer, kota, category in [
            ("JP-AS1", "31.71", "banjir"),
            ("JP-AS1", "31.71", "jalan"),
            ("JS-AS1", "31.74", "banjir"),
        ]:
            intake.take_complaint(
                session, rt.clock, rt.policy, officer_id=officer, data=complaint(kota, category)
            )
        rules = followup.rules_for(rt.settings, rt.policy)
        expected = reports.report_data(
            session, rt.clock, rt.policy, rules, start=date(2026, 12, 1), end=date(2026, 12, 1)
        )
    assert expected.total == 3

    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.data == expected
        figures = shown(screen, "#stats-figures")
        assert line_of(figures, _("Complaints")).split()[-1] == "3"
        offices = {c.name: c.count for c in expected.per_region}
        assert offices == {"Jakarta Pusat": 2, "Jakarta Selatan": 1}
        for name, count in offices.items():
            assert line_of(figures, name).split()[-1] == str(count)
        for c in expected.per_category:
            assert line_of(figures, c.name).split()[-1] == str(c.count)
        chart = shown(screen, "#stats-chart")
        assert line_of(chart, "01/12").endswith("█" * 40 + " 3")  # the only day, the widest

        await pilot.press("[")  # November: nothing yet
        await settle(pilot)
        assert screen.data is not None and screen.data.start == date(2026, 11, 1)
        assert line_of(shown(screen, "#stats-figures"), _("Complaints")).split()[-1] == "0"
        await pilot.press("]", "]")  # back to December, and no further
        await settle(pilot)
        assert screen.data.start == date(2026, 12, 1) and screen.data.total == 3

        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, StatsScreen)
