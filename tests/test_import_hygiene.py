"""One direction of dependency, checked the way harlequin does it: import a
layer in a fresh interpreter and look at what came along."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import posko

ROOT = Path(posko.__file__).parent


def _modules(package: str) -> list[str]:
    folder = ROOT / package.removeprefix("posko.").replace(".", "/")
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(folder)])]


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('\\n'.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("layer", ["posko.core", "posko.store", "posko.services", "posko.printing"])
def test_no_layer_below_the_ui_imports_textual(layer):
    assert "textual" not in _imported_after(_modules(layer))


def test_the_core_knows_nothing_of_sql_or_paper():
    loaded = _imported_after(_modules("posko.core"))
    assert not loaded & {
        "sqlalchemy",
        "sqlmodel",
        "reportlab",
        "qrcode",
        "typer",
        "textual",
        "psycopg",
        "starlette",
    }


# What the desk waits for every morning must not wait for these (issue 14):
# the database layer, the paper, the holiday calendar and the command tree.
HEAVY_BEFORE_PAINT = {"sqlmodel", "sqlalchemy", "alembic", "reportlab", "holidays", "typer"}
FIRST_PAINT = """
import sys
from functools import partialmethod

def loaded():
    return {n.split(".")[0] for n in sys.modules} | {n for n in sys.modules if "posko." in n}

import posko.launch
entry = loaded()

from posko.tui import app as kiosk

def painted(self):
    # Textual's Ready: the first frame is on screen; the database comes after.
    print("ENTRY", " ".join(sorted(entry)))
    print("PAINT", " ".join(sorted(loaded())))
    print("SCREEN", type(self.screen).__name__)
    self.exit()

kiosk.PoskoApp.on_ready = painted
kiosk.PoskoApp.run = partialmethod(kiosk.PoskoApp.run, headless=True, size=(100, 30))
sys.argv = ["posko", *sys.argv[1:]]
posko.launch.main()
"""


@pytest.mark.parametrize("argv", [["--db", "{db}"], ["--db", "{db}", "kiosk"], ["demo"]])
def test_the_cli_entry_and_the_kiosks_first_paint_import_nothing_heavy(argv, tmp_path):
    """`posko`, `posko kiosk` and `posko demo`, through the console script's entry."""
    home = tmp_path / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    args = [a.replace("{db}", f"sqlite:///{tmp_path / 'posko.db'}") for a in argv]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = {
        line.split(" ", 1)[0]: line.split(" ", 1)[1]
        for line in done.stdout.splitlines()
        if line.startswith(("ENTRY ", "PAINT ", "SCREEN "))
    }
    assert "PAINT" in lines, done.stdout[-2000:] + done.stderr[-2000:]
    entry, painted = set(lines["ENTRY"].split()), set(lines["PAINT"].split())
    assert not entry & HEAVY_BEFORE_PAINT
    assert not painted & HEAVY_BEFORE_PAINT, painted & HEAVY_BEFORE_PAINT
    assert not {
        m for m in painted if m.startswith(("posko.commands", "posko.store", "posko.services"))
    }
    assert "textual" in painted  # it did paint
    assert lines["SCREEN"] == ("PreparingScreen" if argv == ["demo"] else "HomeScreen")
