"""Signing in at the desk, and a coordinator's override for one session."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from posko.i18n import _, error_text
from posko.tui.screens.base import KioskDialog
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.views import DutyOfficer

BACK = Binding("escape", "dismiss_empty", "Cancel", id="cancel", tooltip="Close without signing in")


class SignInScreen(KioskDialog["DutyOfficer | None"]):
    """Pick yourself from today's roster (or type your id), then your PIN."""

    BINDINGS: ClassVar[list[BindingType]] = [
        BACK,
        Binding("f6", "override", "Override", id="override", tooltip="A coordinator admits you"),
    ]

    def __init__(self) -> None:
        super().__init__(id="sign-in")

    def action_override(self) -> None:
        """Not on the roster: the coordinator's override, then sign in again."""
        self.dismiss(None)
        self.app.call_later(self.app.run_action, "app.override")

    def compose(self) -> ComposeResult:
        status = self.kiosk.status
        duty = status.state.session.officers if status and status.state.session else ()
        options = [(f"{o.desk}  {o.name} ({o.id})", o.id) for o in duty]
        self.has_roster = bool(options)
        with Vertical(classes="dialog"):
            yield Static(_("Sign in"), classes="dialog-title")
            yield Label(_("Officer on duty today (type to search)"))
            yield Select(options, prompt=_("Choose yourself"), id="officer-pick", compact=True)
            yield Label(_("Officer id"))
            yield Input(placeholder=_("e.g. JP-AS1"), id="officer-id", compact=True)
            yield Label(_("PIN"))
            yield Input(password=True, id="pin", max_length=12, compact=True)
            yield Static("", id="sign-in-error", classes="error-text")
            yield Static(
                _("Enter signs in. Not on the roster? A coordinator can admit you (F6)."),
                classes="hint",
            )
            if status is not None and status.training_pin:
                yield Static(
                    _(
                        "Training database: every sample officer's PIN is {pin}.",
                        pin=status.training_pin,
                    ),
                    classes="hint",
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(
            "#officer-pick" if self.query_one(Select)._options else "#officer-id"
        ).focus()

    @on(Select.Changed, "#officer-pick")
    def picked(self, event: Select.Changed) -> None:
        """Picked from the roster: the id is filled in, the PIN is next."""
        if isinstance(event.value, str):
            self.query_one("#officer-id", Input).value = event.value
            self.query_one("#pin", Input).focus()

    @on(Input.Submitted)
    def enter(self, event: Input.Submitted) -> None:
        """Enter in the id moves to the PIN; Enter in the PIN signs in."""
        if event.input.id == "officer-id":
            self.query_one("#pin", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        officer_id = self.query_one("#officer-id", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not officer_id:
            self.query_one("#sign-in-error", Static).update(_("Choose or type your officer id."))
            self.query_one("#officer-id", Input).focus()
            return

        def job() -> DutyOfficer:
            from posko.tui import data

            return data.sign_in(self.kiosk.runtime, officer_id, pin)

        # Keys typed after Enter wait for the answer: they belong to what comes next.
        self.run_job(job, self.dismiss, failed=self.refused, holding_keys=True)

    def refused(self, error: PoskoError) -> None:
        self.query_one("#sign-in-error", Static).update(error_text(error))
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)


class OverrideScreen(KioskDialog[bool]):
    """A coordinator admits an officer who is not on today's roster, with a reason."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without an override")
    ]

    def __init__(self) -> None:
        super().__init__(id="override")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Duty override for today's session"), classes="dialog-title")
            yield Label(_("Officer to admit (id)"))
            yield Input(id="override-officer", compact=True)
            yield Label(_("Reason (goes to the audit log)"))
            yield Input(id="override-reason", max_length=500, compact=True)
            yield Label(_("Coordinator id"))
            yield Input(id="override-coordinator", compact=True)
            yield Label(_("Coordinator PIN"))
            yield Input(password=True, id="override-pin", max_length=12, compact=True)
            yield Static("", id="override-error", classes="error-text")
        yield KeyBar()

    @on(Input.Submitted)
    def enter(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the PIN it grants."""
        if event.input.id != "override-pin":
            self.focus_next()
        else:
            self.grant()

    def grant(self) -> None:
        values = {
            name: self.query_one(f"#override-{name}", Input).value
            for name in ("officer", "reason", "coordinator", "pin")
        }

        def job() -> object:
            from posko.tui import data

            return data.grant_override(
                self.kiosk.runtime,
                officer_id=values["officer"],
                coordinator_id=values["coordinator"],
                pin=values["pin"],
                reason=values["reason"],
            )

        def done(_result: object) -> None:
            self.kiosk.notify(
                _("{officer} may take complaints in today's session.", officer=values["officer"])
            )
            self.dismiss(True)

        def refused(error: PoskoError) -> None:
            self.query_one("#override-error", Static).update(error_text(error))

        self.run_job(job, done, failed=refused)

    def action_cancel(self) -> None:
        self.dismiss(False)
