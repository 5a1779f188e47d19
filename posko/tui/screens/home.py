"""The desk at a glance: open or closed, who is on duty, the queue, today's counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from posko.i18n import _
from posko.tui.format import clock_text, hm, next_session_text, phase_text
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.tui.data import DeskStatus

# key, app action, title, help: the key bar and the command palette share them.
STATS_HELP = "The month's figures: complaints per day, office, category and status"
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("f2", "sign_in", "Sign in", "Sign in with your officer id and PIN"),
    ("f3", "queue", "Queue", "Hand out queue numbers and call the next citizen"),
    ("f4", "intake", "New complaint", "Record a citizen's complaint and print the slip"),
    ("f5", "lookup", "Look up", "Find a complaint by code, scanned slip, name or phone"),
    ("f8", "close_session", "Close session", "Close today's session and hand the work on"),
    ("f6", "override", "Override", "A coordinator admits an officer not on the roster"),
    ("f7", "roster", "Roster", "Rota coordinators: plan and change the duty roster"),
    ("f9", "sign_out", "Sign out", "Sign the current officer out"),
    ("ctrl+r", "reprint", "Reprint", "Print the slips that failed again"),
    ("f11", "scan", "Scan slips", "Regional office: scan slips to acknowledge receipt"),
    ("f12", "stats", "Statistics", STATS_HELP),
)


class HomeScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"app.{action}", title, id=action, tooltip=help_text)
        for key, action, title, help_text in COMMANDS
    ]

    def __init__(self) -> None:
        super().__init__(id="home")

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="site")
            yield Static(id="clock")
        yield Static(_("Connecting to the database…"), id="phase")
        with Horizontal(id="body"):
            yield Static(id="duty", classes="panel")
            with Vertical(id="side"):
                yield Static(id="queue-box", classes="panel")
                yield Static(id="counts", classes="panel")
                yield Static(id="officer", classes="panel")
                yield Static(id="reprints", classes="panel warning")
                yield Static(id="messages", classes="panel warning")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#duty").border_title = _("On duty today")
        self.query_one("#queue-box").border_title = _("Queue")
        self.query_one("#counts").border_title = _("Today")
        self.query_one("#officer").border_title = _("Signed in")
        self.query_one("#reprints").border_title = _("Reprints")
        self.query_one("#reprints").display = False
        self.query_one("#messages").border_title = _("Messages")
        self.query_one("#messages").display = False
        self.tick()
        self.set_interval(1, self.tick)
        self.kiosk.status_changed.subscribe(self, self.show_status)
        if self.kiosk.status is not None:
            self.show_status(self.kiosk.status)

    def on_screen_resume(self) -> None:
        if self.kiosk.status is not None:  # who is signed in may have changed meanwhile
            self.show_status(self.kiosk.status)

    def tick(self) -> None:
        self.query_one("#clock", Static).update(clock_text(self.kiosk.runtime.clock.now()))

    def show_status(self, status: DeskStatus) -> None:
        state = status.state
        site = Text()
        if status.training:  # first, so a narrow terminal never cuts it off
            site.append(" LATIHAN ", style="bold reverse")
            site.append(" ")
        site.append(status.site_name, style="bold")
        self.query_one("#site", Static).update(site)
        phase = state.phase.value
        line = Text(phase_text(phase).upper(), style="bold")
        if state.session is not None and phase != "after":
            line.append(
                "  "
                + _(
                    "Session {start}–{end} WIB",
                    start=hm(state.session.starts_at),
                    end=hm(state.session.ends_at),
                )
            )
        elif state.closed_reason:
            line.append(f"  ({_(state.closed_reason)})")
        if phase in ("before", "after"):
            line.append(
                "\n" + _("Next session: {next}", next=next_session_text(state.next_session))
            )
        widget = self.query_one("#phase", Static)
        widget.update(line)
        widget.set_classes(f"phase-{phase}")
        self.query_one("#duty", Static).update(self._duty_table(status))
        self.query_one("#queue-box", Static).update(self._queue_text(status))
        self.query_one("#counts", Static).update(
            _("Complaints: {complaints}", complaints=status.complaints)
            + "\n"
            + _("Numbers issued: {issued}", issued=status.issued)
            + "\n"
            + _("No-shows: {count}", count=status.no_shows)
        )
        officer = self.kiosk.officer
        self.query_one("#officer", Static).update(
            f"{officer.name} ({officer.id})" if officer else _("Nobody — press F2")
        )
        reprints = self.query_one("#reprints", Static)
        reprints.display = status.reprints > 0
        reprints.update(_("{count} slips wait for a reprint", count=status.reprints))
        messages = self.query_one("#messages", Static)
        messages.display = status.failing_messages > 0
        messages.update(
            _("{count} messages failing (posko notify list)", count=status.failing_messages)
        )

    def _duty_table(self, status: DeskStatus) -> Table | Text:
        from posko.i18n import safe

        session = status.state.session
        if session is None or not session.officers:
            return Text(_("No session today."))
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column(_("Desk"), no_wrap=True)
        # The title has a line of its own under the name: in a column beside
        # it, every row read "Asisten P…" at 80 columns.
        table.add_column(_("Officer"), no_wrap=True, overflow="ellipsis", ratio=1)
        for officer in session.officers:
            who = Text(f"{safe(officer.name)} ({officer.id})")
            who.append("\n" + safe(officer.title), style="dim")
            table.add_row(officer.desk, who)
        return table

    def _queue_text(self, status: DeskStatus) -> Text:
        waiting = status.waiting
        text = Text(_("Waiting: {count}", count=len(waiting)), style="bold")
        called = [v for v in waiting if v.state == "called"]
        if called:
            text.append(
                "\n"
                + _("Being served: {numbers}", numbers=", ".join(str(v.number) for v in called))
            )
        upcoming = [v for v in waiting if v.state == "issued"][:6]
        if upcoming:
            text.append(
                "\n"
                + _(
                    "Next: {numbers}",
                    numbers=", ".join(f"{v.number}{'P' if v.priority else ''}" for v in upcoming),
                )
            )
        return text
