"""The push to the province's CRM, where the CRM is a second Posko's `posko serve`:
every new complaint and status change arrives exactly once, also after the
CRM was down for a while."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, complaint_data
from tests.handoff.helpers import close_session
from tests.outbox.helpers import (
    ack,
    add_complaint,
    drain,
    free_port,
    serving,
    write_config,
)


def _crm_history(crm) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """On the CRM: for each complaint that came from the desk, its history notes."""
    with crm.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.code, e.note FROM complaint c JOIN status_event e "
                "ON e.complaint_id = c.id WHERE c.channel = 'Posko Pendopo' ORDER BY c.id, e.id"
            )
        ).all()
    history: dict[str, list[str]] = {}
    for code, note in rows:
        history.setdefault(code, []).append(note)
    return history


def _remote_id(db_url: str, code: str, env: dict[str, str]) -> str | None:
    shown = posko("complaint", "show", code, "--json", db_url=db_url, env=env)
    assert shown.exit_code == 0, shown.stderr
    return shown.json()["crm_request_id"]


def test_a_second_posko_as_crm_receives_every_complaint_and_change_exactly_once(
    db, second_db, tmp_path
) -> None:
    partner = posko(
        "partner",
        "add",
        "pendopo",
        "--channel",
        "Posko Pendopo",
        "--officer",
        "PV-KO1",
        "--admin",
        "PV-ADM",
        db_url=second_db.url,
        env=PIN,
    )
    assert partner.exit_code == 0, partner.stderr
    key = partner.stdout.strip().rsplit(" ", 1)[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}/open311/v2"
    env = write_config(
        tmp_path / "config.toml",
        f'[notify]\nretry_first_seconds = 60\n[crm]\nurl = "{base}"\napi_key = "{key}"\n',
    )
    on = posko("notify", "crm", "--on", "--admin", "PV-ADM", db_url=db.url, env={**PIN, **env})
    assert on.exit_code == 0, on.stderr

    first = add_complaint(
        db.url, complaint_data("31.71", "Saluran air di Cideng tersumbat, banjir tiap hujan."), env
    )
    second = add_complaint(
        db.url,
        complaint_data("31.72", "Jalan berlubang di Penjaringan membahayakan.", category="jalan"),
        env,
        now="2026-12-01T08:20:00+07:00",
    )
    # The CRM is up: both new complaints go.
    with serving(second_db.url, "2026-12-01T10:00:00+07:00", port):
        assert drain(db.url, "2026-12-01T09:00:00+07:00", env)["sent"] == 2
    remote = {code: _remote_id(db.url, code, env) for code in (first, second)}
    assert all(r and r.startswith("PKB-") for r in remote.values())
    assert set(_crm_history(second_db)) == set(remote.values())

    # The CRM is down: the handoff is queued, tried, and waits.
    close_session(db, tmp_path, env)
    waiting = drain(db.url, "2026-12-01T09:46:00+07:00", env)
    assert waiting["sent"] == 0 and waiting["retrying"] == 2
    failing = posko("notify", "list", "--failing", db_url=db.url, env=env)
    assert "crm" in failing.stdout and "CRM http://127.0.0.1" in failing.stdout

    # Back up: what waited goes, once; then the rest of the story, drained by
    # the desk's own `posko serve` in the background.
    with serving(second_db.url, "2026-12-01T10:30:00+07:00", port):
        assert drain(db.url, "2026-12-01T09:50:00+07:00", env)["sent"] == 2
        ack(db, first, "2026-12-01T09:55:00+07:00", env)
        done = posko(
            "complaint",
            "status",
            first,
            "selesai",
            "--note",
            "Sudah dibersihkan",
            "--officer",
            "JP-WL1",
            db_url=db.url,
            now="2026-12-01T09:56:00+07:00",
            env={**PIN, **env},
        )
        assert done.exit_code == 0, done.stderr
        desk_port = free_port()
        with serving(db.url, "2026-12-01T09:57:00+07:00", desk_port, env=env, drain_every=0.5):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if len(_crm_history(second_db).get(remote[first] or "", [])) >= 4:
                    break
                time.sleep(0.2)
        # A delivery repeated after a lost answer changes nothing at the CRM.
        with db.engine.connect() as conn:
            create_key, body = conn.execute(
                text("SELECT key, body FROM outbox_message WHERE kind = 'create' ORDER BY id")
            ).first()
        import json

        again = httpx.post(
            f"{base}/requests.json",
            data={**json.loads(body), "api_key": key},
            headers={"Idempotency-Key": create_key},
        )
        assert again.json()[0]["service_request_id"] == remote[first]
        assert drain(db.url, "2026-12-01T10:30:00+07:00", env)["sent"] == 0

    history = _crm_history(second_db)
    assert history == {
        remote[first]: [
            "Diterima dari kanal Posko Pendopo (Open311)",
            "Kabar dari kanal Posko Pendopo: diserahkan: Diserahkan ke kantor wali kota/bupati",
            "Kabar dari kanal Posko Pendopo: diterima_wilayah: Diterima kantor wali kota/bupati",
            "Kabar dari kanal Posko Pendopo: selesai: Selesai",
        ],
        remote[second]: [
            "Diterima dari kanal Posko Pendopo (Open311)",
            "Kabar dari kanal Posko Pendopo: diserahkan: Diserahkan ke kantor wali kota/bupati",
        ],
    }
    shown = posko("complaint", "show", first, db_url=db.url, env=env)
    assert f"service_request_id di CRM: {remote[first]}" in shown.stdout
    with second_db.engine.connect() as conn:
        # The identity stayed at the desk.
        names = conn.execute(
            text("SELECT count(*) FROM complaint WHERE reporter_name IS NOT NULL")
        ).scalar_one()
    assert names == 0
