"""Where the complaint happened: kota, kecamatan and kelurahan, picked from the region list.

Picked, never guessed: every kecamatan and kelurahan of the province can be
found by typing, and taking one (Enter, or leaving the field; a match shown
while still typing changes nothing) sets the kota (and kecamatan) it lies in,
so a complaint typed at a Jakarta Pusat desk about Cakung goes to Jakarta
Timur. The options of the chosen kota (kecamatan) come first, so a short
search prefers them. Text that matches no option stays as typed, and the form
refuses to save it (posko.tui.complaint_form).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from posko.i18n import _
from posko.tui.widgets.form_row import field_row
from posko.tui.widgets.picker import Picker

if TYPE_CHECKING:
    from posko.core.regions import Region, RegionIndex

LEVELS = ("kota", "kecamatan", "kelurahan")
LABELS = {"kota": "Kota / kabupaten", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan"}


class LocationPicker(Vertical):
    DEFAULT_CSS = "LocationPicker { height: auto; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.regions: RegionIndex | None = None

    def compose(self) -> ComposeResult:
        for level in LEVELS:
            yield from field_row(
                level, _(LABELS[level]), Picker(id=f"f-{level}", placeholder=_("type to search"))
            )

    def picker(self, level: str) -> Picker:
        return self.query_one(f"#f-{level}", Picker)

    # -- the values ----------------------------------------------------------------

    def codes(self) -> dict[str, str | None]:
        return {level: self.picker(level).code for level in LEVELS}

    def unmatched(self) -> set[str]:
        """The levels whose typed text matches no option."""
        return {level for level in LEVELS if self.picker(level).unmatched}

    def load(self, regions: RegionIndex, kota: str | None) -> None:
        """The region list arrived: offer it, starting at `kota` (the officer's own)."""
        self.regions = regions
        self.picker("kota").set_options(
            (f"{r.short_name} ({r.code})", r.code) for r in regions.of_level("kota")
        )
        self.set_codes(kota, None, None)

    def set_codes(self, kota: str | None, kecamatan: str | None, kelurahan: str | None) -> None:
        self.picker("kota").set_code(kota)
        self._order_options()
        self.picker("kecamatan").set_code(kecamatan)
        self._order_options()
        self.picker("kelurahan").set_code(kelurahan)

    # -- keeping the three consistent --------------------------------------------------

    @on(Input.Changed)
    def _typed(self) -> None:
        """The options below follow the kota and kecamatan as they are typed."""
        self._order_options()

    @on(Picker.Picked)
    def _picked(self, event: Picker.Picked) -> None:
        self.picked(event.picker)

    def picked(self, picker: Picker) -> None:
        """A kecamatan or kelurahan taken (not merely matched while typing) sets the
        levels above it; typed text that matches nothing is never overwritten."""
        code = picker.code
        if self.regions is None or code is None:
            return
        region = self.regions.get(code)
        while region is not None and region.parent_code:
            parent = self.regions.get(region.parent_code)
            if parent is None or parent.level not in LEVELS:
                break
            above = self.picker(parent.level)
            if above.unmatched:
                break
            if above.code != parent.code:
                above.set_code(parent.code)
            region = parent
        self._order_options()

    def _order_options(self) -> None:
        """Kecamatan (kelurahan) of the chosen kota (kecamatan) first, then the rest."""
        regions = self.regions
        if regions is None:
            return
        kota, kecamatan = self.picker("kota").code, self.picker("kecamatan").code
        self.picker("kecamatan").set_options(
            (f"{r.name} ({self._short_name(r.parent_code)})", r.code)
            for r in _first(regions.of_level("kecamatan"), kota)
        )
        self.picker("kelurahan").set_options(
            (f"{r.name} ({self._short_name(r.parent_code)})", r.code)
            for r in _first(regions.of_level("kelurahan"), kecamatan)
        )

    def _short_name(self, code: str | None) -> str:
        region = self.regions.get(code) if self.regions and code else None
        return region.short_name if region is not None else "-"


def _first(regions: list[Region], parent: str | None) -> list[Region]:
    return sorted(regions, key=lambda r: r.parent_code != parent)
