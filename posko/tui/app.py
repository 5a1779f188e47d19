"""The kiosk App, built by one factory that the CLI and the tests share.

Start-up paints the home screen first and opens the database in a worker:
nothing here imports sqlmodel at module level (posko.tui.data does, lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from posko import i18n
from posko.core.errors import PoskoError
from posko.i18n import _
from posko.runtime import Runtime
from posko.tui.draft import Draft

if TYPE_CHECKING:
    from posko.services.views import DutyOfficer
    from posko.tui.data import DeskStatus, Reference
    from posko.tui.screens.preparing import PreparingScreen

T = TypeVar("T")
STATUS_REFRESH_SECONDS = 20
STATS_HELP = "The month's figures: complaints per day, office, category and status"


def translate_bindings(node: DOMNode) -> None:
    """Show every binding's description and tooltip in the current language.

    Bindings are class attributes, fixed at import; the language is chosen
    later (--lang), so each screen translates its own copy when it is built.
    """
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else "")
            for b in bindings
        ]


def error_text(error: PoskoError) -> str:
    from posko.commands.base import translated

    return translated(error.message, error.params)


class StatusLoaded(Message):
    def __init__(self, status: DeskStatus) -> None:
        super().__init__()
        self.status = status


class PoskoApp(App[None]):
    CSS_PATH = "posko.tcss"
    TITLE = "Posko"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave the kiosk", priority=True),
        # Keys that move the focus run here, in the app's own queue, before the
        # next key is handed to a widget: a fast typist or a scanner sending
        # "Tab JP-AS1 Tab 123456 Enter" in one burst lands every key where it belongs.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Next field", show=False, priority=True),
        Binding("f12", "stats", "Statistics", id="stats", tooltip=STATS_HELP, show=False),
    ]

    def __init__(self, runtime: Runtime, *, draft: Draft | None = None):
        super().__init__()
        translate_bindings(self)
        self.runtime = runtime
        self.draft = draft or Draft(lambda: runtime.clock.now())
        self.status: DeskStatus | None = None
        self.reference: Reference | None = None
        self.officer: DutyOfficer | None = None  # signed in and on duty
        self.called_number: int | None = None  # the queue number being served
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

        self.run_job(load, lambda status: self.post_message(StatusLoaded(status)))

    @on(StatusLoaded)
    def status_loaded(self, message: StatusLoaded) -> None:
        self.status = message.status
        for screen in self.screen_stack:
            if hasattr(screen, "show_status"):
                screen.show_status(message.status)

    def with_reference(self, then: Callable[[Reference], None]) -> None:
        """Regions and categories, read once in a worker."""
        if self.reference is not None:
            then(self.reference)
            return

        def load() -> Reference:
            from posko.tui import data

            return data.load_reference(self.runtime)

        def keep(reference: Reference) -> None:
            self.reference = reference
            then(reference)

        self.run_job(load, keep)

    def run_job(
        self,
        job: Callable[[], T],
        done: Callable[[T], object],
        *,
        failed: Callable[[PoskoError], None] | None = None,
        group: str = "db",
    ) -> None:
        """Run `job` in a thread; hand its result (or its refusal) back on the UI thread."""

        def work() -> None:
            try:
                result = job()
            except PoskoError as error:
                self.call_from_thread(failed or self.show_error, error)
                return
            except Exception as error:  # a traceback in front of a user is a bug
                self.call_from_thread(self.show_unexpected, error)
                return
            self.call_from_thread(done, result)

        self.run_worker(work, thread=True, group=group, exit_on_error=False)

    def action_enter(self) -> None:
        """Enter in a one-line field: the screen's `enter_in(field)` moves on or submits.

        Screens without it (and other widgets) get the key as usual.
        """
        from textual.actions import SkipAction
        from textual.widgets import Input

        handler = getattr(self.screen, "enter_in", None)
        focused = self.focused
        if handler is None or not isinstance(focused, Input) or not handler(focused):
            raise SkipAction()

    def show_error(self, error: PoskoError) -> None:
        self.notify(error_text(error), severity="error", timeout=8)

    def show_unexpected(self, error: Exception) -> None:
        from posko.commands.base import safe

        self.notify(
            f"{_('Unexpected error')}: {type(error).__name__}: {safe(error)[:200]}",
            severity="error",
            timeout=12,
        )

    # -- navigation -----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from posko.tui.screens.home import HomeScreen

        for key, action, title, help_text in HomeScreen.COMMANDS_LIST:
            yield SystemCommand(
                f"{_(title)} ({key.upper()})", _(help_text), getattr(self, f"action_{action}")
            )
        yield SystemCommand(f"{_('Statistics')} (F12)", _(STATS_HELP), self.action_stats)
        yield from super().get_system_commands(screen)

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
