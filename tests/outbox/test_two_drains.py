"""Two drains at once (posko serve's and a `posko notify drain`) never send a
message twice: each is claimed before it is sent."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from posko.services import access, handoff, intake, outbox
from posko.store.db import new_session
from tests.handoff.conftest import complaint_data


def test_two_drains_at_once_send_each_message_once(db, clock, policy) -> None:
    with new_session(db.engine) as session:
        for n in range(6):
            intake.take_complaint(
                session,
                clock,
                policy,
                officer_id="JP-AS1",
                data=complaint_data(
                    "31.71",
                    f"Saluran air nomor {n} di Cideng tersumbat.",
                    contact={"consent": True, "channel": "sms"},
                ),
            )
        clock.advance(minutes=90)
        closer = access.sign_in(session, clock, "JP-AS1", "123456", access.HANDOFF_CLOSE)
        handoff.close(session, clock, policy, day=clock.now().date(), officer=closer)
    clock.advance(minutes=1)
    delivered: list[str] = []
    lock = threading.Lock()

    def deliver(session, message) -> None:  # type: ignore[no-untyped-def]
        time.sleep(0.05)  # a slow gateway: the other drain runs meanwhile
        with lock:
            delivered.append(message.key)

    results = []

    def run() -> None:
        with new_session(db.engine) as session:
            results.append(outbox.drain(session, clock, outbox.Timing(), deliver))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(delivered) == 6 and len(set(delivered)) == 6
    assert sum(r.sent for r in results) == 6
    with db.engine.connect() as conn:
        states = conn.execute(text("SELECT state, attempts FROM outbox_message")).all()
    assert sorted(tuple(s) for s in states) == [("sent", 1)] * 6
