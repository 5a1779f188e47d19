"""Cold start of the kiosk to its first painted screen, against a bare Textual app.

Both run in fresh interpreters, headless, and write a marker straight to the
pipe when Textual sends `Ready` ("the first frame has been displayed"); the
parent times from launch to marker. PYTHONDONTWRITEBYTECODE is unset, as on a
user's machine, and one unmeasured start of each compiles the bytecode first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from common import Row, summary, training_database

TARGET_RATIO = 1.5

BARE = """
import os, sys
from textual.app import App
from textual.widgets import Footer, Header, Label

class Bare(App):
    def compose(self):
        yield Header()
        yield Label("Posko Pengaduan Balai Kota DKI Jakarta")
        yield Footer()

    def on_ready(self):
        os.write(1, f"PAINTED {'sqlmodel' in sys.modules}\\n".encode())
        self.exit()

Bare().run(headless=True)
"""

KIOSK = """
import os, sys
from posko.config import Settings
from posko.runtime import Runtime
from posko.tui.app import make_app

app = make_app(Runtime(settings=Settings(database_url={url!r})))

def on_ready(self):
    os.write(1, f"PAINTED {{'sqlmodel' in sys.modules}}\\n".encode())
    self.exit()

app.__class__ = type("TimedKiosk", (type(app),), {{"on_ready": on_ready}})
app.run(headless=True)
"""


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "cfg"))
    return env


def start_once(script: str, env: dict[str, str]) -> tuple[float, bool]:
    """Milliseconds from launch to the first painted frame, and whether sqlmodel was loaded."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    elapsed = (time.perf_counter() - started) * 1000
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if not line.startswith("PAINTED"):
        error = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"no first paint: {error.strip()[-400:]}")
    return elapsed, line.split()[1] == "True"


def import_chain(url: str, env: dict[str, str]) -> str:
    """Which import first pulls sqlmodel in at kiosk start (python -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", KIOSK.format(url=url)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    lines = done.stderr.splitlines()
    for line in lines:
        if line.startswith("import time:") and line.rsplit("|", 1)[1].strip() == "sqlmodel":
            return " <- ".join(["sqlmodel", *_parents(lines, line)])
    return "not imported"


def _parents(lines: list[str], marker: str) -> list[str]:
    """The modules that were importing when `marker` finished: importtime prints
    each module after its imports, so its parents are the later, shallower lines."""
    index = lines.index(marker)
    depth = _depth(marker)
    found = []
    for line in lines[index + 1 :]:
        if "|" not in line or not line.startswith("import time:"):
            continue
        if _depth(line) < depth:
            depth = _depth(line)
            found.append(line.rsplit("|", 1)[1].strip())
    return found


def _depth(line: str) -> int:
    name = line.rsplit("|", 1)[1]
    return (len(name) - len(name.lstrip())) // 2


def run(repeat: int, folder: Path) -> list[Row]:
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = _environment(home)
    bare = [start_once(BARE, env)[0] for _ in range(repeat + 1)][1:]
    floor = summary(bare)[0]
    try:
        import posko.tui.app  # noqa: F401
    except ImportError as error:
        return [Row("kiosk cold start to first paint", "ms", None, None, "bare Textual app",
                    floor, f"<= {TARGET_RATIO}x", None, f"no kiosk yet ({error})")]  # fmt: skip
    with training_database("sqlite", None, folder) as url:
        script = KIOSK.format(url=url)
        runs = [start_once(script, env) for _ in range(repeat + 1)][1:]
        sqlmodel_first = any(loaded for _, loaded in runs)
        chain = import_chain(url, env) if sqlmodel_first else ""
    times = [elapsed for elapsed, _ in runs]
    median, p95 = summary(times)
    passed = median <= TARGET_RATIO * floor and not sqlmodel_first
    reasons = []
    if median > TARGET_RATIO * floor:
        reasons.append(f"{median / floor:.2f}x the bare app")
    if sqlmodel_first:
        reasons.append(f"sqlmodel imported before the first paint: {chain}")
    return [
        Row(
            "kiosk cold start to first paint",
            "ms",
            median,
            p95,
            "bare Textual app (Header, Label, Footer)",
            floor,
            f"<= {TARGET_RATIO}x, no sqlmodel before paint",
            passed,
            "; ".join(reasons),
        )
    ]
