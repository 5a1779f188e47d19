"""What every benchmark shares: a result row, timing, the machine, fresh databases."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from posko.core.clock import JAKARTA, FixedClock

PG_ENV = "POSKO_TEST_DATABASE_URL"
# The world the benchmarks work in: a training database inside the session of
# Tuesday 1 December 2026, 08:15 WIB, as the tests use.
INIT_INSTANT = datetime(2026, 12, 1, 7, 0, tzinfo=JAKARTA)
SESSION_INSTANT = datetime(2026, 12, 1, 8, 15, tzinfo=JAKARTA)
ON_DUTY = ("JP-AS1", "JU-AS1", "JB-AS1", "JS-AS1", "JT-AS1")  # one per desk that day


@dataclass
class Row:
    """One line of the table. Times in ms; rates (unit "/s") per second."""

    figure: str
    unit: str
    median: float | None
    p95: float | None
    floor_name: str
    floor: float | None
    target: str
    passed: bool | None  # None: no target, or the figure could not be measured
    reason: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times the floor's cost this costs (rates: floor rate / rate)."""
        if not self.median or not self.floor:
            return None
        return self.floor / self.median if self.unit == "/s" else self.median / self.floor

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "pending" if self.median is None else "info"
        return "pass" if self.passed else "FAIL"


def pending(figure: str, target: str, reason: str) -> Row:
    return Row(figure, "ms", None, None, "-", None, target, None, reason)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)


def timed(call: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds of each of `repeat` calls, after a few unmeasured ones."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def clock() -> FixedClock:
    return FixedClock(SESSION_INSTANT)


def policy():  # type: ignore[no-untyped-def]
    from posko.config import data_dir
    from posko.services.reference import load_policy

    return load_policy(data_dir("schedules") / "pendopo.toml")


# -- databases ----------------------------------------------------------------


def pg_admin_url(option: str | None) -> str | None:
    return option or os.environ.get(PG_ENV)


def _pg_url(admin_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    from posko.store.db import resolve_url

    url = make_url(resolve_url(admin_url)).set(database=database)
    return url.render_as_string(hide_password=False)


def _pg_admin(admin_url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    from posko.store.db import resolve_url

    engine = create_engine(resolve_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def fresh_database(
    backend: str, pg_admin: str | None, workdir: Path, template: str | None = None
) -> Iterator[str]:
    """The URL of a new database (empty, or a copy of `template`), dropped afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        if template:
            shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    assert pg_admin is not None
    name = f"posko_bench_{uuid.uuid4().hex[:8]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    _pg_admin(pg_admin, f'CREATE DATABASE "{name}"{copy}')
    try:
        yield _pg_url(pg_admin, name)
    finally:
        _drop_pg_database(pg_admin, name)


def _drop_pg_database(pg_admin: str, name: str) -> None:
    """Drop it, waiting out autovacuum: FORCE may not end a superuser's worker
    that is still busy with the freshly loaded rows."""
    for attempt in range(20):
        try:
            _pg_admin(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except Exception as error:  # the figures stand; only the clean-up is late
            if attempt == 19:
                print(f"warning: could not drop database {name}: {error}", file=sys.stderr)
            time.sleep(1)


# One initialised training database per backend and run, copied for each
# benchmark: `posko init --training` costs seconds (migrations, PIN hashing,
# three months of roster), a copy a fraction of that.
_templates: dict[str, str] = {}


def _template(backend: str, pg_admin: str | None) -> str:
    if backend not in _templates:
        if backend == "sqlite":
            path = Path(tempfile.mkdtemp(prefix="posko-bench-template-")) / "template.db"
            init_training(f"sqlite:///{path}")
            # Fold the WAL into the file, so that copying the file copies everything.
            connection = sqlite3.connect(path)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            _templates[backend] = str(path)
        else:
            assert pg_admin is not None
            name = f"posko_bench_template_{uuid.uuid4().hex[:8]}"
            _pg_admin(pg_admin, f'CREATE DATABASE "{name}"')
            _templates[backend] = name
            init_training(_pg_url(pg_admin, name))
    return _templates[backend]


@contextmanager
def training_database(backend: str, pg_admin: str | None, workdir: Path) -> Iterator[str]:
    """A fresh training database, as `posko init --training` leaves it."""
    with fresh_database(backend, pg_admin, workdir, _template(backend, pg_admin)) as url:
        yield url


def drop_templates(pg_admin: str | None) -> None:
    for backend, template in _templates.items():
        if backend == "sqlite":
            shutil.rmtree(Path(template).parent, ignore_errors=True)
        elif pg_admin:
            _drop_pg_database(pg_admin, template)
    _templates.clear()


def init_training(url: str) -> None:
    """Migrate, load reference data and sample officers, roster around the session."""
    from posko.services import setup
    from posko.store.db import make_engine

    engine = make_engine(url)
    setup.init_database(engine, FixedClock(INIT_INSTANT), policy(), training=True)
    engine.dispose()


def seed(url: str, count: int) -> None:
    from posko.services.seed import seed_synthetic
    from posko.store.db import make_engine

    engine = make_engine(url)
    seed_synthetic(engine, FixedClock(INIT_INSTANT), policy(), count)
    engine.dispose()


@contextmanager
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="posko-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the machine ----------------------------------------------------------------


def machine(pg_url: str | None) -> dict[str, str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        ram = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError):
        pass
    info = {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "Load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "OS": platform.platform(),
        "Python": sys.version.split()[0],
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": "not configured",
    }
    if pg_url:
        try:
            from sqlalchemy import create_engine, text

            from posko.store.db import resolve_url

            engine = create_engine(resolve_url(pg_url))
            with engine.connect() as connection:
                info["PostgreSQL"] = connection.execute(text("SHOW server_version")).scalar_one()
            engine.dispose()
        except Exception as error:  # the table still says why PG rows are missing
            info["PostgreSQL"] = f"unreachable ({type(error).__name__})"
    return info


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
