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
