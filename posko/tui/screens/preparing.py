"""`posko demo`: the training database is prepared after the first paint, and
the screen says what it is doing (a first demo on a new machine takes seconds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from posko.i18n import _

if TYPE_CHECKING:
    from posko.core.clock import Clock
    from posko.core.errors import PoskoError
    from posko.tui.app import PoskoApp

# services.demo.STEPS in words.
STEP_TEXT = {
    "check": "Checking the database…",
    "schema": "Creating or upgrading the schema…",
    "reference": "Regions, categories and sample officers…",
    "roster": "Three months of duty roster…",
    "clock": "Setting the training clock inside a session…",
}


class PreparingScreen(Screen[bool]):
    """Dismissed with True once the demo database is ready.

    A whole screen, not a modal over the home screen: the first frame then
    costs what the kiosk's does (a modal composites the screen beneath too).
    """

    DEFAULT_CSS = "PreparingScreen { align: center middle; }"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Preparing the training database…"), classes="dialog-title")
            yield Static(_(STEP_TEXT["check"]), id="preparing-step")

    def prepare(self) -> None:
        """Called by the app once the first frame is on screen."""
        app: PoskoApp = self.app  # type: ignore[assignment]

        def job() -> Clock:
            from posko.tui import data

            return data.prepare_demo(app.runtime, self._from_thread)

        app.run_job(job, self.ready, failed=self.failed, group="demo")

    def _from_thread(self, step: str) -> None:
        self.app.call_from_thread(self.show_step, step)

    def show_step(self, step: str) -> None:
        self.query_one("#preparing-step", Static).update(_(STEP_TEXT[step]))

    def ready(self, clock: Clock) -> None:
        app: PoskoApp = self.app  # type: ignore[assignment]
        app.runtime.clock = clock
        self.dismiss(True)

    def failed(self, error: PoskoError) -> None:
        from posko.tui.app import error_text

        # Nothing works without the database: say why, and how to leave.
        self.query_one("#preparing-step", Static).update(
            error_text(error) + "\n\n" + _("Press Ctrl+Q to leave.")
        )
