"""Field-by-field validation of a complaint, with messages that name the field."""

from __future__ import annotations

import string
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posko.core.complaint_input import validate_complaint
from posko.core.errors import ValidationFailed
from posko.core.identity import IdentityError, check_nik, normalize_phone
from posko.core.regions import RegionIndex
from posko.core.text import clean_text, summarize
from posko.core.tracking import ALPHABET, check_symbol, new_code, normalize_code
from posko.services import reference

TODAY = date(2026, 12, 1)
REGIONS = RegionIndex(reference.read_regions())
CATEGORIES = {c.code for c in reference.read_categories()}
PROVINCES = reference.provinces()


def good() -> dict:
    return {
        "reporter": {"name": "Budi Santoso", "nik": "3171010101800001", "phone": "0812-3456-7890"},
        "category": "banjir",
        "description": "Saluran air tersumbat, banjir setiap hujan.",
        "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
    }


def errors_of(data: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failed:
        validate_complaint(
            data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
        )
    return {e.field: e.text() for e in failed.value.errors}


def test_a_good_complaint_is_normalised():
    checked = validate_complaint(
        good(), regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )
    assert checked.reporter.phone == "+6281234567890"
    assert checked.reporter.nik == "3171010101800001"
    assert checked.location.kelurahan == "31.71.01.1002"


def test_each_bad_field_is_named():
    data = good()
    data["reporter"]["nik"] = "317101010180000"  # 15 digits
    data["reporter"]["phone"] = "+1 202 555 0100"
    data["category"] = "ufo"
    data["description"] = "short"
    data["location"] = {"kota": "31.71", "kecamatan": "31.72.01"}
    found = errors_of(data)
    assert set(found) == {
        "reporter.nik",
        "reporter.phone",
        "category",
        "description",
        "location.kecamatan",
    }
    assert "16 digits" in found["reporter.nik"]
    assert "Indonesian" in found["reporter.phone"]


def test_anonymous_stores_no_identity_and_needs_no_contact():
    data = good()
    data["reporter"] = {"anonymous": True, "name": "Should Vanish", "nik": "3171010101800001"}
    checked = validate_complaint(
        data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )
    assert checked.reporter.anonymous
    assert checked.reporter.name is None and checked.reporter.nik is None


def test_a_named_reporter_needs_a_way_to_be_reached():
    data = good()
    del data["reporter"]["phone"]
    assert "reporter.phone" in errors_of(data)
    data["reporter"]["email"] = "budi@example.co.id"
    validate_complaint(
        data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({}, "location.kota"),
        ({"kota": "3171"}, "location.kota"),
        ({"kota": "31.71.01"}, "location.kota"),
        ({"kota": "31.71", "kelurahan": "31.74.07.1001"}, "location.kelurahan"),
        ({"kota": "31.71", "lat": -6.2, "lon": 110.4}, "location.lon"),
        ({"kota": "31.71", "lat": "x", "lon": 106.8}, "location.lat"),
        ({"kota": "31.71", "lat": -6.2}, "location.lat"),
    ],
)
def test_location_must_route_and_be_consistent(location, field):
    data = good()
    data["location"] = location
    assert field in errors_of(data)


def test_kepulauan_seribu_geotag_is_inside_jakarta():
    data = good()
    data["location"] = {"kota": "31.01", "lat": -5.74, "lon": 106.61}
    checked = validate_complaint(
        data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )
    assert checked.location.lat == -5.74


@pytest.mark.parametrize("value", [None, [], "text", 3])
def test_not_an_object_is_refused(value):
    assert errors_of(value) == {"complaint": "must be a JSON object"}


def test_unknown_and_wrongly_typed_fields_are_named():
    data = good()
    data["reporter"]["name"] = {"first": "Budi"}
    data["surprise"] = 1
    data["priority"] = "yes"
    found = errors_of(data)
    assert {"reporter.name", "surprise", "priority"} <= set(found)


@pytest.mark.parametrize(
    ("nik", "ok"),
    [
        ("3171010101800001", True),
        ("3171014101800001", True),  # a woman: day + 40
        ("3171013202800001", False),  # 32 February
        ("3171010101990000", False),  # serial 0000
        ("0071010101800001", False),
        ("31710101018000a1", False),
        ("3171010101300001", True),  # born 1930
        ("3171011512260001", True),  # born 15 December 1926: 99 years old, not unborn
        ("9971010101800001", False),  # no province 99
        ("2071010101800001", False),  # no province 20
        ("9671010101800001", True),  # Papua Barat Daya (2022)
        ("3200010101800001", False),  # kota 00
    ],
)
def test_nik_rules(nik, ok):
    if ok:
        assert check_nik(nik, today=TODAY, provinces=PROVINCES) == nik
    else:
        with pytest.raises(IdentityError):
            check_nik(nik, today=TODAY, provinces=PROVINCES)


def test_phone_numbers_are_stored_in_e164():
    assert normalize_phone("0812 3456 7890") == "+6281234567890"
    assert normalize_phone("+62 812-3456-7890") == "+6281234567890"
    assert normalize_phone("(021) 3822 255") == "+62213822255"
    for bad in ("12345", "+44 20 7946 0958", "08"):
        with pytest.raises(IdentityError):
            normalize_phone(bad)


def test_escape_sequences_and_controls_never_survive():
    hostile = "Budi\x1b[2J\x1b]0;pwned\x07 \u202eSantoso\x00\x9b31m"
    cleaned = clean_text(hostile)
    assert cleaned == "Budi Santoso"
    assert clean_text("baris satu\r\nbaris\tdua", multiline=True) == "baris satu\nbaris dua"


@given(st.text())
def test_cleaned_text_has_no_control_characters(text):
    cleaned = clean_text(text, multiline=True)
    assert "\x1b" not in cleaned and "\x00" not in cleaned and "\x9b" not in cleaned
    assert all(
        ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn") for ch in cleaned
    )


def test_summary_cuts_at_a_word_with_an_ellipsis():
    text = "Jalan berlubang besar di depan sekolah dasar negeri membahayakan anak-anak"
    short = summarize(text, 40)
    assert len(short) <= 40 and short.endswith("…")
    assert text.startswith(short[:-1])
    assert summarize("pendek", 40) == "pendek"


def test_tracking_codes_look_right_and_check_themselves():
    code = new_code("PKB")
    assert len(code) == 13 and code.startswith("PKB-") and code[8] == "-"
    assert normalize_code(code) == code
    assert normalize_code(code.lower().replace("-", " ")) == code


def test_every_single_mistyped_symbol_is_caught():
    code = new_code("PKB")
    symbols = code.replace("PKB-", "").replace("-", "")
    for position in range(len(symbols)):
        for replacement in ALPHABET:
            if replacement == symbols[position]:
                continue
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            assert normalize_code(f"PKB-{typo[:4]}-{typo[4:]}") is None


def test_codes_are_not_sequential():
    codes = {new_code("PKB") for _ in range(2000)}
    assert len(codes) == 2000
    assert check_symbol("0000000") in ALPHABET


@given(st.text(alphabet=string.printable))
def test_normalize_code_never_raises(text):
    result = normalize_code(text)
    assert result is None or len(result) >= 13


def test_a_99_year_old_is_born_in_1926():
    from posko.core.identity import birth_date

    assert birth_date("3171011512260001", today=TODAY) == date(1926, 12, 15)
    assert birth_date("3171010101260001", today=TODAY) == date(2026, 1, 1)
    assert birth_date("3171010212260001", today=TODAY) == date(1926, 12, 2)  # tomorrow, 1926


@pytest.mark.parametrize("province", ["99", "20", "00"])
def test_nik_of_no_province_is_refused_naming_the_field(province):
    data = good()
    data["reporter"]["nik"] = province + "71010101800001"
    found = errors_of(data)
    assert set(found) == {"reporter.nik"}
    assert "province" in found["reporter.nik"]


def test_the_province_list_is_kemendagris_38():
    provinces = reference.provinces()
    assert len(provinces) == 38
    assert provinces["31"] == "Daerah Khusus Ibukota Jakarta"
    assert provinces["96"] == "Papua Barat Daya"
    assert {"11", "19", "21", "36", "51", "65", "76", "82", "91", "95"} <= set(provinces)
    assert not {"10", "20", "30", "37", "39", "77", "83", "97", "99"} & set(provinces)


@pytest.mark.parametrize(
    ("nik", "names"),
    [
        ("3176010101800001", "31.76"),  # no kota 76 in Jakarta
        ("3171990101800001", "31.71.99"),  # no kecamatan 99 in Jakarta Pusat
    ],
)
def test_a_jakarta_nik_with_unknown_region_codes_asks_for_confirmation(nik, names):
    data = good()
    data["reporter"]["nik"] = nik
    with pytest.raises(ValidationFailed) as failed:
        validate_complaint(
            data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
        )
    (error,) = failed.value.errors
    assert error.field == "reporter.nik" and error.confirm == "reporter.nik_confirmed"
    assert names in error.text() and "confirm" in error.text()
    data["reporter"]["nik_confirmed"] = True
    checked = validate_complaint(
        data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )
    assert checked.reporter.nik == nik


def test_a_nik_from_another_province_needs_no_confirmation():
    data = good()
    data["reporter"]["nik"] = "3276010101800001"  # Jawa Barat, kota 76 (Depok) is not ours to check
    checked = validate_complaint(
        data, regions=REGIONS, categories=CATEGORIES, provinces=PROVINCES, today=TODAY
    )
    assert checked.reporter.nik == "3276010101800001"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("62 21 3822255", "+62213822255"),  # Jakarta without the plus, not Pematangsiantar
        ("(021) 3822255", "+62213822255"),
        ("021-382-2255", "+62213822255"),
        ("62 812 3456 7890", "+6281234567890"),
        ("(0622) 123456", "+62622123456"),  # Pematangsiantar, written with its trunk 0
    ],
)
def test_phone_numbers_written_with_62_and_no_plus(raw, stored):
    assert normalize_phone(raw) == stored


def test_a_landline_shows_its_area_code_also_masked():
    from posko.printing.content import format_phone
    from posko.printing.masking import mask_phone

    assert format_phone("+62213822255") == "+62 21 3822255"
    assert mask_phone("+62213822255") == "+62 21 ****-255"
    assert format_phone("+6281234567890") == "+62 812-3456-7890"  # mobiles as before
    assert mask_phone("+6281234567890") == "+62 812-****-7890"
