"""A desk process killed at random moments loses nothing it acknowledged."""

from __future__ import annotations

import random
import signal
import time

from sqlalchemy import text

from tests import conftest
from tests.reliability.checks import complaint_count, consistency, on_duty, start_worker
from tests.reliability.figures import FIGURES

ROUNDS = {"sqlite": 6, "postgresql": 3}


def test_killed_desk_loses_no_acknowledged_complaint(db: conftest.TestDatabase) -> None:
    officer = on_duty(db.engine)[0]
    rng = random.Random(7)
    acknowledged: list[str] = []
    killed = 0
    for round_ in range(ROUNDS[db.backend]):
        proc = start_worker(db.url, officer, 0, f"kill{round_}")
        assert proc.stdout is not None
        # Let it save a few, then kill it somewhere inside the next intakes.
        for _ in range(rng.randint(1, 4)):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            acknowledged.append(line.split()[0])
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        # A code is acknowledged by its whole printed line; a blank or cut one is not.
        acknowledged += [line.split()[0] for line in out.split("\n")[:-1] if line.strip()]
        killed += proc.returncode == -signal.SIGKILL
    integrity = "-"
    if db.backend == "sqlite":
        with db.engine.connect() as connection:
            integrity = connection.execute(text("PRAGMA integrity_check")).scalar_one()
    result = consistency(db.engine, acknowledged)
    FIGURES.add(
        f"kill test ({db.backend})",
        f"{killed} processes killed (SIGKILL)",
        f"acknowledged {len(acknowledged)}, recovered {len(acknowledged) - len(result.missing)}, "
        f"in database {complaint_count(db.engine)}, half-saved "
        f"{len(result.without_status) + len(result.without_audit)}, integrity {integrity}, "
        f"audit {'ok' if result.audit_ok else 'BROKEN'}",
    )
    assert killed == ROUNDS[db.backend]
    assert integrity in ("ok", "-")
    assert result.missing == []
    assert result.without_status == [] and result.without_audit == []
    assert result.duplicate_codes == 0 and result.duplicate_queue_numbers == 0
    assert result.audit_ok
