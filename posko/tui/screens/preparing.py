"""`posko demo`: the training database is prepared after the first paint, and
the screen says what it is doing (a first demo on a new machine takes seconds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from posko.i18n import _, error_text
from posko.tui.screens.base import KioskScreen

if TYPE_CHECKING:
    from posko.core.clock import Clock
    from posko.core.errors import PoskoError

# services.demo.STEPS in words.
STEP_TEXT = {
    "check": "Checking the database…",
    "schema": "Creating or upgrading the schema…",
    "reference": "Regions, categories and sample officers…",
    "roster": "Three months of duty roster…",
    "clock": "Setting the training clock inside a session…",
}


class PreparingScreen(KioskScreen[bool]):
    """Dismissed with True once the demo database is ready.

    A whole screen, not a modal over the home screen: the first frame then
    costs what the kiosk's does (a modal composites the screen beneath too).
    Keys typed meanwhile wait, and go to the desk once it is there.
    """

    DEFAULT_CSS = "PreparingScreen { align: center middle; }"

    def __init__(self) -> None:
        super().__init__(hold=True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Preparing the training database…"), classes="dialog-title")
            yield Static(_(STEP_TEXT["check"]), id="preparing-step")

    def prepare(self) -> None:
        """Called by the app once the first frame is on screen."""
        runtime = self.kiosk.runtime

        def job() -> Clock:
            from posko.tui import data

            return data.prepare_demo(runtime, self._from_thread)

        self.run_job(job, self.ready, failed=self.failed, group="demo")

    def _from_thread(self, step: str) -> None:
        self.app.call_from_thread(self.show_step, step)

    def show_step(self, step: str) -> None:
        self.query_one("#preparing-step", Static).update(_(STEP_TEXT[step]))

    def ready(self, clock: Clock) -> None:
        self.kiosk.runtime.clock = clock
        self.dismiss(True)
        self.release_keys()

    def failed(self, error: PoskoError) -> None:
        self.release_keys()  # Ctrl+Q must reach the app
        # Nothing works without the database: say why, and how to leave.
        self.query_one("#preparing-step", Static).update(
            error_text(error) + "\n\n" + _("Press Ctrl+Q to leave.")
        )
