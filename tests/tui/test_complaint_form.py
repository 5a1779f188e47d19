"""The form-to-service mapping, without Textual: what is sent, and what is refused where."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from posko.core.complaint_input import validate_complaint
from posko.core.regions import Region, RegionIndex
from posko.services import reference
from posko.tui.complaint_form import (
    BY_PATH,
    IDENTITY,
    FormValues,
    check,
    queue_number,
    service_input,
)

TODAY = date(2026, 12, 1)
PROVINCES = reference.provinces()
REGIONS = RegionIndex(
    [
        Region("31", "provinsi", "DKI Jakarta", None),
        Region("31.71", "kota", "Kota Administrasi Jakarta Pusat", "31"),
        Region("31.75", "kota", "Kota Administrasi Jakarta Timur", "31"),
        Region("31.71.01", "kecamatan", "Gambir", "31.71"),
        Region("31.75.06", "kecamatan", "Cakung", "31.75"),
        Region("31.75.06.1005", "kelurahan", "Pulo Gebang", "31.75.06"),
    ]
)
FULL = FormValues(
    queue="3",
    confidential=True,
    priority=True,
    name=" Sri Wahyuni ",
    nik="3171014501850002",
    phone="081234567890",
    email="sri@example.id",
    address="Jl Melati 1",
    category="banjir",
    description="Saluran air di depan pasar tersumbat",
    kota="31.75",
    kecamatan="31.75.06",
    kelurahan="31.75.06.1005",
    location="Jl Raya Bekasi",
)


def rules(values: FormValues):
    return check(values, regions=REGIONS, categories={"banjir"}, provinces=PROVINCES, today=TODAY)


def paths(document: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in document.items():
        if isinstance(value, dict):
            found |= paths(value, f"{prefix}{key}.")
        else:
            found.add(f"{prefix}{key}")
    return found


def test_a_whole_form_is_sent_as_shown_and_every_path_has_a_field() -> None:
    data = service_input(FULL)
    assert data["reporter"]["name"] == "Sri Wahyuni"
    assert data["location"] == {
        "kota": "31.75",
        "kecamatan": "31.75.06",
        "kelurahan": "31.75.06.1005",
        "address": "Jl Raya Bekasi",
    }
    assert (data["priority"], data["reporter"]["confidential"]) == (True, True)
    # An error on any path the form sends is shown at a field of the form.
    assert paths(data) <= set(BY_PATH)
    assert queue_number(FULL) == 3
    assert rules(FULL) == []
    checked = validate_complaint(
        data, regions=REGIONS, categories={"banjir"}, provinces=PROVINCES, today=TODAY
    )
    assert checked.location.kota == "31.75"


def test_an_anonymous_reporter_sends_no_identity_whatever_was_typed() -> None:
    data = service_input(replace(FULL, anonymous=True))
    assert not set(IDENTITY) & set(data["reporter"])


def test_unmatched_picker_text_and_a_bad_queue_number_are_refused_at_their_fields() -> None:
    values = replace(FULL, queue="3a", kecamatan=None, unmatched=frozenset({"kecamatan"}))
    problems = rules(values)
    assert [(p.field, p.message) for p in problems] == [
        ("queue", "must be a whole number"),
        ("kecamatan", "not in the list; choose one of its options"),
    ]


def test_a_kecamatan_outside_its_kota_is_the_services_refusal_at_the_kecamatan() -> None:
    problems = rules(replace(FULL, kota="31.71", kelurahan=None))
    assert [(p.field, p.message) for p in problems] == [
        ("kecamatan", "{value} does not lie in {kota}")
    ]


def test_a_draft_with_foreign_values_is_read_safely() -> None:
    values = FormValues.from_draft({"name": 5, "anonymous": "yes", "kota": "31.71", "x": 1})
    assert (values.name, values.anonymous, values.kota) == ("", True, "31.71")
    assert FormValues.from_draft(FULL.as_draft()) == FULL


def test_a_jakarta_nik_with_an_unknown_kota_is_a_doubt_the_officer_may_confirm():
    """3176… names no kota: the form asks (a Problem carrying its confirm key), and once
    the officer confirms, the check passes and the service gets the confirmation."""
    doubtful = replace(FULL, nik="3176014501850002")
    problems = rules(doubtful)
    assert [(p.field, p.confirm) for p in problems] == [("nik", "reporter.nik_confirmed")]
    assert problems[0].params["code"] == "31.76"
    confirmed = ("reporter.nik_confirmed",)
    assert (
        check(
            doubtful,
            regions=REGIONS,
            categories={"banjir"},
            provinces=PROVINCES,
            today=TODAY,
            confirmed=confirmed,
        )
        == []
    )
    assert service_input(doubtful, confirmed)["reporter"]["nik_confirmed"] is True
    assert "nik_confirmed" not in service_input(doubtful)["reporter"]


def test_a_nik_of_no_province_is_refused_not_asked():
    problems = rules(replace(FULL, nik="9971014501850002"))
    assert [(p.field, p.confirm) for p in problems] == [("nik", None)]
