"""The rota coordinator's roster: a month of sessions, edited from the keyboard.

Rows are the month's policy days (Monday to Thursday at the Pendopo), with
holidays, cuti bersama and closures named in Indonesian; columns are the
desks. The arrow keys move between sessions and desks; every change is
checked by the roster service before it is saved, and a refusal is shown in
words with nothing saved. Database work goes through posko.tui.data in the
screen's own thread workers; data (and so sqlmodel) is imported only inside
them, so opening the kiosk stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from posko.i18n import _, error_text, long_date
from posko.tui.screens.base import KioskDialog, KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.roster_edit import FillIn
    from posko.tui.data import DayRow, Month
    from posko.tui.kiosk import Kiosk


# --- dialogs -------------------------------------------------------------------


class FormScreen(KioskDialog[dict[str, str] | None]):
    """A few labelled fields; Enter moves on, Enter on the last one submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="roster_form_cancel", tooltip="Change nothing")
    ]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], *, password: str = ""):
        """`fields`: (name, label, initial value); `password` names a hidden field."""
        super().__init__(classes="roster-form")
        self.title_text = title
        self.fields = fields
        self.password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            for name, label, value in self.fields:
                yield Label(label)
                yield Input(value, id=f"form-{name}", password=name == self.password)
            yield Static("", id="form-error", classes="error-text")
        yield KeyBar()

    @on(Input.Submitted)
    def next_or_submit(self, event: Input.Submitted) -> None:
        if event.input.id != f"form-{self.fields[-1][0]}":
            self.focus_next()
            return
        self.submit(
            {name: self.query_one(f"#form-{name}", Input).value.strip() for name, *_ in self.fields}
        )

    def submit(self, values: dict[str, str]) -> None:
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoordinatorSignIn(FormScreen):
    """Only a rota coordinator may open the roster: id and PIN, checked in a worker."""

    def __init__(self) -> None:
        super().__init__(
            _("Roster: coordinator sign-in"),
            [("officer", _("Coordinator id"), ""), ("pin", _("PIN"), "")],
            password="pin",
        )

    def submit(self, values: dict[str, str]) -> None:
        officer_id, pin = values["officer"].upper(), values["pin"]
        runtime = self.kiosk.runtime

        def job() -> str:
            from posko.tui import data

            return data.sign_in_coordinator(runtime, officer_id, pin)

        def refused(error: PoskoError) -> None:
            self.query_one("#form-error", Static).update(error_text(error))
            self.query_one("#form-pin", Input).value = ""

        # Keys typed after Enter belong to the roster that opens.
        self.run_job(
            job,
            lambda _name: self.dismiss({"officer": officer_id}),
            failed=refused,
            holding_keys=True,
        )


def open_roster(app: Kiosk) -> None:
    """The kiosk's hook (key and command palette): sign in as a coordinator, then the month."""

    def signed_in(result: dict[str, str] | None) -> None:
        if result is not None:
            app.push_screen(RosterScreen(result["officer"]))

    app.push_screen(CoordinatorSignIn(), signed_in)


# --- the month -------------------------------------------------------------------


class RosterScreen(KioskScreen[None]):
    DEFAULT_CSS = """
    RosterScreen #roster-title { text-style: bold; padding: 0 1; }
    RosterScreen #roster-table { height: 1fr; }
    RosterScreen #roster-detail { height: auto; padding: 0 1; }
    RosterScreen #roster-message { height: auto; padding: 0 1; }
    RosterScreen #roster-message.refused { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "Assign", id="roster_assign", tooltip="Put an officer on duty here"),
        Binding("u", "unassign", "Unassign", id="roster_unassign", tooltip="Take this officer off"),
        Binding("s", "swap", "Swap", id="roster_swap", tooltip="Mark, then swap with another"),
        Binding("b", "absent", "Absence", id="roster_absent", tooltip="Mark this officer absent"),
        Binding("c", "close_day", "Close date", id="roster_close", tooltip="Close the desk"),
        Binding("e", "extra", "Extra session", id="roster_extra", tooltip="Add a session here"),
        # Priority: the table's own PageUp/PageDown (scrolling) would hide them.
        Binding(
            "pageup",
            "month(-1)",
            "Prev month",
            id="roster_prev",
            tooltip="Month before",
            priority=True,
        ),
        Binding(
            "pagedown",
            "month(1)",
            "Next month",
            id="roster_next",
            tooltip="Month after",
            priority=True,
        ),
        Binding("escape", "app.pop_screen", "Back", id="roster_back", tooltip="Back"),
    ]

    def __init__(self, coordinator: str, month: date | None = None) -> None:
        super().__init__(id="roster")
        self.coordinator = coordinator
        self.first = month.replace(day=1) if month else None
        self.month: Month | None = None
        self.marked: tuple[date, str] | None = None  # the first half of a swap

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-title")
        yield DataTable(id="roster-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="roster-detail")
        yield Static("", id="roster-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Date"), key="date")
        for desk in self.kiosk.runtime.policy.desks:
            table.add_column(desk.code, key=desk.code)
        table.add_column(_("Note"), key="note")
        if self.first is None:
            from posko.core.schedule import local_date

            runtime = self.kiosk.runtime
            self.first = local_date(runtime.policy, runtime.clock.now()).replace(day=1)
        self.reload()

    # -- loading and showing --------------------------------------------------

    def reload(self, keep: tuple[int, int] | None = None) -> None:
        first = self.first
        assert first is not None
        runtime = self.kiosk.runtime

        def job() -> Month:
            from posko.tui import data

            return data.roster_month(runtime, first)

        self.run_job(
            job, lambda month: self.show_month(month, keep), group="roster", exclusive=True
        )

    def show_month(self, month: Month, keep: tuple[int, int] | None) -> None:
        self.month = month
        desks = [d.code for d in self.kiosk.runtime.policy.desks]
        self.query_one("#roster-title", Static).update(
            _(
                "Duty roster {month} — coordinator {officer}",
                month=month.title,
                officer=self.coordinator,
            )
        )
        table = self.query_one(DataTable)
        table.clear()
        for row in month.rows:
            cells: list[Any] = [Text(row.label, style="bold" if row.has_session else "dim")]
            for desk in desks:
                names = [month.names.get(o, o) for o in row.officers.get(desk, [])]
                cells.append(", ".join(names) or ("·" if row.has_session else ""))
            style = "italic" if row.has_session else "bold red"
            cells.append(Text(row.note, style=style) if row.note else "")
            table.add_row(*cells, key=row.day.isoformat())
        if keep is not None and month.rows:
            table.move_cursor(row=min(keep[0], len(month.rows) - 1), column=keep[1])
        else:
            table.move_cursor(row=0, column=1)
        table.focus()
        self.show_detail()

    @on(DataTable.CellHighlighted)
    def show_detail(self) -> None:
        row = self.current_row()
        detail = self.query_one("#roster-detail", Static)
        if row is None or self.month is None:
            detail.update("")
            return
        parts = [long_date(row.day)]
        if row.note:
            parts.append(row.note)
        desk = self.current_desk()
        if desk and row.officers.get(desk):
            names = ", ".join(f"{self.month.names.get(o, o)} ({o})" for o in row.officers[desk])
            parts.append(f"{desk}: {names}")
        if self.marked:
            day, officer = self.marked
            parts.append(_("swap: {officer} on {day} marked", officer=officer, day=long_date(day)))
        detail.update(" · ".join(parts))

    def say(self, text: str, *, refused: bool = False) -> None:
        message = self.query_one("#roster-message", Static)
        message.update(text)
        message.set_class(refused, "refused")

    # -- where the cursor is ---------------------------------------------------

    def current_row(self) -> DayRow | None:
        if self.month is None or not self.month.rows:
            return None
        return self.month.rows[min(self.query_one(DataTable).cursor_row, len(self.month.rows) - 1)]

    def current_desk(self) -> str | None:
        desks = [d.code for d in self.kiosk.runtime.policy.desks]
        column = self.query_one(DataTable).cursor_column
        return desks[column - 1] if 1 <= column <= len(desks) else None

    def current_officer(self) -> str | None:
        row, desk = self.current_row(), self.current_desk()
        if row is None or desk is None or not row.officers.get(desk):
            return None
        return row.officers[desk][0]

    def need_officer(self) -> tuple[DayRow, str] | None:
        row, officer = self.current_row(), self.current_officer()
        if row is None or officer is None:
            self.say(_("Move to a desk with an officer on duty first."), refused=True)
            return None
        return row, officer

    # -- changes ------------------------------------------------------------------

    def change(self, change: Callable[..., None], done_text: str, **arguments: Any) -> None:
        """Run a change (a function of posko.tui.data) in a worker; reload or show the refusal."""
        table = self.query_one(DataTable)
        keep = (table.cursor_row, table.cursor_column)

        def done(_result: object) -> None:
            self.say(done_text)
            self.reload(keep)

        def refused(error: PoskoError) -> None:
            self.say(error_text(error), refused=True)

        runtime, actor = self.kiosk.runtime, self.coordinator
        self.run_job(
            lambda: change(runtime, actor=actor, **arguments), done, failed=refused, group="edit"
        )

    def ask(self, title: str, fields: list[tuple[str, str, str]], then: Any) -> None:
        self.app.push_screen(FormScreen(title, fields), lambda values: values and then(values))

    def action_assign(self) -> None:
        from posko.tui import data  # already imported by the month's job

        row, desk = self.current_row(), self.current_desk()
        if row is None or desk is None:
            self.say(_("Move to a desk column first."), refused=True)
            return
        self.ask(
            _("Assign at desk {desk} on {day}", desk=desk, day=long_date(row.day)),
            [
                ("officer", _("Officer id"), ""),
                ("instead_of", _("In place of (empty: in addition)"), self.current_officer() or ""),
                ("why", _("Why"), ""),
            ],
            lambda v: self.change(
                data.assign_duty,
                _(
                    "{officer} is on duty at {desk} on {day}.",
                    officer=v["officer"],
                    desk=desk,
                    day=long_date(row.day),
                ),
                day=row.day,
                desk=desk,
                officer_id=v["officer"],
                instead_of=v["instead_of"] or None,
                why=v["why"],
            ),
        )

    def action_unassign(self) -> None:
        from posko.tui import data  # already imported by the month's job

        found = self.need_officer()
        if found is None:
            return
        row, officer = found
        self.ask(
            _("Take {officer} off duty on {day}", officer=officer, day=long_date(row.day)),
            [("why", _("Why"), "")],
            lambda v: self.change(
                data.unassign_duty,
                _("{officer} is off duty on {day}.", officer=officer, day=long_date(row.day)),
                day=row.day,
                officer_id=officer,
                why=v["why"],
            ),
        )

    def action_swap(self) -> None:
        from posko.tui import data  # already imported by the month's job

        found = self.need_officer()
        if found is None:
            return
        row, officer = found
        if self.marked is None or self.marked == (row.day, officer):
            self.marked = (row.day, officer)
            self.say(
                _(
                    "Marked {officer} on {day}; move to the other turn and press S.",
                    officer=officer,
                    day=long_date(row.day),
                )
            )
            self.show_detail()
            return
        first_day, first_officer = self.marked
        self.marked = None
        self.ask(
            _(
                "Swap {a} ({a_day}) with {b} ({b_day})",
                a=first_officer,
                a_day=long_date(first_day),
                b=officer,
                b_day=long_date(row.day),
            ),
            [("why", _("Why"), "")],
            lambda v: self.change(
                data.swap_duty,
                _("{a} and {b} swapped turns.", a=first_officer, b=officer),
                first_day=first_day,
                first_officer=first_officer,
                second_day=row.day,
                second_officer=officer,
                why=v["why"],
            ),
        )

    def action_absent(self) -> None:
        found = self.need_officer()
        if found is None:
            return
        row, officer = found
        self.ask(
            _("{officer} absent", officer=officer),
            [
                ("start", _("From (YYYY-MM-DD)"), row.day.isoformat()),
                ("end", _("To (YYYY-MM-DD)"), row.day.isoformat()),
                ("reason", _("Reason"), ""),
            ],
            lambda v: self.propose_absence(officer, v),
        )

    def propose_absence(self, officer: str, values: dict[str, str]) -> None:
        """Show who would fill in; apply only when the coordinator agrees."""
        from posko.tui import data  # already imported by the month's job
        from posko.tui.widgets.confirm import ConfirmScreen

        try:
            start, end = date.fromisoformat(values["start"]), date.fromisoformat(values["end"])
        except ValueError:
            self.say(_("Dates are written YYYY-MM-DD."), refused=True)
            return
        runtime = self.kiosk.runtime

        def plan() -> list[FillIn]:
            return data.plan_absence(runtime, officer, start, end)

        def show(fill_ins: list[FillIn]) -> None:
            lines = [
                f"{long_date(f.day)} {f.desk}: {f.absent} → {f.fill_in or _('nobody free')}"
                for f in fill_ins
            ] or [_("No session of {officer} in this range.", officer=officer)]
            question = _("Fill-ins proposed:") + "\n" + "\n".join(lines) + "\n\n" + _("Apply?")

            def answered(yes: bool | None) -> None:
                if yes:
                    self.change(
                        data.mark_absent,
                        _("Absence of {officer} saved; the fill-ins are on duty.", officer=officer),
                        officer_id=officer,
                        start=start,
                        end=end,
                        reason=values["reason"],
                    )
                else:
                    self.say(_("Nothing changed."))

            self.app.push_screen(ConfirmScreen(question), answered)

        self.run_job(plan, show, failed=lambda e: self.say(error_text(e), refused=True))

    def action_close_day(self) -> None:
        from posko.tui import data  # already imported by the month's job

        row = self.current_row()
        if row is None:
            return
        self.ask(
            _("Close the desk on {day}", day=long_date(row.day)),
            [("reason", _("Reason, e.g. a city event"), "")],
            lambda v: self.change(
                data.close_day,
                _("The desk is closed on {day}.", day=long_date(row.day)),
                day=row.day,
                reason=v["reason"],
            ),
        )

    def action_extra(self) -> None:
        from posko.tui import data  # already imported by the month's job

        row = self.current_row()
        if row is None:
            return
        self.ask(
            _("Extra session on {day}", day=long_date(row.day)),
            [("why", _("Why"), "")],
            lambda v: self.change(
                data.add_extra_session,
                _("Session added on {day}.", day=long_date(row.day)),
                day=row.day,
                why=v["why"],
            ),
        )

    def action_month(self, step: int) -> None:
        assert self.first is not None
        moved = self.first + timedelta(days=32 * step if step > 0 else -1)
        self.first = moved.replace(day=1)
        self.marked = None
        self.say("")
        self.reload()
