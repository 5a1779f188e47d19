"""A newcomer's first hour, through the installed `posko` on a fresh HOME."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

POSKO = str(Path(sys.executable).with_name("posko"))


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSKO_", "XDG_"))}
    env["HOME"] = str(home)
    return subprocess.run(
        [POSKO, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def files_under(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()]


def test_a_command_on_no_database_says_how_to_start_and_leaves_no_file(tmp_path):
    result = run(tmp_path, "complaint", "list")
    assert result.returncode == 1
    assert "posko init" in result.stderr and "posko demo" in result.stderr
    assert "Traceback" not in result.stderr
    # No database (nor its folder's worth of files); a translation cache may stay.
    assert [p for p in files_under(tmp_path) if ".cache" not in p.parts] == []


def test_demo_names_its_database_and_a_command_that_works_on_it(tmp_path):
    demo = run(tmp_path, "demo", "--no-ui")
    assert demo.returncode == 0, demo.stderr
    database = next(line for line in demo.stdout.splitlines() if "demo.db" in line)
    assert str(tmp_path) in database
    example = next(
        line.strip() for line in demo.stdout.splitlines() if line.strip().startswith("posko --db")
    )
    args = shlex.split(example)[1:]
    listed = run(tmp_path, *args)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip()  # "Tidak ada pengaduan." or the list
