"""Signing in at the desk, and a coordinator's override for one session."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from posko.i18n import _
from posko.tui.app import error_text, translate_bindings

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.views import DutyOfficer
    from posko.tui.app import PoskoApp

BACK = Binding("escape", "dismiss_empty", "Cancel", id="cancel", tooltip="Close without signing in")


class SignInScreen(ModalScreen["DutyOfficer | None"]):
    """Pick yourself from today's roster (or type your id), then your PIN."""

    BINDINGS: ClassVar[list[BindingType]] = [BACK]

    def __init__(self) -> None:
        super().__init__(id="sign-in")
        translate_bindings(self)

    @property
    def kiosk(self) -> PoskoApp:
        return self.app  # type: ignore[return-value]

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
            if status is not None and status.training:
                from posko.services.setup import TRAINING_PIN

                yield Static(
                    _("Training database: every sample officer's PIN is {pin}.", pin=TRAINING_PIN),
                    classes="hint",
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(
            "#officer-pick" if self.query_one(Select)._options else "#officer-id"
        ).focus()

    @on(Select.Changed, "#officer-pick")
    def picked(self, event: Select.Changed) -> None:
        # Fill the id, but leave the focus where the user is: keys typed
        # meanwhile (Tab, the PIN) must not be sent elsewhere behind their back.
        if isinstance(event.value, str):
            self.query_one("#officer-id", Input).value = event.value

    def enter_in(self, field: Input) -> bool:
        """Enter in the id moves to the PIN; Enter in the PIN signs in (see PoskoApp.action_enter).

        The focus moves now, before the keys that follow; the values are read
        once the field has taken the keys typed before Enter (its own queue).
        """
        if field.id == "officer-id":
            self.set_focus(self.query_one("#pin", Input))
        else:
            field.call_later(self.submit)
        return True

    def submit(self) -> None:
        officer_id = self.query_one("#officer-id", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not officer_id:
            self.query_one("#sign-in-error", Static).update(_("Choose or type your officer id."))
            return

        def job() -> DutyOfficer:
            from posko.tui import data

            return data.sign_in(self.kiosk.runtime, officer_id, pin)

        self.kiosk.run_job(job, self.dismiss, failed=self.refused)

    def refused(self, error: PoskoError) -> None:
        self.query_one("#sign-in-error", Static).update(error_text(error))
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)


class OverrideScreen(ModalScreen[bool]):
    """A coordinator admits an officer who is not on today's roster, with a reason."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without an override")
    ]

    def __init__(self) -> None:
        super().__init__(id="override")
        translate_bindings(self)

    @property
    def kiosk(self) -> PoskoApp:
        return self.app  # type: ignore[return-value]

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
        yield Footer(compact=True)

    def enter_in(self, field: Input) -> bool:
        """Enter moves to the next field; in the PIN it grants (see PoskoApp.action_enter)."""
        if field.id != "override-pin":
            self.focus_next()
        else:
            field.call_later(self.grant)
        return True

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

        self.kiosk.run_job(job, done, failed=refused)

    def action_cancel(self) -> None:
        self.dismiss(False)
