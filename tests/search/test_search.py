"""Searching complaints by name, phone, tracking code or words, on both backends."""

from __future__ import annotations

from sqlalchemy import update

from posko.core.clock import FixedClock
from posko.services import intake
from posko.store.db import new_session
from posko.store.models import Complaint
from tests.cli_helpers import posko


def complaint(name: str, phone: str, description: str, category: str = "banjir") -> dict:
    return {
        "reporter": {"name": name, "phone": phone},
        "category": category,
        "description": description,
        "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
    }


def take(db, clock: FixedClock, policy, data: dict) -> str:
    with new_session(db.engine) as session:
        taken = intake.take_complaint(session, clock, policy, officer_id="JP-AS1", data=data)
    clock.advance(seconds=30)
    return taken.complaint.code


PIN = {"POSKO_PIN": "123456"}
OFFICER = ("--officer", "JP-AS1")  # took every complaint here: may see them all


def search(db, query: str) -> list[str]:
    result = posko(
        "complaint", "search", query, "--officer", "JP-AS1", "--json", db_url=db.url, env=PIN
    )
    assert result.exit_code == 0, result.stderr
    return [row["code"] for row in result.json()]


def test_finds_by_name_words_phone_and_code_newest_first(db, clock, policy):
    budi_1 = take(
        db,
        clock,
        policy,
        complaint("Budi Santoso", "081234567890", "Saluran air tersumbat, banjir setiap hujan."),
    )
    siti = take(
        db,
        clock,
        policy,
        complaint("Siti Rahma", "081298765432", "Jalan berlubang di depan sekolah.", "jalan"),
    )
    budi_2 = take(
        db,
        clock,
        policy,
        complaint("Budi Hartono", "081311112222", "Sampah menumpuk di pinggir kali.", "sampah"),
    )

    assert search(db, "budi") == [budi_2, budi_1]  # newest first
    assert search(db, "BUDI santoso") == [budi_1]  # every word, any case
    assert search(db, "banjir hujan") == [budi_1]  # words of the description
    assert search(db, "jalan sekolah") == [siti]
    assert search(db, "0812-9876-5432") == [siti]  # phone as typed locally
    assert search(db, "+6281298765432") == [siti]
    assert search(db, siti.lower().replace("-", " ")) == [siti]  # code, loosely typed
    assert search(db, "kebakaran") == []
    # Words FTS5 would read as operators are plain words here.
    assert search(db, 'budi AND "OR') == []
    # A phrase that happens to read as a valid code is still searched as words.
    assert search(db, "saluran banjir") == [budi_1]


def test_the_index_follows_edits_and_erasure(db, clock, policy):
    code = take(
        db,
        clock,
        policy,
        complaint("Dewi Lestari", "081234567890", "Lampu jalan mati sejak seminggu."),
    )
    with new_session(db.engine) as session:
        session.exec(
            update(Complaint)
            .where(Complaint.code == code)
            .values(reporter_name=None, description="Lampu penerangan padam.")
        )
        session.commit()
    assert search(db, "dewi") == []  # an erased name is no longer found
    assert search(db, "mati") == []
    assert search(db, "penerangan padam") == [code]


def test_returns_the_newest_twenty(db, clock, policy):
    codes = [
        take(db, clock, policy, complaint(f"Warga {i}", "081234567890", "Trotoar rusak."))
        for i in range(23)
    ]
    found = search(db, "trotoar")
    assert found == list(reversed(codes))[:20]


def test_an_empty_query_is_refused_plainly(db):
    result = posko("complaint", "search", " ..  ", *OFFICER, db_url=db.url, env=PIN)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_text_output_lists_codes_or_says_none(db, clock, policy):
    code = take(db, clock, policy, complaint("Agus", "081234567890", "Pohon tumbang."))
    shown = posko("complaint", "search", "pohon", *OFFICER, db_url=db.url, env=PIN)
    assert shown.exit_code == 0 and code in shown.stdout
    none = posko("complaint", "search", "gempa", *OFFICER, db_url=db.url, env=PIN)
    assert none.exit_code == 0 and none.stdout.strip() != ""


def test_newest_twenty_across_the_recent_window(db, clock, policy, monkeypatch):
    # PostgreSQL searches the newest ids first and the older ones after; a tiny
    # window makes both parts answer.
    monkeypatch.setattr("posko.services.search.RECENT_IDS", 5)
    codes = [
        take(db, clock, policy, complaint(f"Warga {i}", "081234567890", "Got meluap."))
        for i in range(12)
    ]
    take(db, clock, policy, complaint("Lain", "081234567890", "Pohon tumbang."))
    take(db, clock, policy, complaint("Lain", "081234567890", "Pohon tumbang."))
    assert search(db, "meluap") == list(reversed(codes))
