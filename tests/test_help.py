"""`posko … --help` reads like a manual: Indonesian by default, types, an example."""

from __future__ import annotations

import inspect
import re

import pytest
import typer

from posko import i18n
from posko.cli import app
from posko.commands import manual
from tests.cli_helpers import posko

COMMANDS = list(manual.walk(typer.main.get_command(app)))


def words(text: str) -> str:
    """The help screen's words, without the boxes and the wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def first_words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p or "posko" for p, _ in COMMANDS])
def test_every_help_is_indonesian_with_types_and_an_example(path, command):
    catalogue = i18n._catalogue("id")
    texts = [inspect.cleandoc(command.help or "")] + [
        p.help for p in command.params if getattr(p, "help", None)
    ]
    missing = [t for t in texts if t and t not in catalogue]
    assert not missing, f"help without an Indonesian translation: {missing}"
    result = posko(*path.split(), "--help")
    assert result.exit_code == 0, result.stderr
    shown = words(result.stdout)
    for text in texts:
        if text:
            assert first_words(catalogue[text]) in shown
    assert not re.search(r"<(str|int|bool|float|Path)>", shown), shown
    assert "Tampilkan pesan ini lalu keluar." in shown
    if manual.takes_input(command):
        assert "Contoh:" in shown, f"`posko {path} --help` shows no example"
        assert re.search(r"\b(TEXT|INTEGER|PATH|FLOAT)\b", shown) or all(
            getattr(p, "is_flag", False) for p in command.params
        )


def test_english_help_when_asked():
    result = posko("--lang", "en", "roster", "swap", "--help")
    shown = words(result.stdout)
    assert "Two officers trade turns" in shown and "Example:" in shown
    assert "Options" in shown and "Opsi" not in shown
    assert "TEXT" in shown


def test_every_example_names_a_real_command():
    paths = {p for p, _ in COMMANDS}
    assert set(manual.EXAMPLES) <= paths
    for path, lines in manual.EXAMPLES.items():
        for line in lines:
            assert "posko " in line and (not path or path in line.replace("  ", " "))
