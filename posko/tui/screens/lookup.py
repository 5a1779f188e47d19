"""Finding a complaint: a typed code, a scanned slip, a name or a phone number."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from posko.i18n import _
from posko.tui.format import status_text, when
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.lookup import Found, LookupResult
    from posko.services.views import StatusEventView


class LookupScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "focus_query", "New search", id="lookup_again", tooltip="Search again"),
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the home screen"),
    ]

    def __init__(self) -> None:
        super().__init__(id="lookup")
        self.found: list[Found] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Look up a complaint"), id="intake-title")
        yield Input(
            placeholder=_("Tracking code, scan the slip's QR, name or phone — then Enter"),
            id="lookup-query",
        )
        yield Static("", id="verdict")
        yield OptionList(id="lookup-results")
        with VerticalScroll(id="lookup-detail"):
            yield Static("", id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#lookup-results").display = False
        self.action_focus_query()

    def action_focus_query(self) -> None:
        query = self.query_one("#lookup-query", Input)
        query.focus()
        query.select_all()

    @on(Input.Submitted, "#lookup-query")
    def search(self, event: Input.Submitted) -> None:
        text = event.value
        # A search by name or phone is the signed-in officer's (PIN, audited).
        officer_id = self.kiosk.officer.id if self.kiosk.officer else None

        def job() -> LookupResult:
            from posko.tui import data

            return data.look_up(self.kiosk.runtime, text, officer_id)

        self.run_job(job, self.show_result, failed=self.nothing, group="lookup")

    def nothing(self, error: PoskoError) -> None:
        from posko.i18n import error_text

        self._verdict("", "")
        self.query_one("#lookup-results").display = False
        self.query_one("#detail", Static).update(Text(error_text(error), style="bold"))
        self.action_focus_query()

    def _verdict(self, text: str, kind: str) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(text)
        verdict.set_classes(kind)

    def show_result(self, result: LookupResult) -> None:
        self.found = result.found
        if result.scanned and result.genuine is False:
            self._verdict(
                _("FORGED SLIP: its signature was not made by this Posko. Do not trust it."),
                "forged",
            )
        elif result.scanned:
            self._verdict(_("Genuine slip of this Posko."), "genuine")
        else:
            self._verdict("", "")
        results = self.query_one("#lookup-results", OptionList)
        results.clear_options()
        if not result.found:
            results.display = False
            self.query_one("#detail", Static).update(_("Nothing found."))
            self.action_focus_query()
            return
        results.add_options(
            Option(f"{f.code}  {when(f.created_at)}  {f.reporter or _('anonymous')}", id=f.code)
            for f in result.found
        )
        results.display = len(result.found) > 1
        self.show_detail(result.found[0])
        if len(result.found) > 1:
            results.highlighted = 0
            results.focus()
        else:
            self.action_focus_query()

    @on(OptionList.OptionHighlighted, "#lookup-results")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        found = next((f for f in self.found if f.code == event.option.id), None)
        if found is not None:
            self.show_detail(found)

    def show_detail(self, found: Found) -> None:
        from posko.i18n import safe

        table = Table(box=None, show_header=False, expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        table.add_row(_("Code"), found.code)
        table.add_row(_("Status"), status_text(found.status))
        table.add_row(_("Taken"), when(found.created_at))
        table.add_row(_("Category"), found.category)
        table.add_row(_("Destination office"), found.destination)
        if found.reporter:
            identity = " ".join(part for part in (found.reporter, found.nik, found.phone) if part)
            table.add_row(_("Reporter"), identity)
        else:
            table.add_row(_("Reporter"), _("anonymous"))
        if found.confidential:
            table.add_row("", _("confidential: identity hidden from the office copy"))
        table.add_row(_("Complaint"), safe(found.description))
        self.query_one("#detail", Static).update(table)
        code = found.code

        def job() -> list[StatusEventView]:
            from posko.tui import data

            return data.history(self.kiosk.runtime, code)

        self.run_job(job, lambda events: self._history(table, events), group="history")

    def _history(self, table: Table, events: list[StatusEventView]) -> None:
        from posko.i18n import safe

        lines = Text()
        for event in events:
            lines.append(f"{when(event.at)}  ", style="bold")
            lines.append(f"{status_text(event.status)}  {safe(event.actor)}")
            if event.note:
                lines.append(f" — {safe(event.note)}")
            lines.append("\n")
        table.add_row(_("History"), lines)
        self.query_one("#detail", Static).update(table)
