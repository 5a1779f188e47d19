"""Finding 5 of issue 12: every file Posko writes is 0600 in a 0700 folder,
never written through a symbolic link, never over a file unless asked."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from posko.files import create_private, write_private
from posko.tui.draft import Draft
from tests.access.conftest import Desk
from tests.cli_helpers import posko
from tests.conftest import wib

pytestmark = pytest.mark.db

AFTER = "2026-12-01T09:45:00+07:00"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def writers(desk: Desk, out: Path) -> dict[str, tuple[str, ...]]:
    """Every command that writes a file the user names, with its arguments."""
    return {
        "open311": ("export", "open311", "--out", str(out)),
        "report-pdf": ("report", "--from", "2026-12-01", "--to", "2026-12-31", "--out", str(out)),
        "report-csv": (
            "report",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
            "--format",
            "csv",
            "--out",
            str(out),
        ),
        "roster-ics": (
            "roster",
            "export",
            "--format",
            "ics",
            "--out",
            str(out),
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
        ),
        "roster-pdf": (
            "roster",
            "export",
            "--format",
            "pdf",
            "--out",
            str(out),
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
        ),
        "citizen-slip": ("receipt", desk.open_code, "--out", str(out)),
        "office-copy": (
            "receipt",
            desk.open_code,
            "--copy",
            "office",
            "--officer",
            "JP-AS1",
            "--out",
            str(out),
        ),
        "privacy-export": (
            "privacy",
            "export",
            "--nik",
            "3171014506800002",
            "--officer",
            "PV-ADM",
            "--out",
            str(out),
        ),
    }


KINDS = [
    "open311",
    "report-pdf",
    "report-csv",
    "roster-ics",
    "roster-pdf",
    "citizen-slip",
    "office-copy",
    "privacy-export",
]


@pytest.mark.parametrize("kind", KINDS)
def test_written_file_is_private_and_not_replaced_unless_asked(desk: Desk, kind: str) -> None:
    # "latihan" in the name: a training database's export keeps it as given.
    out = desk.tmp / "new" / "file-latihan.out"
    made = desk.run(*writers(desk, out)[kind], now=AFTER)
    assert made.exit_code == 0, made.stderr
    assert mode(out) == 0o600
    assert mode(out.parent) == 0o700  # a folder Posko made
    first = out.read_bytes()
    out.write_bytes(b"the user's own file")
    again = desk.run(*writers(desk, out)[kind], now=AFTER)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert out.read_bytes() == b"the user's own file"
    if kind == "privacy-export":
        return  # a person's copy is always a new file
    forced = desk.run(*writers(desk, out)[kind], "--force", now=AFTER)
    assert forced.exit_code == 0, forced.stderr
    assert mode(out) == 0o600 and out.read_bytes()[:4] == first[:4]


@pytest.mark.parametrize("kind", KINDS)
def test_a_symbolic_link_at_the_path_is_refused(desk: Desk, kind: str) -> None:
    victim = desk.tmp / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = desk.tmp / "link-latihan.json"  # a name a training export keeps
    link.symlink_to(victim)
    refused = desk.run(*writers(desk, link)[kind], now=AFTER)
    assert refused.exit_code == 2 and "link" in refused.stderr.lower() + "tautan"
    if kind != "privacy-export":
        forced = desk.run(*writers(desk, link)[kind], "--force", now=AFTER)
        assert forced.exit_code == 2
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert link.is_symlink()


def test_a_dangling_link_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "cadangan.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    with pytest.raises(Exception, match="symbolic link"):
        create_private(link)
    with pytest.raises(Exception, match="symbolic link"):
        write_private(link, b"x")
    assert not (tmp_path / "elsewhere.db").exists()


def test_backup_is_private_and_never_through_a_link(desk: Desk) -> None:
    if desk.db.backend != "sqlite":  # type: ignore[attr-defined]
        pytest.skip("PostgreSQL is backed up with pg_dump")
    victim = desk.tmp / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = desk.tmp / "cadangan.db"
    link.symlink_to(victim)
    refused = desk.run("backup", str(link), "--admin", "PV-ADM")
    assert refused.exit_code == 2 and victim.read_text(encoding="utf-8") == "keep me"
    copy = desk.tmp / "new" / "cadangan.db"
    made = desk.run("backup", str(copy), "--admin", "PV-ADM")
    assert made.exit_code == 0, made.stderr
    assert mode(copy) == 0o600 and mode(copy.parent) == 0o700


def test_the_kiosk_draft_is_private_and_never_through_a_link(tmp_path: Path) -> None:
    def now() -> datetime:
        return wib("2026-12-01 08:20")

    path = tmp_path / "data" / "kiosk-draft.json"
    Draft(now, path).save({"name": "Sari Wulandari"})
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    path.unlink()
    path.symlink_to(victim)
    with pytest.raises(Exception, match="symbolic link"):
        Draft(now, path).save({"name": "Sari Wulandari"})
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_the_data_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The default database lives in the user data dir (XDG_DATA_HOME in tests).
    data = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    (data / "posko").mkdir(parents=True, mode=0o755)
    os.chmod(data / "posko", 0o755)  # as an older Posko left it
    made = posko("init", "--training")
    assert made.exit_code == 0, made.stderr
    assert mode(data / "posko") == 0o700
    assert mode(data / "posko" / "posko.db") == 0o600
