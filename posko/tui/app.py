"""The kiosk App, built by one factory that the CLI and the tests share.

Start-up paints the home screen first and opens the database in a worker:
nothing here imports sqlmodel at module level (posko.tui.data does, lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal

from posko import i18n
from posko.i18n import _, error_text, safe
from posko.runtime import Runtime
from posko.tui.draft import Draft
from posko.tui.jobs import run_job
from posko.tui.keys import OrderedInputApp
from posko.tui.palette import DeskCommands, DeskPalette
from posko.tui.screens.base import translate_bindings
from posko.tui.screens.home import STATS_HELP

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.views import DutyOfficer
    from posko.tui.data import DeskStatus, Reference
    from posko.tui.screens.preparing import PreparingScreen

R = TypeVar("R")
STATUS_REFRESH_SECONDS = 20


class StatusLoaded(Message):
    def __init__(self, status: DeskStatus) -> None:
        super().__init__()
        self.status = status


class PoskoApp(OrderedInputApp):
    CSS_PATH = "posko.tcss"
    TITLE = "Posko"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave the kiosk", priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="command_palette",
            tooltip="Find a command by what it does",
            priority=True,
        ),
        Binding("f12", "stats", "Statistics", id="stats", tooltip=STATS_HELP, show=False),
    ]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {DeskCommands}

    def __init__(self, runtime: Runtime, *, draft: Draft | None = None):
        super().__init__()
        translate_bindings(self)
        self.runtime = runtime
        self.draft = draft or Draft(lambda: runtime.clock.now())
        self.status: DeskStatus | None = None
        self.reference: Reference | None = None
        self.officer: DutyOfficer | None = None  # signed in and on duty
        self.called_number: int | None = None  # the queue number being served
        self.last_issued: int | None = None  # the last queue number handed out here
        self.status_changed: Signal[DeskStatus] = Signal(self, "status_changed")
        self.preparing: PreparingScreen | None = None  # `posko demo` until its database is ready

    # -- start-up and state -------------------------------------------------

    def on_mount(self) -> None:
        if self.runtime.demo:  # first what it prepares, then the desk
            from posko.tui.screens.preparing import PreparingScreen

            self.preparing = PreparingScreen()
            self.push_screen(self.preparing, lambda _: self._open_home())
        else:
            self._open_home()

    def on_ready(self) -> None:
        """The first frame is on screen: only now open the database (a worker
        importing sqlmodel would compete with the first paint)."""
        if self.preparing is not None:
            self.preparing.prepare()
        else:
            self._database_ready()

    def _open_home(self) -> None:
        from posko.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.preparing is not None:
            self._database_ready()

    def _database_ready(self) -> None:
        self.refresh_status()
        self.set_interval(STATUS_REFRESH_SECONDS, self.refresh_status)

    def refresh_status(self) -> None:
        def load() -> DeskStatus:
            from posko.tui import data

            return data.load_status(self.runtime)

        run_job(self, load, lambda status: self.post_message(StatusLoaded(status)), group="status")

    @on(StatusLoaded)
    def status_loaded(self, message: StatusLoaded) -> None:
        status = self.status = message.status
        # The database is the truth, also after a restart: the last number the
        # site handed out, and the number this desk is serving (the dashboard's
        # "being served" and the form's queue number are then the same).
        self.last_issued = status.last_issued
        if self.officer is not None:
            desk = self.officer.desk
            called = [v for v in status.waiting if v.state == "called" and v.desk in (desk, None)]
            self.called_number = called[-1].number if called else None
        self.status_changed.publish(status)

    def with_reference(
        self, then: Callable[[Reference], None], *, unavailable: Callable[[], None] | None = None
    ) -> None:
        """Regions and categories, read once in a worker; `unavailable` if that failed."""
        if self.reference is not None:
            then(self.reference)
            return

        def load() -> Reference:
            from posko.tui import data

            return data.load_reference(self.runtime)

        def keep(reference: Reference) -> None:
            self.reference = reference
            then(reference)

        def finished() -> None:
            if self.reference is None and unavailable is not None:
                unavailable()

        run_job(self, load, keep, group="reference", finished=finished)

    def run_job(
        self,
        job: Callable[[], R],
        done: Callable[[R], object],
        *,
        failed: Callable[[PoskoError], None] | None = None,
        group: str = "db",
    ) -> None:
        """Work the app owns, that must finish even if a screen closes (see posko.tui.kiosk)."""
        run_job(self, job, done, failed=failed, group=group)

    def show_error(self, error: PoskoError) -> None:
        self.notify(error_text(error), severity="error", timeout=8)

    def show_unexpected(self, error: Exception) -> None:
        self.notify(
            f"{_('Unexpected error')}: {type(error).__name__}: {safe(error)[:200]}",
            severity="error",
            timeout=12,
        )

    # -- navigation -----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The desk's work, and leaving. Textual's other commands (themes, screenshots,
        the keys panel) are left out: they open screens in English the desk has no use for."""
        from posko.tui.screens.home import COMMANDS

        for key, action, title, help_text in COMMANDS:
            yield SystemCommand(
                f"{_(title)} ({key.upper()})", _(help_text), getattr(self, f"action_{action}")
            )
        yield SystemCommand(_("Quit"), _("Leave the kiosk"), self.exit)

    def action_command_palette(self) -> None:
        if not DeskPalette.is_open(self):  # type: ignore[arg-type]  # an App of any result
            self.push_screen(DeskPalette())

    def action_sign_in(self) -> None:
        from posko.tui.screens.signin import SignInScreen

        self.push_screen(SignInScreen(), self._signed_in)

    def _signed_in(self, officer: DutyOfficer | None) -> None:
        if officer is not None:
            self.officer = officer
            self.notify(_("Signed in: {name}", name=officer.name))
            self.refresh_status()

    def action_sign_out(self) -> None:
        if self.officer is not None:
            self.officer = None
            self.notify(_("Signed out"))
            self.refresh_status()

    def action_override(self) -> None:
        from posko.tui.screens.signin import OverrideScreen

        self.push_screen(OverrideScreen())

    def action_roster(self) -> None:
        from posko.tui.screens.roster import open_roster  # coordinators only: it asks a PIN

        open_roster(self)

    def action_queue(self) -> None:
        from posko.tui.screens.queue import QueueScreen

        self.push_screen(QueueScreen())

    def action_intake(self) -> None:
        """Only inside a session, and only for an officer on duty."""
        closed = self.intake_closed_reason()
        if closed is not None:
            self.notify(closed, severity="warning", timeout=10)
            return
        if self.officer is None:
            self.notify(_("Sign in first (F2): only officers on duty take complaints."))
            self.push_screen_with_sign_in()
            return
        from posko.tui.screens.intake import IntakeScreen

        self.push_screen(IntakeScreen(self.officer, self.called_number))

    def push_screen_with_sign_in(self) -> None:
        from posko.tui.screens.signin import SignInScreen

        def then(officer: DutyOfficer | None) -> None:
            self._signed_in(officer)
            if officer is not None:
                self.action_intake()

        self.push_screen(SignInScreen(), then)

    def intake_closed_reason(self) -> str | None:
        """Why the intake form cannot open now (with the next session), or None."""
        from posko.tui.format import next_session_text

        status = self.status
        if status is None:
            return _("Still connecting to the database; try again in a moment.")
        phase = status.state.phase.value
        if phase in ("open", "grace"):
            return None
        if phase == "before" and status.state.session is not None:
            return _(
                "Intake has not opened yet. It opens at {time}.",
                time=next_session_text(status.state.session),
            )
        return _(
            "The desk is closed. Next session: {next}.",
            next=next_session_text(status.state.next_session),
        )

    def action_reprint(self) -> None:
        def job() -> str:
            from posko.tui import data

            return data.reprint_pending(self.runtime)

        def done(text: str) -> None:
            self.notify(text or _("No slip waits for a reprint."), timeout=10)
            self.refresh_status()

        self.notify(_("Printing…"), timeout=2)
        self.run_job(job, done, group="print")

    def action_lookup(self) -> None:
        from posko.tui.screens.lookup import LookupScreen

        self.push_screen(LookupScreen())

    def action_close_session(self) -> None:
        from posko.tui.screens.closeout import start_closeout

        start_closeout(self)

    def action_stats(self) -> None:
        from posko.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_scan(self) -> None:
        from posko.tui.screens.scan import ScanScreen

        self.push_screen(ScanScreen())


def make_app(runtime: Runtime, *, draft_path: Path | None = None) -> PoskoApp:
    """The one way to build the kiosk: the CLI, the tests and the snapshots use it."""
    i18n.set_language(runtime.settings.language)
    return PoskoApp(runtime, draft=Draft(lambda: runtime.clock.now(), draft_path))
