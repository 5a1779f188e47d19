"""The `posko` entry: the kiosk's commands open without the command tree, the rest go to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from posko.launch import kiosk_invocation


@pytest.mark.parametrize(
    ("argv", "plan"),
    [
        ([], ({}, None)),
        (["kiosk"], ({}, "kiosk")),
        (["--db", "sqlite:///x.db"], ({"--db": "sqlite:///x.db"}, None)),
        (
            ["--db=sqlite:///x.db", "--lang", "en", "demo"],
            ({"--db": "sqlite:///x.db", "--lang": "en"}, "demo"),
        ),
        (["--now", "2026-12-01T08:15", "kiosk"], ({"--now": "2026-12-01T08:15"}, "kiosk")),
        (["demo", "--fresh"], ({"--fresh": ""}, "demo")),
    ],
)
def test_the_kiosks_own_invocations_take_the_fast_path(argv, plan) -> None:
    assert kiosk_invocation(argv) == plan


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["demo", "--no-ui"],
        ["demo", "--fresh", "--fresh"],
        ["kiosk", "--fresh"],
        ["kiosk", "--help"],
        ["handoff", "close"],
        ["--db"],
        ["--db", "a", "--db", "b"],
        ["kiosk", "demo"],
        ["--verbose"],
    ],
)
def test_everything_else_goes_to_the_full_cli(argv) -> None:
    assert kiosk_invocation(argv) is None


def test_a_bad_language_is_refused_as_the_full_cli_refuses_it(tmp_path) -> None:
    posko = str(Path(sys.executable).with_name("posko"))
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run(
        [posko, "--lang", "xx", "kiosk"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "--lang" in done.stderr and "Traceback" not in done.stderr
