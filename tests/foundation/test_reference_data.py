"""The project's own reference data, checked against the official codes."""

from __future__ import annotations

import csv
from pathlib import Path

from posko.config import data_dir
from posko.services import reference

OFFICIAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "wilayah_dki.csv"


def _official() -> dict[str, tuple[str, str, str]]:
    with OFFICIAL.open(encoding="utf-8", newline="") as handle:
        return {
            r["code"]: (r["level"], r["name"], r["parent_code"]) for r in csv.DictReader(handle)
        }


def test_every_shipped_region_matches_the_official_codes_and_names():
    official = _official()
    shipped = reference.read_regions()
    assert shipped, "sample_data/regions.csv is empty"
    for region in shipped:
        assert region.code in official, region.code
        level, name, parent = official[region.code]
        assert (region.level, region.name, region.parent_code or "") == (level, name, parent)


def test_all_kota_and_kecamatan_are_shipped():
    shipped = reference.read_regions()
    levels = [r.level for r in shipped]
    assert levels.count("kota") == 6
    assert levels.count("kecamatan") == 44
    assert levels.count("kelurahan") == 267
    kota = {r.code: r.short_name for r in shipped if r.level == "kota"}
    assert kota["31.71"] == "Jakarta Pusat"  # Kemendagri, not BPS numbering
    assert kota["31.74"] == "Jakarta Selatan"
    assert kota["31.01"] == "Kepulauan Seribu"


def test_categories_cover_what_a_jakarta_desk_sees():
    codes = {c.code for c in reference.read_categories()}
    assert {
        "jalan",
        "banjir",
        "sampah",
        "adminduk",
        "bansos",
        "kesehatan",
        "pendidikan",
        "pertanahan",
        "ketertiban",
        "transportasi",
        "pelayanan",
        "lainnya",
    } <= codes


def test_sample_officers_staff_every_kota_desk():
    officers = reference.read_sample_officers()
    policy = reference.load_policy(data_dir("schedules") / "pendopo.toml")
    regions = {r.code for r in reference.read_regions()}
    assert {o["region"] for o in officers} <= regions
    for desk in policy.desks:
        pool = [o for o in officers if o["region"] == desk.region and o["role"] == "duty"]
        assistants = [o for o in pool if o["rank"] == "asisten"]
        heads = [o for o in pool if o["rank"] == "kepala_bagian"]
        assert len(assistants) == 3, desk.code
        assert heads, desk.code
        assert all(o["title"].startswith("Asisten ") for o in assistants)
        assert all(o["title"].startswith("Kepala Bagian ") for o in heads)
    roles = {o["role"] for o in officers}
    assert {"duty", "coordinator", "regional", "admin"} <= roles
    # Every kota and Kepulauan Seribu has someone to follow complaints up.
    follow_up = {o["region"] for o in officers if o["role"] == "regional"}
    assert {"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"} <= follow_up


def test_officer_titles_carry_the_secretariat():
    """ "Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat", never "Setko"."""
    names = {r.code: r.short_name for r in reference.read_regions() if r.level == "kota"}
    officers = reference.read_sample_officers()
    for officer in officers:
        assert "Setko" not in officer["title"], officer
        if officer["role"] in ("duty", "regional"):
            kind = "Kabupaten" if officer["region"] == "31.01" else "Kota"
            secretariat = f"Sekretariat {kind} Administrasi {names[officer['region']]}"
            assert officer["title"].endswith(secretariat), officer
    titles = {o["id"]: o["title"] for o in officers}
    assert titles["JP-AS1"] == "Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat"
    assert titles["JP-AS2"].startswith("Asisten Perekonomian dan Pembangunan Sekretariat Kota")
    assert titles["JP-AS3"].startswith("Asisten Kesejahteraan Rakyat Sekretariat Kota")
    assert titles["JP-KB1"].startswith("Kepala Bagian Pemerintahan Sekretariat Kota")
