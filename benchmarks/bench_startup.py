"""First paint of the real commands, as a person sees it.

The installed `posko` console script runs in a pseudo-terminal (100x30) and
the clock stops when the kiosk's first text is on that terminal; the floor is
a bare Textual app (Header, Label, Footer) started the same way, in the same
run. Each command is started once unmeasured (bytecode compiled, files in the
page cache), then `repeat` times; medians. PYTHONDONTWRITEBYTECODE is unset,
as on a user's machine.

Rows: `posko`, `posko kiosk` and `posko demo` (demo database present) against
the floor, and a first `posko demo` on a fresh machine (no demo database: it
shows what it prepares within 0.5 s).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import termios
import time
from pathlib import Path

from common import Row, summary, training_database

TARGET_RATIO = 1.5
FRESH_DEMO_MS = 500.0
SIZE = (30, 100)  # rows, columns
TIMEOUT = 60.0  # seconds: a command that paints nothing by then has failed
BARE_TEXT = "Posko Pengaduan Balai Kota DKI Jakarta"
# The first text each kiosk screen shows, in Indonesian (the default language).
KIOSK_TEXT = "Menghubungkan ke basis data"
DEMO_TEXT = "Menyiapkan basis data latihan"

BARE = f"""
from textual.app import App
from textual.widgets import Footer, Header, Label

class Bare(App):
    def compose(self):
        yield Header()
        yield Label({BARE_TEXT!r})
        yield Footer()

Bare().run()
"""
# Escape sequences between the characters of the screen: colours, cursor moves.
_ESCAPES = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, modes
    rb"|\][^\x07\x1b]*(\x07|\x1b\\)"  # OSC: titles, clipboard
    rb"|[PX^_][^\x1b]*\x1b\\"  # DCS and other strings
    rb"|.)"  # two-character escapes
)


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name in ("POSKO_DATABASE_URL", "POSKO_NOW", "POSKO_CONFIG", "POSKO_LANG", "TEXTUAL"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "cfg"),
        XDG_CACHE_HOME=str(home / "cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
    )
    return env


def first_paint(argv: list[str], env: dict[str, str], text: str) -> float:
    """Milliseconds from launch until `text` is on the pseudo-terminal's screen."""
    wanted = text.encode()
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    try:
        while True:
            left = TIMEOUT - (time.perf_counter() - started)
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            if not ready:
                raise RuntimeError(f"{' '.join(argv[:3])}: nothing painted in {TIMEOUT:.0f} s")
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal: it ended
                chunk = b""
            if not chunk:
                shown = _ESCAPES.sub(b"", seen).decode("utf-8", "replace").strip()
                raise RuntimeError(f"{' '.join(argv[:3])} ended before painting: {shown[-400:]}")
            seen += chunk
            if wanted in _ESCAPES.sub(b"", seen):
                return (time.perf_counter() - started) * 1000
    finally:
        _stop(pid, fd)


def _stop(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGKILL)  # the measurement is over; nothing to save
    os.waitpid(pid, 0)
    os.close(fd)


FRESH = "posko demo on a fresh machine: first progress"


def run(repeat: int, folder: Path) -> list[Row]:
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = _environment(home)
    posko = shutil.which("posko", path=str(Path(sys.executable).parent))
    if posko is None:
        raise RuntimeError("the posko console script is not installed beside this Python")
    demo_home, fresh_home = home / "demo", home / "fresh"
    demo_home.mkdir()
    _prepare_demo(posko, _environment(demo_home))
    with training_database("sqlite", None, folder) as url:
        commands = {
            "floor": ([sys.executable, "-c", BARE], env, BARE_TEXT),
            "posko": ([posko, "--db", url], env, KIOSK_TEXT),
            "posko kiosk": ([posko, "--db", url, "kiosk"], env, KIOSK_TEXT),
            "posko demo (demo database present)": (
                [posko, "demo"],
                _environment(demo_home),
                DEMO_TEXT,
            ),
            FRESH: ([posko, "demo"], _environment(fresh_home), DEMO_TEXT),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        # Round after round, each command once: a load that comes and goes on a
        # shared machine weighs on the floor and the commands alike.
        for round_number in range(repeat + 1):
            for name, (argv, environment, text) in commands.items():
                if name == FRESH:  # no demo database, no cache: a new machine
                    shutil.rmtree(fresh_home, ignore_errors=True)
                    fresh_home.mkdir()
                elapsed = first_paint(argv, environment, text)
                if round_number:  # the first round warms up
                    times[name].append(elapsed)
    floor = summary(times.pop("floor"))[0]
    fresh, fresh_p95 = summary(times.pop(FRESH))
    rows = [_row(name, values, floor) for name, values in times.items()]
    rows.append(
        Row(
            FRESH,
            "ms",
            fresh,
            fresh_p95,
            # Beside the floor: on a loaded machine the bare app alone may miss 0.5 s.
            "bare Textual app (Header, Label, Footer)",
            floor,
            f"<= {FRESH_DEMO_MS:.0f} ms",
            fresh <= FRESH_DEMO_MS,
            "" if fresh <= FRESH_DEMO_MS else f"{fresh:.0f} ms before any progress",
        )
    )
    return rows


def _prepare_demo(posko: str, env: dict[str, str]) -> None:
    """Let `posko demo --no-ui` prepare the demo database to the end (the
    measured start above was killed once its progress showed)."""
    import subprocess

    subprocess.run(
        [posko, "demo", "--no-ui"],
        env=env,
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def _row(command: str, times: list[float], floor: float) -> Row:
    median, p95 = summary(times)
    passed = median <= TARGET_RATIO * floor
    return Row(
        f"first paint: {command}",
        "ms",
        median,
        p95,
        "bare Textual app (Header, Label, Footer)",
        floor,
        f"<= {TARGET_RATIO}x",
        passed,
        "" if passed else f"{median / floor:.2f}x the bare app",
    )
