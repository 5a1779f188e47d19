"""The intake form: a citizen's complaint typed fast, checked as it is typed, saved and printed.

The parts: the location picker (posko/tui/widgets/location.py), the reporter's
history panel (widgets/history.py), and the pure mapping from the form to the
service's input, checked by the service's own rules (posko/tui/complaint_form.py).
Nothing is saved, and "Saving…" is not said, until that check passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Static, TextArea

from posko.core.clock import to_wib
from posko.core.complaint_input import ADDRESS_MAX, NAME_MAX, description_problem
from posko.core.errors import FieldRefused, ValidationFailed
from posko.i18n import _, safe, sentence, translated
from posko.tui import validators
from posko.tui.complaint_form import (
    CONTACT_OPTIONS,
    FIELDS,
    SWITCHES,
    TEXTS,
    FormValues,
    Problem,
    check,
    problems_of,
    queue_number,
    service_input,
)
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.form_row import field_row
from posko.tui.widgets.history import ReporterHistory
from posko.tui.widgets.keybar import KeyBar
from posko.tui.widgets.location import LocationPicker
from posko.tui.widgets.picker import Picker

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.views import ComplaintView, DutyOfficer
    from posko.tui.data import Reference, Saved

SIMILAR_DELAY = 0.6  # seconds of quiet typing before the similar-complaint check


class IntakeScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "Save", id="intake_save", tooltip="Save and print the slip"),
        Binding("ctrl+s", "save", "Save", id="intake_save_ctrl", show=False, tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="intake_cancel", tooltip="Discard this form"),
    ]

    def __init__(self, officer: DutyOfficer, queue_number: int | None) -> None:
        # Keys wait until the region list has arrived and the focus is where it belongs.
        super().__init__(id="intake", hold=True)
        self.officer = officer
        self.queue_number = queue_number
        self._filling = True  # programmatic changes: no draft writes, no look-ups
        self._similar_timer: Timer | None = None

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from posko.tui import data

        today = to_wib(self.kiosk.runtime.clock.now()).date()

        def row(name: str, widget: Input | TextArea | Picker) -> ComposeResult:
            return field_row(name, _(FIELDS[name][1]), widget)

        yield Static(
            _("New complaint — {name} ({desk})", name=self.officer.name, desk=self.officer.desk),
            id="intake-title",
        )
        with Horizontal(id="intake-body"):
            with VerticalScroll(id="form"):
                yield from row(
                    "queue",
                    Input(id="f-queue", validators=[validators.QueueNumber()], max_length=4),
                )
                with Horizontal(classes="switches"):
                    for name in SWITCHES:
                        yield Checkbox(_(FIELDS[name][1]), id=f"f-{name}", compact=True)
                with Vertical(id="identity"):
                    yield from row("name", Input(id="f-name", max_length=NAME_MAX))
                    yield from row(
                        "nik",
                        Input(
                            id="f-nik",
                            max_length=20,
                            validators=[validators.nik_rule(today, data.provinces())],
                        ),
                    )
                    yield from row(
                        "phone",
                        Input(id="f-phone", max_length=20, validators=[validators.phone_rule()]),
                    )
                    yield from row(
                        "email",
                        Input(id="f-email", max_length=254, validators=[validators.email_rule()]),
                    )
                    yield from row("address", Input(id="f-address", max_length=ADDRESS_MAX))
                    yield from row(
                        "contact",
                        Picker(
                            CONTACT_OPTIONS, id="f-contact", placeholder=_("empty: no messages")
                        ),
                    )
                yield from row("category", Picker(id="f-category", placeholder=_("type to search")))
                yield from row(
                    "description",
                    TextArea(id="f-description", soft_wrap=True, tab_behavior="focus"),
                )
                yield LocationPicker(id="location-picker")
                yield from row("location", Input(id="f-location", max_length=ADDRESS_MAX))
            with Vertical(id="intake-side"):
                yield ReporterHistory(id="history-box", classes="panel")
                yield Static(id="warning-similar", classes="panel warning")
        yield KeyBar()

    def _error(self, name: str, message: str) -> None:
        for error in self.query(f"#e-{name}").results(Static):  # the switches have none
            error.update(sentence(message))  # alone under its field
            error.display = bool(message)

    def on_mount(self) -> None:
        self.query_one("#warning-similar").border_title = _("Similar recent complaints")
        self.query_one("#warning-similar").display = False
        if self.queue_number is not None:
            self.query_one("#f-queue", Input).value = str(self.queue_number)
        # If the regions cannot be read the error is shown; keys then reach the
        # form (Escape leaves it) instead of waiting for a list that will not come.
        self.kiosk.with_reference(self._reference_loaded, unavailable=self.release_keys)

    def _reference_loaded(self, reference: Reference) -> None:
        from posko import i18n

        english = i18n.language() == "en"
        self.query_one("#f-category", Picker).set_options(
            (info.name_en if english else info.name_id, code)
            for code, info in reference.categories.items()
        )
        self.query_one(LocationPicker).load(reference.regions, self.officer.region)
        self.query_one("#f-queue" if self.queue_number is None else "#f-anonymous").focus()
        loaded = self.kiosk.draft.load()
        if loaded is None:
            self._ready()
            return
        saved_at, fields = loaded
        from posko.tui.widgets.confirm import ConfirmScreen

        def answer(restore: bool | None) -> None:
            if restore:
                self.fill(FormValues.from_draft(fields))
            else:
                self.kiosk.draft.clear()
            self._ready()

        self.app.push_screen(
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

    def _ready(self) -> None:
        def done_filling() -> None:
            self._filling = False

        self.call_after_refresh(done_filling)
        self.release_keys()

    # -- the form's values -----------------------------------------------------------

    def _text(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def values(self) -> FormValues:
        """Everything the form shows now."""
        location = self.query_one(LocationPicker)
        category = self.query_one("#f-category", Picker)
        contact = self.query_one("#f-contact", Picker)
        unmatched = location.unmatched() | {
            name
            for name, picker in (("category", category), ("contact", contact))
            if picker.unmatched
        }
        fields: dict[str, Any] = {name: self._text(name) for name in TEXTS}
        fields |= {name: self.query_one(f"#f-{name}", Checkbox).value for name in SWITCHES}
        fields |= location.codes()
        return FormValues(
            **fields,
            category=category.code,
            contact=contact.code,
            description=self.query_one("#f-description", TextArea).text,
            unmatched=frozenset(unmatched),
        )

    def fill(self, values: FormValues) -> None:
        for name in TEXTS:
            self.query_one(f"#f-{name}", Input).value = getattr(values, name)
        for name in SWITCHES:
            self.query_one(f"#f-{name}", Checkbox).value = getattr(values, name)
        self.query_one("#f-description", TextArea).text = values.description
        self.query_one("#f-category", Picker).set_code(values.category)
        self.query_one("#f-contact", Picker).set_code(values.contact)
        self.query_one(LocationPicker).set_codes(values.kota, values.kecamatan, values.kelurahan)

    # -- reacting to typing ----------------------------------------------------------

    def _changed(self) -> None:
        if not self._filling:
            self.kiosk.draft.save(self.values().as_draft())

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if isinstance(event.input, Picker):
            self._error(
                name,
                _("not in the list; choose one of its options") if event.input.unmatched else "",
            )
            if name in ("kecamatan", "kelurahan"):
                self._schedule_similar()
            self._changed()
            return
        result = event.validation_result
        if result is not None and not result.is_valid and event.value.strip():
            self._error(name, result.failure_descriptions[0])
        else:
            self._error(name, "")
        self._changed()
        if name in ("nik", "phone") and (result is None or result.is_valid):
            self._look_up_reporter()

    @on(Input.Submitted)
    def enter(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last one it saves."""
        if event.input.id == "f-location":
            self.action_save()
        else:
            self.focus_next()  # a picker writes its match out in full as it loses the focus

    @on(Checkbox.Changed)
    def switch_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "f-anonymous":
            self.query_one("#identity").display = not event.value
        self._changed()

    @on(TextArea.Changed)
    def description_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        problem = description_problem(text) if text.strip() else None
        self._error("description", translated(*problem) if problem else "")
        self._changed()
        self._schedule_similar()

    def _look_up_reporter(self) -> None:
        if not self._filling:
            self.query_one(ReporterHistory).look_up(self._valid("nik"), self._valid("phone"))

    def _valid(self, name: str) -> str | None:
        widget = self.query_one(f"#f-{name}", Input)
        value = widget.value.strip()
        if not value:
            return None
        result = widget.validate(value)
        return value if result is None or result.is_valid else None

    def _schedule_similar(self) -> None:
        if self._filling:
            return
        if self._similar_timer is not None:
            self._similar_timer.stop()
        self._similar_timer = self.set_timer(SIMILAR_DELAY, self._check_similar)

    def _check_similar(self) -> None:
        description = self.query_one("#f-description", TextArea).text
        codes = self.query_one(LocationPicker).codes()
        kelurahan, kecamatan = codes["kelurahan"], codes["kecamatan"]
        if description_problem(description) or not (kelurahan or kecamatan):
            return
        runtime = self.kiosk.runtime

        def job() -> list[tuple[ComplaintView, float]]:
            from posko.tui import data

            return data.similar(runtime, description, kelurahan, kecamatan)

        self.run_job(job, self._show_similar, group="similar", exclusive=True)

    def _show_similar(self, found: list[tuple[ComplaintView, float]]) -> None:
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
        """Check the form by the service's rules; save only what passes, as it is shown.

        `confirmed` holds the input keys of doubts the officer has confirmed."""
        reference = self.kiosk.reference
        if reference is None:
            return
        focused = self.focused
        if isinstance(focused, Picker) and focused.accept():  # F10 takes the match, as Tab would
            self.query_one(LocationPicker).picked(focused)
        values = self.values()
        today = to_wib(self.kiosk.runtime.clock.now()).date()
        problems = check(
            values,
            regions=reference.regions,
            categories=set(reference.categories),
            provinces=reference.provinces,
            today=today,
            confirmed=confirmed,
        )
        if self._confirm(problems, confirmed) or self._show_problems(problems):
            return
        data, number = service_input(values, confirmed), queue_number(values)
        officer_id, runtime = self.officer.id, self.kiosk.runtime
        self.notify(_("Saving…"), timeout=2)

        def job() -> Saved:
            from posko.tui import data as kiosk_data

            return kiosk_data.save_complaint(runtime, officer_id, data, number)

        # Keys typed after F10 (a second F10 too) wait for the outcome: they belong
        # to the screen that follows, the saved screen or the form again.
        self.run_job(job, self._saved, failed=self._refused, group="save", holding_keys=True)

    def _show_problems(self, problems: list[Problem]) -> bool:
        """Each problem at its field, the focus on the first; True if there were any."""
        for name in FIELDS:
            self._error(name, "")
        shown = [p for p in problems if p.field in FIELDS]
        for problem in shown:
            self._error(problem.field, translated(problem.message, problem.params))
        if not problems:
            return False
        labels = ", ".join(
            dict.fromkeys(
                _(FIELDS[p.field][1]) if p.field in FIELDS else translated(p.message, p.params)
                for p in problems
            )
        )
        self.notify(
            f"{_('The complaint was not saved. Please correct:')} {labels}",
            severity="error",
            timeout=8,
        )
        if shown:
            self.query_one(f"#f-{shown[0].field}").focus()
        return True

    def _saved(self, saved: Saved) -> None:
        from posko.tui.screens.saved import SavedScreen

        self.kiosk.draft.clear()
        self.kiosk.called_number = None
        self.kiosk.refresh_status()
        self.app.switch_screen(SavedScreen(saved))

    def _refused(self, error: PoskoError) -> None:
        if isinstance(error, ValidationFailed):
            problems = problems_of(error)
            if not self._confirm(problems):
                self._show_problems(problems)
        elif isinstance(error, FieldRefused) and error.field == FIELDS["queue"][0]:
            self._show_problems([Problem("queue", error.message, error.params)])
        else:
            self.kiosk.show_error(error)

    def _confirm(self, problems: list[Problem], confirmed: tuple[str, ...] = ()) -> bool:
        """Only doubts left (a Jakarta NIK with an unknown kota): the officer checks the
        ID card and saves as typed, or goes back to the field. True if asked."""
        from posko.tui.widgets.confirm import ConfirmScreen

        if not problems or any(p.confirm is None for p in problems):
            return False
        question = "\n".join(translated(p.message, p.params) for p in problems)
        keys = (*confirmed, *(p.confirm for p in problems if p.confirm))

        def answer(keep: bool | None) -> None:
            if keep:
                self.action_save(confirmed=keys)
            else:  # the doubt stays at its field, the focus on it
                self._show_problems(problems)

        self.app.push_screen(
            ConfirmScreen(
                question + "\n\n" + _("Save it as typed?"),
                yes=_("Save as typed"),
                no=_("Correct it"),
            ),
            answer,
        )
        return True

    def action_cancel(self) -> None:
        from posko.tui.widgets.confirm import ConfirmScreen

        values = self.values()
        if not (values.typed_anything or values.category):
            self.kiosk.draft.clear()
            self.dismiss()
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.kiosk.draft.clear()
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(_("Discard this complaint? What was typed will be lost.")), answer
        )
