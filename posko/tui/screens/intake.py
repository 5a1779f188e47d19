"""The intake form: a citizen's complaint typed fast, checked as it is typed, saved and printed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Static, TextArea

from posko.core.clock import to_wib
from posko.core.complaint_input import ADDRESS_MAX, NAME_MAX
from posko.i18n import _
from posko.tui import validators
from posko.tui.app import translate_bindings
from posko.tui.format import status_text
from posko.tui.widgets.picker import Picker

if TYPE_CHECKING:
    from posko.core.errors import FieldError, PoskoError
    from posko.services.views import ComplaintView, DutyOfficer
    from posko.tui.app import PoskoApp
    from posko.tui.data import Reference, Saved

# field name -> (path in the service's errors, label msgid)
FIELDS: dict[str, tuple[str, str]] = {
    "queue": ("queue_number", "Queue number"),
    "anonymous": ("reporter.anonymous", "Anonymous"),
    "confidential": ("reporter.confidential", "Confidential"),
    "priority": ("priority", "Priority lane"),
    "name": ("reporter.name", "Name"),
    "nik": ("reporter.nik", "NIK (16 digits)"),
    "phone": ("reporter.phone", "Phone"),
    "email": ("reporter.email", "E-mail"),
    "address": ("reporter.address", "Reporter's address"),
    "contact": ("contact.channel", "Status messages by"),
    "category": ("category", "Category"),
    "description": ("description", "Complaint"),
    "kota": ("location.kota", "Kota / kabupaten"),
    "kecamatan": ("location.kecamatan", "Kecamatan"),
    "kelurahan": ("location.kelurahan", "Kelurahan"),
    "location": ("location.address", "Place"),
}
BY_PATH = {path: name for name, (path, _label) in FIELDS.items()}
IDENTITY = ("name", "nik", "phone", "email", "address")
PICKERS = ("category", "kota", "kecamatan", "kelurahan")  # type to search
# The channels a citizen may consent to status messages by; empty: no consent.
CONTACT_OPTIONS = (("SMS", "sms"), ("WhatsApp (WA)", "whatsapp"), ("E-mail", "email"))
SIMILAR_DELAY = 0.6  # seconds of quiet typing before the similar-complaint check


class IntakeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "Save", id="intake_save", tooltip="Save and print the slip"),
        Binding("ctrl+s", "save", "Save", id="intake_save_ctrl", show=False, tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="intake_cancel", tooltip="Discard this form"),
    ]

    def __init__(self, officer: DutyOfficer, queue_number: int | None) -> None:
        super().__init__(id="intake")
        translate_bindings(self)
        self.officer = officer
        self.queue_number = queue_number
        self._filling = True  # programmatic changes: no draft writes, no look-ups
        self._kecamatan_of: str | None = None  # the kota the kecamatan options belong to
        self._kelurahan_of: str | None = None
        self._similar_timer: Timer | None = None
        self._saving = False

    @property
    def kiosk(self) -> PoskoApp:
        return self.app  # type: ignore[return-value]

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from posko.services.reference import provinces

        today = to_wib(self.kiosk.runtime.clock.now()).date()
        yield Static(
            _("New complaint — {name} ({desk})", name=self.officer.name, desk=self.officer.desk),
            id="intake-title",
        )
        with Horizontal(id="intake-body"):
            with VerticalScroll(id="form"):
                yield from self._field(
                    "queue",
                    Input(id="f-queue", validators=[validators.QueueNumber()], max_length=4),
                )
                with Horizontal(classes="switches"):
                    for name in ("anonymous", "confidential", "priority"):
                        yield Checkbox(_(FIELDS[name][1]), id=f"f-{name}", compact=True)
                with Vertical(id="identity"):
                    yield from self._field("name", Input(id="f-name", max_length=NAME_MAX))
                    yield from self._field(
                        "nik",
                        Input(
                            id="f-nik",
                            max_length=20,
                            validators=[validators.nik_rule(today, provinces())],
                        ),
                    )
                    yield from self._field(
                        "phone",
                        Input(id="f-phone", max_length=20, validators=[validators.phone_rule()]),
                    )
                    yield from self._field(
                        "email",
                        Input(id="f-email", max_length=254, validators=[validators.email_rule()]),
                    )
                    yield from self._field("address", Input(id="f-address", max_length=ADDRESS_MAX))
                    yield from self._field(
                        "contact",
                        Picker(
                            CONTACT_OPTIONS, id="f-contact", placeholder=_("empty: no messages")
                        ),
                    )
                yield from self._field("category", self._picker("category"))
                yield from self._field(
                    "description",
                    TextArea(id="f-description", soft_wrap=True, tab_behavior="focus"),
                )
                for name in ("kota", "kecamatan", "kelurahan"):
                    yield from self._field(name, self._picker(name))
                yield from self._field("location", Input(id="f-location", max_length=ADDRESS_MAX))
            with Vertical(id="intake-side"):
                yield Static(id="history-box", classes="panel")
                yield Static(id="warning-similar", classes="panel warning")
        yield Footer(compact=True)

    def _picker(self, name: str) -> Picker:
        return Picker(id=f"f-{name}", placeholder=_("type to search"))

    def _field(self, name: str, widget: Widget) -> ComposeResult:
        """One row: the label, the compact widget, and its error line (shown when set)."""
        if isinstance(widget, Input):
            widget.compact = True  # one line a field: the whole form fits 80x24 with a scroll
        with Horizontal(classes="row"):
            yield Label(_(FIELDS[name][1]), classes="field")
            yield widget
        error = Static("", id=f"e-{name}", classes="field-error")
        error.display = False
        yield error

    def _error(self, name: str, message: str) -> None:
        for error in self.query(f"#e-{name}").results(Static):  # the switches have none
            error.update(message)
            error.display = bool(message)

    def on_mount(self) -> None:
        self.query_one("#history-box").border_title = _("Earlier complaints of this citizen")
        self.query_one("#history-box", Static).update(_("Type a NIK or phone number to see them."))
        self.query_one("#warning-similar").border_title = _("Similar recent complaints")
        self.query_one("#warning-similar").display = False
        if self.queue_number is not None:
            self.query_one("#f-queue", Input).value = str(self.queue_number)
        self.kiosk.with_reference(self._reference_loaded)

    def _reference_loaded(self, reference: Reference) -> None:
        from posko import i18n

        english = i18n.language() == "en"
        self.query_one("#f-category", Picker).set_options(
            (info.name_en if english else info.name_id, code)
            for code, info in reference.categories.items()
        )
        self.query_one("#f-kota", Picker).set_options(
            (f"{r.short_name} ({r.code})", r.code) for r in reference.regions.of_level("kota")
        )
        self._set_select("kota", self.officer.region)
        self._narrow(self.officer.region, None, None)
        self.query_one("#f-queue" if self.queue_number is None else "#f-anonymous").focus()
        loaded = self.kiosk.draft.load()
        if loaded is None:
            self.call_after_refresh(self._done_filling)
            return
        saved_at, fields = loaded
        from posko.tui.widgets.confirm import ConfirmScreen

        def answer(restore: bool | None) -> None:
            if restore:
                self.fill(fields)
            else:
                self.kiosk.draft.clear()
            self.call_after_refresh(self._done_filling)

        self.kiosk.push_screen(
            ConfirmScreen(
                _(
                    "A complaint typed at {time} was not saved (the kiosk was closed). Restore it?",
                    time=to_wib(saved_at).strftime("%d-%m-%Y %H:%M"),
                ),
                yes=_("Restore"),
                no=_("Discard"),
            ),
            answer,
        )

    def _done_filling(self) -> None:
        self._filling = False

    # -- the form's values -----------------------------------------------------------

    def _set_select(self, name: str, value: str | None) -> None:
        self.query_one(f"#f-{name}", Picker).set_code(value)  # blank if not an option

    def _select(self, name: str) -> str | None:
        return self.query_one(f"#f-{name}", Picker).code

    def _text(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def _switch(self, name: str) -> bool:
        return self.query_one(f"#f-{name}", Checkbox).value

    def fields(self) -> dict[str, Any]:
        """Everything typed, as the draft keeps it."""
        # The options follow the kota and kecamatan as typed now, even if their
        # change messages are still on their way here (a burst of keys).
        self._narrow(self._select("kota"), None, None)
        values: dict[str, Any] = {
            name: self._text(name) for name in ("queue", *IDENTITY, "location")
        }
        values.update({name: self._select(name) for name in PICKERS})
        values["contact"] = self._select("contact")
        values.update(
            {name: self._switch(name) for name in ("anonymous", "confidential", "priority")}
        )
        values["description"] = self.query_one("#f-description", TextArea).text
        return values

    def fill(self, values: dict[str, Any]) -> None:
        for name in ("queue", *IDENTITY, "location"):
            if isinstance(values.get(name), str):
                self.query_one(f"#f-{name}", Input).value = values[name]
        for name in ("anonymous", "confidential", "priority"):
            self.query_one(f"#f-{name}", Checkbox).value = bool(values.get(name))
        if isinstance(values.get("description"), str):
            self.query_one("#f-description", TextArea).text = values["description"]
        self._set_select("category", values.get("category"))
        self._set_select("contact", values.get("contact"))
        kota, kecamatan = values.get("kota"), values.get("kecamatan")
        self._set_select("kota", kota)
        self._narrow(kota, kecamatan, values.get("kelurahan"))

    def complaint_data(self) -> dict[str, Any]:
        """The service's input document; empty fields are left out."""
        values = self.fields()

        def given(name: str) -> str | None:
            return values[name] or None

        reporter: dict[str, Any] = {
            "anonymous": values["anonymous"],
            "confidential": values["confidential"],
        }
        if not values["anonymous"]:
            reporter.update({name: given(name) for name in IDENTITY if given(name)})
        location = {
            key: values[name]
            for key, name in (
                ("kota", "kota"),
                ("kecamatan", "kecamatan"),
                ("kelurahan", "kelurahan"),
                ("address", "location"),
            )
            if values[name]
        }
        data = {
            "reporter": reporter,
            "category": values["category"] or "",
            "description": values["description"],
            "location": location,
            "priority": values["priority"],
        }
        if values["contact"] and not values["anonymous"]:
            data["contact"] = {"consent": True, "channel": values["contact"]}
        return data

    # -- reacting to typing ----------------------------------------------------------

    def _changed(self) -> None:
        if not self._filling:
            self.kiosk.draft.save(self.fields())

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if isinstance(event.input, Picker):
            self._picked(name, event.input)
            return
        result = event.validation_result
        if result is not None and not result.is_valid and event.value.strip():
            self._error(name, result.failure_descriptions[0])
        else:
            self._error(name, "")
        self._changed()
        if name in ("nik", "phone") and (result is None or result.is_valid):
            self._look_up_reporter()

    def enter_in(self, field: Input) -> bool:
        """Enter moves to the next field; in the last one it saves (see PoskoApp.action_enter).

        The focus moves now, before the keys that follow; saving waits until the
        field has taken the keys typed before Enter (its own queue).
        """
        if field.id == "f-location":
            field.call_later(self.action_save)
        else:
            self.focus_next()  # a picker writes its match out in full as it loses the focus
        return True

    @on(Checkbox.Changed)
    def switch_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "f-anonymous":
            self.query_one("#identity").display = not event.value
        self._changed()

    @on(TextArea.Changed)
    def description_changed(self, event: TextArea.Changed) -> None:
        problem = validators.description_problem(event.text_area.text)
        shown = problem if event.text_area.text.strip() else None
        self._error("description", shown or "")
        self._changed()
        self._schedule_similar()

    def _picked(self, name: str, picker: Picker) -> None:
        unknown = bool(picker.value.strip()) and picker.code is None
        self._error(name, _("not in the list") if unknown else "")
        if name in ("kota", "kecamatan"):  # never rewrite the field being typed in
            self._narrow(self._select("kota"), None, None)
        if name in ("kecamatan", "kelurahan"):
            self._schedule_similar()
        self._changed()

    def _narrow(self, kota: str | None, kecamatan: str | None, kelurahan: str | None) -> None:
        """Kecamatan options follow the kota, kelurahan options follow the kecamatan."""
        regions = self.kiosk.reference.regions if self.kiosk.reference else None
        if regions is None:
            return
        if kota != self._kecamatan_of:
            self._kecamatan_of = kota
            self.query_one("#f-kecamatan", Picker).set_options(
                (r.name, r.code) for r in (regions.children(kota) if kota else [])
            )
        if kecamatan is not None:
            self._set_select("kecamatan", kecamatan)
        parent = kecamatan or self._select("kecamatan")
        if parent != self._kelurahan_of:
            self._kelurahan_of = parent
            self.query_one("#f-kelurahan", Picker).set_options(
                (r.name, r.code) for r in (regions.children(parent) if parent else [])
            )
        if kelurahan is not None:
            self._set_select("kelurahan", kelurahan)

    def _look_up_reporter(self) -> None:
        if self._filling:
            return
        nik = self._valid("nik")
        phone = self._valid("phone")
        if nik is None and phone is None:
            return

        officer_id = self.officer.id

        def job() -> list[ComplaintView]:
            from posko.core.identity import normalize_phone
            from posko.tui import data

            return data.reporter_history(
                self.kiosk.runtime,
                officer_id,
                "".join(nik.split()) if nik else None,
                normalize_phone(phone) if phone else None,
            )

        self.kiosk.run_job(job, self._show_history, group="reporter")

    def _valid(self, name: str) -> str | None:
        widget = self.query_one(f"#f-{name}", Input)
        value = widget.value.strip()
        if not value:
            return None
        result = widget.validate(value)
        return value if result is None or result.is_valid else None

    def _show_history(self, found: list[ComplaintView]) -> None:
        if self not in self.app.screen_stack:  # saved or cancelled while the look-up ran
            return
        from posko.commands.base import safe
        from posko.core.text import summarize

        box = self.query_one("#history-box", Static)
        if not found:
            box.update(_("No earlier complaints."))
            return
        text = Text()
        for view in found:
            text.append(f"{view.code}  {to_wib(view.created_at):%d-%m-%Y}\n", style="bold")
            text.append(f"{status_text(view.status)}\n{summarize(safe(view.description), 60)}\n")
        box.update(text)

    def _schedule_similar(self) -> None:
        if self._filling:
            return
        if self._similar_timer is not None:
            self._similar_timer.stop()
        self._similar_timer = self.set_timer(SIMILAR_DELAY, self._check_similar)

    def _check_similar(self) -> None:
        description = self.query_one("#f-description", TextArea).text
        kelurahan, kecamatan = self._select("kelurahan"), self._select("kecamatan")
        if validators.description_problem(description) or not (kelurahan or kecamatan):
            return

        def job() -> list[tuple[ComplaintView, float]]:
            from posko.tui import data

            return data.similar(self.kiosk.runtime, description, kelurahan, kecamatan)

        self.kiosk.run_job(job, self._show_similar, group="similar")

    def _show_similar(self, found: list[tuple[ComplaintView, float]]) -> None:
        if self not in self.app.screen_stack:  # saved or cancelled while the look-up ran
            return
        from posko.commands.base import safe
        from posko.core.text import summarize

        box = self.query_one("#warning-similar", Static)
        box.display = bool(found)
        if not found:
            return
        text = Text(_("Maybe already reported here in the last 14 days:") + "\n")
        for view, score in found:
            text.append(
                f"{view.code} ({score:.0f}%) {to_wib(view.created_at):%d-%m}\n", style="bold"
            )
            text.append(summarize(safe(view.description), 60) + "\n")
        box.update(text)

    # -- save and cancel ------------------------------------------------------------

    def action_save(self, confirmed: tuple[str, ...] = ()) -> None:
        """Save; `confirmed` holds the input keys of doubts the officer has confirmed."""
        if self._saving:
            return
        queue_text = self._text("queue")
        if queue_text and not queue_text.isdigit():
            self._error("queue", _("must be a whole number"))
            self.query_one("#f-queue").focus()
            return
        for name in FIELDS:
            self._error(name, "")
        data = self.complaint_data()
        for key in confirmed:  # "reporter.nik_confirmed"
            section, _dot, name = key.partition(".")
            data.setdefault(section, {})[name] = True
        officer_id = self.officer.id
        queue_number = int(queue_text) if queue_text else None
        self._saving = True
        self.notify(_("Saving…"), timeout=2)

        def job() -> Saved:
            from posko.tui import data as kiosk_data

            return kiosk_data.save_complaint(self.kiosk.runtime, officer_id, data, queue_number)

        self.kiosk.run_job(job, self._saved, failed=self._refused, group="save")

    def _saved(self, saved: Saved) -> None:
        from posko.tui.screens.saved import SavedScreen

        self._saving = False
        self.kiosk.draft.clear()
        self.kiosk.called_number = None
        self.kiosk.refresh_status()
        self.kiosk.switch_screen(SavedScreen(saved))

    def _refused(self, error: PoskoError) -> None:
        from posko.commands.base import translated
        from posko.core.errors import ValidationFailed

        self._saving = False
        if not isinstance(error, ValidationFailed):
            self.kiosk.show_error(error)
            return
        bad: list[str] = []
        for field_error in error.errors:
            name = BY_PATH.get(field_error.field)
            if name is not None:
                self._error(name, translated(field_error.message, field_error.params))
                bad.append(name)
        doubts = [e for e in error.errors if e.confirm]
        if doubts and len(doubts) == len(error.errors):
            self._confirm(doubts)
            return
        labels = ", ".join(_(FIELDS[name][1]) for name in bad) or error.message
        self.notify(
            f"{_('The complaint was not saved. Please correct:')} {labels}",
            severity="error",
            timeout=8,
        )
        if bad:
            self.query_one(f"#f-{bad[0]}").focus()

    def _confirm(self, doubts: list[FieldError]) -> None:
        """Only doubts left (a Jakarta NIK with an unknown kota): the officer checks
        the ID card and saves as typed, or goes back to the field."""
        from posko.commands.base import translated
        from posko.tui.widgets.confirm import ConfirmScreen

        question = "\n".join(translated(e.message, e.params) for e in doubts)
        keys = tuple(e.confirm for e in doubts if e.confirm)

        def answer(keep: bool | None) -> None:
            if keep:
                self.action_save(confirmed=keys)
            else:
                name = BY_PATH.get(doubts[0].field)
                if name is not None:
                    self.query_one(f"#f-{name}").focus()

        self.kiosk.push_screen(
            ConfirmScreen(
                question + "\n\n" + _("Save it as typed?"),
                yes=_("Save as typed"),
                no=_("Correct it"),
            ),
            answer,
        )

    def action_cancel(self) -> None:
        from posko.tui.widgets.confirm import ConfirmScreen

        values = self.fields()
        typed = any(values[name] for name in (*IDENTITY, "description", "location", "category"))
        if not typed:
            self.kiosk.draft.clear()
            self.dismiss()
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.kiosk.draft.clear()
                self.dismiss()

        self.kiosk.push_screen(
            ConfirmScreen(_("Discard this complaint? What was typed will be lost.")), answer
        )
