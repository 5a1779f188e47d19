"""Published rosters as files, through the real CLI: TOML, ICS and the PDF sheet."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from pypdf import PdfReader

from tests.cli_helpers import posko
from tests.roster.helpers import COORDINATOR, PIN, SESSION_NOW, audit_events, on_duty

DECEMBER = ("--from", "2026-12-01", "--to", "2026-12-31")


def session_block(text: str, day: str) -> str:
    """The [[sessions]] table of one date, as written in the file."""
    start = text.index(f"date = {day}")
    return text[start : text.index("[[sessions]]", start)]


def run(db, *args: str):
    return posko(*args, db_url=db.url, now=SESSION_NOW, env=PIN)


def test_toml_round_trip_is_byte_for_byte(db, tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    assert run(db, "roster", "export", "--format", "toml", "--out", str(first)).exit_code == 0
    imported = run(db, "roster", "import", str(first), "--by", COORDINATOR)
    assert imported.exit_code == 0, imported.stderr
    assert run(db, "roster", "export", "--format", "toml", "--out", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "date = 2026-12-01 # Selasa" in text
    assert 'JP = ["JP-AS1"]' in text


def test_a_hand_edited_file_keeps_its_comments_through_an_app_edit(db, tmp_path):
    path = tmp_path / "desember.toml"
    run(db, "roster", "export", "--format", "toml", "--out", str(path), *DECEMBER)
    text = path.read_text(encoding="utf-8")
    # The coordinator swaps two turns by hand and explains it in a comment.
    text = text.replace('JP = ["JP-AS1"]', 'JP = ["JP-AS2"] # tukar: Budi ke Rabu', 1).replace(
        'JP = ["JP-AS2"]\n', 'JP = ["JP-AS1"]\n', 1
    )
    text = "# Disusun oleh Biro Pemerintahan\n" + text
    path.write_text(text, encoding="utf-8")
    result = run(db, "roster", "import", str(path), "--by", COORDINATOR)
    assert result.exit_code == 0, result.stderr
    assert on_duty(db, date(2026, 12, 1))["JP"] == ["JP-AS2"]
    assert on_duty(db, date(2026, 12, 2))["JP"] == ["JP-AS1"]
    # Then a change through the app, and the same file written again.
    swap = run(
        db,
        "roster",
        "swap",
        "2026-12-03",
        "JU-AS3",
        "2026-12-07",
        "JU-KB1",
        "--by",
        COORDINATOR,
        "--why",
        "rapat",
    )
    assert swap.exit_code == 0, swap.stderr
    run(db, "roster", "export", "--format", "toml", "--out", str(path), *DECEMBER)
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# Disusun oleh Biro Pemerintahan\n")
    assert 'JP = ["JP-AS2"] # tukar: Budi ke Rabu' in after
    # Only the two swapped turns changed; everything else is the file as written.
    expected = text
    for day, old, new in (("2026-12-03", "JU-AS3", "JU-KB1"), ("2026-12-07", "JU-KB1", "JU-AS3")):
        block = session_block(expected, day)
        expected = expected.replace(block, block.replace(f'JU = ["{old}"]', f'JU = ["{new}"]'))
    assert after == expected
    assert [e.action for e in audit_events(db)][-2:] == ["roster.import", "roster.swap"]


def test_check_lists_every_violation_of_a_file_and_exits_1(db, tmp_path):
    path = tmp_path / "bad.toml"
    run(db, "roster", "export", "--format", "toml", "--out", str(path), *DECEMBER)
    text = path.read_text(encoding="utf-8")
    text = text.replace('JP = ["JP-AS1"]', 'JP = ["JU-AS1"]', 1)  # wrong kota, twice on a day
    text = text.replace('JT = ["JT-AS2"]', "JT = []", 1)  # a desk left empty
    path.write_text(text, encoding="utf-8")
    result = run(db, "--lang", "en", "roster", "check", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(
            "Tuesday, 1 December 2026 JP JU-AS1: error: "
            "the officer is from region Jakarta Utara (31.72)"
        )
        for line in lines
    )
    twice = "Tuesday, 1 December 2026 JU-AS1: error: the officer is on duty twice on one day"
    assert twice in lines
    assert "Wednesday, 2 December 2026 JT: error: the desk has 0 of its 1 officers" in lines
    # nothing reached the database, and the import refuses the file as a whole
    refused = run(db, "roster", "import", str(path), "--by", COORDINATOR)
    assert refused.exit_code == 2
    assert on_duty(db, date(2026, 12, 1))["JP"] == ["JP-AS1"]


def test_check_of_the_database_roster_passes(db):
    result = run(db, "roster", "check")
    assert result.exit_code == 0, result.stdout
    assert "2026-12-01" not in result.stdout


def test_ics_events_sit_in_the_session_hours_and_keep_their_uids(db, tmp_path):
    path = tmp_path / "piket.ics"
    assert (
        run(db, "roster", "export", "--format", "ics", "--out", str(path), *DECEMBER).exit_code == 0
    )
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    events = calendar.walk("VEVENT")
    assert events
    jakarta = ZoneInfo("Asia/Jakarta")
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=7)
        local = start.astimezone(jakarta)
        assert local.weekday() < 4
        assert (local.time(), end.astimezone(jakarta).time()) == (time(8), time(9, 30))
    uids = {str(e["uid"]) for e in events}
    assert len(uids) == len(events)
    assert "2026-12-01-jp-jp-as1@posko" in uids
    swap = run(
        db,
        "roster",
        "swap",
        "2026-12-01",
        "JP-AS1",
        "2026-12-02",
        "JP-AS2",
        "--by",
        COORDINATOR,
        "--why",
        "tukar",
    )
    assert swap.exit_code == 0, swap.stderr
    run(db, "roster", "export", "--format", "ics", "--out", str(path), *DECEMBER, "--force")
    again = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    live = {str(e["uid"]) for e in again if e["status"] == "CONFIRMED"}
    cancelled = {str(e["uid"]) for e in again if e["status"] == "CANCELLED"}
    swapped_out = {"2026-12-01-jp-jp-as1@posko", "2026-12-02-jp-jp-as2@posko"}
    swapped_in = {"2026-12-01-jp-jp-as2@posko", "2026-12-02-jp-jp-as1@posko"}
    assert live == (uids - swapped_out) | swapped_in
    assert cancelled == swapped_out


def test_ics_for_one_officer(db, tmp_path):
    path = tmp_path / "budi.ics"
    result = run(
        db, "roster", "export", "--format", "ics", "--out", str(path), "--officer", "JP-AS1"
    )
    assert result.exit_code == 0, result.stderr
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert events and all(str(e["uid"]).endswith("-jp-as1@posko") for e in events)
    assert "Budi Santoso" in str(events[0]["summary"])


def test_pdf_sheet_names_days_and_holidays_in_indonesian(db, tmp_path):
    path = tmp_path / "desember.pdf"
    result = run(db, "roster", "export", "--format", "pdf", "--out", str(path), *DECEMBER)
    assert result.exit_code == 0, result.stderr
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert "Jadwal Piket Desember 2026" in text
    assert "Selasa, 1 Desember" in text
    assert "Budi Santoso" in text and "JP-AS1" not in text  # names, not ids
    assert "LATIHAN" in text  # a training database's sheet
    assert "Meja Jakarta Pusat" in text
    assert "Kamis, 24 Desember" in text and "Cuti Bersama" in text  # a Thursday off
    # Who is who: the titles as the secretariat writes them, on the last page.
    last = " ".join(PdfReader(path).pages[-1].extract_text().split())
    assert "Petugas piket dan jabatannya" in last
    assert "Budi Santoso Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat" in last
    assert "Perekonomian dan Pembangunan Sekretariat Kota Administrasi Jakarta Timur" in last


def test_history_lists_roster_changes(db):
    run(db, "roster", "close", "2026-12-03", "--reason", "Acara kota", "--by", COORDINATOR)
    result = run(db, "roster", "history", "--from", "2026-12-01")
    assert result.exit_code == 0
    line = result.stdout.strip().splitlines()[-1]
    assert "PV-KO2" in line and "roster.close" in line and "Acara kota" in line
    assert run(db, "roster", "history", "--to", "2026-11-30").stdout.strip() != line


def test_import_leaves_past_sessions_alone(db, tmp_path):
    path = tmp_path / "desember.toml"
    run(db, "roster", "export", "--format", "toml", "--out", str(path), *DECEMBER)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('JP = ["JP-AS1"]', 'JP = ["JP-KB1"]', 1), encoding="utf-8")
    later = posko(
        "roster",
        "import",
        str(path),
        "--by",
        COORDINATOR,
        db_url=db.url,
        now="2026-12-08T07:00:00+07:00",
        env=PIN,
    )
    assert later.exit_code == 2
    assert "Selasa, 1 Desember 2026" in later.stderr
    assert on_duty(db, date(2026, 12, 1))["JP"] == ["JP-AS1"]


def test_pdf_keterangan_says_what_changed_and_why(db, tmp_path):
    changes = [
        ("swap", "2026-12-01", "JP-AS1", "2026-12-02", "JP-AS2", "--why", "rapat dinas"),
        ("close", "2026-12-09", "--reason", "acara kota"),
        ("reopen", "2026-12-09", "--why", "acara kota diundur"),
    ]
    for change in changes:
        assert run(db, "roster", *change, "--by", COORDINATOR).exit_code == 0
    (away,) = on_duty(db, date(2026, 12, 7))["JU"]
    absent = run(
        db,
        "roster",
        "absent",
        away,
        "--from",
        "2026-12-07",
        "--to",
        "2026-12-07",
        "--reason",
        "cuti sakit",
        "--by",
        COORDINATOR,
        "--yes",
    )
    assert absent.exit_code == 0, absent.stderr
    fill_in = on_duty(db, date(2026, 12, 7))["JU"][0]
    path = tmp_path / "desember.pdf"
    assert (
        run(db, "roster", "export", "--format", "pdf", "--out", str(path), *DECEMBER).exit_code == 0
    )
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert "Keterangan" in text
    assert "Tukar: Siti Saputra menggantikan Budi Santoso (tukar dengan 2/12) — rapat dinas" in text
    assert "Penutupan dibatalkan, sesi dipulihkan — acara kota diundur" in text
    assert "yang tidak hadir — cuti sakit" in text
    assert fill_in not in text  # the fill-in by name


def test_pdf_keeps_a_month_on_one_page_and_drops_perkiraan(db, tmp_path):
    path = tmp_path / "2027.pdf"
    result = run(
        db,
        "roster",
        "export",
        "--format",
        "pdf",
        "--out",
        str(path),
        "--from",
        "2027-03-01",
        "--to",
        "2027-05-03",
    )
    assert result.exit_code == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(path).pages]
    # March and April a page each; the one trailing day of May rides along with April;
    # then the page of the officers and their titles.
    assert len(pages) == 3
    assert "Jadwal Piket Mei 2027" in pages[1]
    assert "Petugas piket dan jabatannya" in pages[2]
    text = "\n".join(pages)
    assert "Hari Raya Idul Fitri" in text and "perkiraan" not in text


def test_reopen_restores_the_closed_session_and_history_finds_it_by_session_date(db):
    before = on_duty(db, date(2026, 12, 10))
    closed = run(db, "roster", "close", "2026-12-10", "--reason", "Acara kota", "--by", COORDINATOR)
    assert closed.exit_code == 0 and on_duty(db, date(2026, 12, 10)) == {}
    lifted = run(
        db, "roster", "reopen", "2026-12-10", "--why", "acara diundur", "--by", COORDINATOR
    )
    assert lifted.exit_code == 0, lifted.stderr
    assert on_duty(db, date(2026, 12, 10)) == before
    assert [e.action for e in audit_events(db)][-2:] == ["roster.close", "roster.reopen"]
    again = run(db, "roster", "reopen", "2026-12-10", "--why", "lagi", "--by", COORDINATOR)
    assert again.exit_code == 2
    # History by the date of the session, not of the change.
    found = run(
        db, "--lang", "en", "roster", "history", "--from", "2026-12-10", "--to", "2026-12-10"
    )
    actions = [line.split()[4] for line in found.stdout.splitlines()]
    assert [a for a in actions if a != "roster.generate"] == ["roster.close", "roster.reopen"]
    other = run(db, "roster", "history", "--from", "2026-12-14", "--to", "2026-12-20")
    assert "roster.close" not in other.stdout
    since = run(db, "roster", "history", "--changed-since", "2026-12-02")
    assert "roster.close" not in since.stdout
