"""The kiosk saves exactly what the officer sees: location picked, never guessed nor dropped.

Typed as a person types: a burst of keys right after the form opened.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import Complaint
from tests.tui.conftest import burst, keys, settle

pytestmark = pytest.mark.db

HEAD = [
    "tab", "tab", "tab", "tab",  # queue number, anonymous, confidential, priority: to the name
    *keys("Sri Wahyuni"), "enter",
    "enter",  # no NIK
    *keys("081234567890"), "enter",
    "enter", "enter", "enter",  # e-mail, address and status messages left empty
    *keys("banjir"), "enter",
    *keys("Saluran air di depan pasar tersumbat sampah"), "tab",
]  # fmt: skip


def stored(db) -> list[Complaint]:
    with new_session(db.engine) as session:
        return list(session.exec(select(Complaint)).all())


def error_at(screen, name: str) -> str:
    line = screen.query_one(f"#e-{name}")
    return str(line.render()) if line.display else ""


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_form(pilot) -> None:
    await settle(pilot)
    await pilot.press("f2")
    await burst(pilot, "tab", *keys("JP-AS1"), "enter", *keys("123456"), "enter", "f4")


async def test_cakung_typed_at_a_jakarta_pusat_desk_goes_to_jakarta_timur(kiosk, db) -> None:
    """The issue's case: kecamatan Cakung, kelurahan Pulo Gebang, officer of Jakarta Pusat."""
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await burst(
            pilot,
            *HEAD,
            "tab",  # the kota as it stands (the officer's own, Jakarta Pusat)
            *keys("Cakung"), "tab",
            *keys("Pulo Gebang"), "tab",
            *keys("Jl Raya Bekasi"), "enter",
        )  # fmt: skip
        assert kiosk.screen.id == "saved", error_lines(kiosk.screen)
        assert "Jakarta Timur" in str(kiosk.screen.query_one("#saved-detail").render())
    (row,) = stored(db)
    assert (row.kota_code, row.kecamatan_code, row.kelurahan_code) == (
        "31.75",
        "31.75.06",
        "31.75.06.1005",
    )


async def test_a_kecamatan_outside_the_chosen_kota_is_refused_at_the_field(kiosk, db) -> None:
    """Kota chosen after the kecamatan, and not its own: refused inline as the CLI refuses it."""
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await burst(
            pilot,
            *HEAD,
            "tab", *keys("cakung"), "tab",  # kota follows: Jakarta Timur
            "shift+tab", "shift+tab", "ctrl+u", *keys("jakarta pus"), "tab",  # kota set back
            "tab", "tab", *keys("Jl Raya Bekasi"), "f10",
        )  # fmt: skip
        screen = kiosk.screen
        assert screen.id == "intake"
        error = error_at(screen, "kecamatan")  # named, not coded
        assert "Cakung" in error and "tidak terletak di Kota Administrasi Jakarta Pusat" in error
        assert kiosk.focused is screen.query_one("#f-kecamatan")
        assert not any("Menyimpan" in m for m in said(kiosk))
    assert stored(db) == []


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_unmatched_picker_text_blocks_saving_at_the_field(kiosk, db, size) -> None:
    async with kiosk.run_test(size=size) as pilot:
        await open_form(pilot)
        await burst(
            pilot,
            *HEAD,
            "tab", *keys("Atlantis"), "tab",
            *keys("Pulo Gebang"), "tab",
            *keys("Jl Raya Bekasi"), "enter",
        )  # fmt: skip
        screen = kiosk.screen
        assert screen.id == "intake"
        assert "Tidak ada dalam daftar" in error_at(screen, "kecamatan")
        assert screen.query_one("#f-kecamatan").value == "Atlantis"  # never dropped
        assert kiosk.focused is screen.query_one("#f-kecamatan")
        assert kiosk.focused.region.height and screen.query_one("#e-kecamatan").region.height
        assert not any("Menyimpan" in m for m in said(kiosk))
    assert stored(db) == []


def error_lines(screen) -> dict[str, str]:
    return {str(w.id): str(w.render()) for w in screen.query(".field-error") if w.display}


# Every field error the service raises, shown at its field. The form's own check
# is switched off here, so that each of these goes to the service and back.
SERVICE_REFUSALS = [  # (field typed in, keys, field the refusal shows at, words shown)
    ("name", ["end", "ctrl+u"], "name", "wajib diisi kecuali pelapor anonim"),
    ("nik", [*keys("1234")], "nik", "16 digit"),
    ("phone", ["end", "ctrl+u"], "phone", "nomor telepon atau surel"),
    ("email", [*keys("sri@")], "email", "alamat surel tidak sah"),
    ("category", ["end", "ctrl+u"], "category", "wajib diisi"),
    ("description", ["end", "ctrl+u", *keys("pendek")], "description", "minimal 10 karakter"),
    ("kota", ["end", "ctrl+u"], "kota", "wajib diisi untuk meneruskan"),
    # The kota changed after the kecamatan was picked: Gambir is not in Jakarta Timur.
    ("kota", ["end", "ctrl+u", *keys("jakarta tim")], "kecamatan", "Administrasi Jakarta Timur"),
    # The kecamatan changed after the kelurahan: Kebon Kelapa is not in Tanah Abang.
    ("kecamatan", ["end", "ctrl+u", *keys("tanah ab")], "kelurahan", "di Kecamatan Tanah Abang"),
    ("queue", [*keys("77")], "queue", "nomor antrean 77"),
]


@pytest.mark.parametrize(("field", "typed", "at", "shown"), SERVICE_REFUSALS)
async def test_every_refusal_of_the_service_is_shown_at_its_field(
    kiosk, db, monkeypatch, field, typed, at, shown
) -> None:
    """`field` is where the keys go; the refusal shows where the service puts it."""
    from posko.tui.screens import intake

    monkeypatch.setattr(intake, "check", lambda values, **_rules: [])
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await burst(
            pilot,
            *HEAD,
            "tab", *keys("gambir"), "tab", *keys("kebon kel"), "tab",
            *keys("Jl Kebon Kelapa Raya"),
        )  # fmt: skip
        assert "Jakarta Pusat" in kiosk.screen.query_one("#f-kota").value
        kiosk.screen.query_one(f"#f-{field}").focus()
        await pilot.pause()
        await burst(pilot, *typed, "f10")
        screen = kiosk.screen
        assert screen.id == "intake", field
        text = error_at(screen, at)
        assert shown.casefold() in text.casefold(), error_lines(screen)
        assert text[:1].isupper() or not text[:1].isalpha(), text  # alone: a sentence
        assert kiosk.focused is screen.query_one(f"#f-{at}")
    assert stored(db) == []
