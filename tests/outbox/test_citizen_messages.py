"""Status messages to the citizen: queued with each change, sent by real
servers on loopback, never lost, never twice."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, complaint_data, payload
from tests.handoff.helpers import close_session
from tests.outbox.helpers import (
    Gateway,
    Mailbox,
    ack,
    add_complaint,
    drain,
    free_port,
    submit,
    write_config,
)

EMAIL = {"name": "Sari Wulandari", "email": "sari@contoh.id", "phone": "0812-3456-7890"}


def _later(minutes: int) -> str:
    return f"2026-12-01T{9 + (45 + minutes) // 60:02d}:{(45 + minutes) % 60:02d}:00+07:00"


def _outbox(db) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT status, state, attempts FROM outbox_message ORDER BY id")
            )
        ]


def test_three_changes_reach_a_real_smtp_server_as_three_indonesian_emails(db, tmp_path) -> None:
    port = free_port()
    env = write_config(
        tmp_path / "config.toml",
        f'[notify.email]\nsender = "smtp"\nhost = "127.0.0.1"\nport = {port}\n'
        'from = "Posko Pengaduan <posko@jakarta.go.id>"\n',
    )
    data = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        reporter=EMAIL,
        contact={"consent": True, "channel": "email"},
    )
    code = add_complaint(db.url, data, env)
    silent = add_complaint(db.url, complaint_data("31.71", "Lampu jalan mati di Gambir."), env)
    mailbox = Mailbox(port)
    mailbox.start()
    try:
        close_session(db, tmp_path, env)
        assert drain(db.url, _later(1), env)["sent"] == 1
        ack(db, code, _later(2), env)
        assert drain(db.url, _later(3), env)["sent"] == 1
        done = posko(
            "complaint",
            "status",
            code,
            "selesai",
            "--note",
            "Saluran sudah dibersihkan",
            "--officer",
            "JP-WL1",
            db_url=db.url,
            now=_later(4),
            env={**PIN, **env},
        )
        assert done.exit_code == 0, done.stderr
        assert drain(db.url, _later(5), env)["sent"] == 1
        assert drain(db.url, _later(30), env)["sent"] == 0  # nothing twice
    finally:
        mailbox.stop()

    assert len(mailbox.received) == 3
    link = payload(db, code)
    words = ["Diserahkan ke kantor wali kota/bupati", "Diterima kantor wali kota/bupati", "Selesai"]
    for mail, word in zip(mailbox.received, words, strict=True):
        body = mail.get_content()
        assert mail["To"] == "sari@contoh.id"
        assert mail["Subject"] == f"Pengaduan {code}: {word}"
        assert f"pengaduan {code} kini berstatus {word} (Kantor Wali Kota Jakarta Pusat)" in body
        assert link in body and "Berhenti" in body
        assert "Sari" not in body and "3171014506800002" not in body
    assert "Bila belum sesuai" in mailbox.received[2].get_content()
    assert len({m["Message-ID"] for m in mailbox.received}) == 3
    # The complaint without consent got nothing queued for the citizen.
    with db.engine.connect() as conn:
        queued = conn.execute(
            text(
                "SELECT count(*) FROM outbox_message m JOIN complaint c ON c.id = m.complaint_id "
                "WHERE c.code = :c"
            ),
            {"c": silent},
        ).scalar_one()
    assert queued == 0


def test_with_the_smtp_server_down_the_message_waits_and_goes_out_once_it_is_back(
    db, tmp_path
) -> None:
    port = free_port()
    env = write_config(
        tmp_path / "config.toml",
        f'[notify]\nretry_first_seconds = 60\n[notify.email]\nsender = "smtp"\n'
        f'host = "127.0.0.1"\nport = {port}\n',
    )
    data = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        reporter=EMAIL,
        contact={"consent": True, "channel": "email"},
    )
    code = add_complaint(db.url, data, env)
    close_session(db, tmp_path, env)
    # Nobody listens on the port: the try fails, the message waits.
    assert drain(db.url, _later(1), env) == {"sent": 0, "retrying": 1, "failed": 0, "cancelled": 0}
    failing = posko("notify", "list", "--failing", db_url=db.url, env=env)
    assert code in failing.stdout and "SMTP 127.0.0.1" in failing.stdout
    # Not due again before its back-off.
    assert drain(db.url, _later(1), env)["retrying"] == 0
    mailbox = Mailbox(port)
    mailbox.start()
    try:
        assert drain(db.url, _later(3), env)["sent"] == 1
        assert drain(db.url, _later(10), env)["sent"] == 0
    finally:
        mailbox.stop()
    assert len(mailbox.received) == 1
    assert f"pengaduan {code} kini berstatus Diserahkan" in mailbox.received[0].get_content()
    assert _outbox(db) == [("diserahkan", "sent", 2)]


def test_a_gateway_answering_500_then_200_gets_the_message_once(db, tmp_path) -> None:
    with Gateway([500]) as gateway:
        env = write_config(
            tmp_path / "config.toml",
            '[notify.sms]\nsender = "gateway"\n'
            f'url = "{gateway.url}"\n'
            'headers = { Authorization = "Bearer rahasia", "Idempotency-Key" = "{key}" }\n'
            'body = { msisdn = "{to}", message = "{text}", ref = "{key}" }\n',
        )
        data = complaint_data(
            "31.71",
            "Saluran air di Cideng tersumbat, banjir tiap hujan.",
            contact={"consent": True, "channel": "sms"},
        )
        code = add_complaint(db.url, data, env)
        close_session(db, tmp_path, env)
        assert drain(db.url, _later(1), env)["retrying"] == 1
        assert drain(db.url, _later(3), env)["sent"] == 1
        assert drain(db.url, _later(60), env)["sent"] == 0
    assert [call[0] for call in gateway.calls] == [500, 200]
    accepted = [body for status, _, body in gateway.calls if status == 200]
    assert len(accepted) == 1
    assert accepted[0]["msisdn"] == "+6281234567890"
    assert f"pengaduan {code} kini berstatus Diserahkan" in accepted[0]["message"]
    keys = {headers["Idempotency-Key"] for _, headers, _ in gateway.calls}
    assert len(keys) == 1 and accepted[0]["ref"] in keys
    assert gateway.calls[1][1]["Authorization"] == "Bearer rahasia"


def test_a_message_is_given_up_after_the_configured_time_with_its_reason(db, tmp_path) -> None:
    env = write_config(
        tmp_path / "config.toml",
        "[notify]\nretry_first_seconds = 60\ngive_up_hours = 0.05\n"  # three minutes
        f'[notify.email]\nsender = "smtp"\nhost = "127.0.0.1"\nport = {free_port()}\n',
    )
    data = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        reporter=EMAIL,
        contact={"consent": True, "channel": "email"},
    )
    code = add_complaint(db.url, data, env)
    close_session(db, tmp_path, env)
    drain(db.url, _later(1), env)
    assert drain(db.url, _later(3), env)["failed"] == 1
    failing = posko("notify", "list", "--failing", "--json", db_url=db.url, env=env).json()
    assert [(m["code"], m["state"]) for m in failing] == [(code, "failed")]
    assert failing[0]["last_error"].startswith("gave up after 2 tries: SMTP")
    shown = posko("complaint", "show", code, db_url=db.url, env=env).stdout
    assert "Pesan:" in shown and "failed" in shown and "gave up after 2 tries" in shown
    assert drain(db.url, _later(120), env)["sent"] == 0


def test_withdrawn_consent_stops_the_messages_and_is_audited(db, tmp_path) -> None:
    env = write_config(tmp_path / "config.toml", f'[notify]\nfolder = "{tmp_path / "pesan"}"\n')
    data = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        contact={"consent": True, "channel": "whatsapp"},
    )
    code = add_complaint(db.url, data, env)
    close_session(db, tmp_path, env)
    # Training: the folder sender writes the message as a file.
    assert drain(db.url, _later(1), env)["sent"] == 1
    files = list((tmp_path / "pesan").iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    written = files[0].read_text(encoding="utf-8")
    assert "Kepada: +6281234567890" in written and f"pengaduan {code} kini berstatus" in written
    withdrawn = posko(
        "complaint",
        "withdraw-consent",
        code,
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now=_later(2),
        env={**PIN, **env},
    )
    assert withdrawn.exit_code == 0, withdrawn.stderr
    ack(db, code, _later(3), env)
    assert drain(db.url, _later(4), env)["sent"] == 0
    assert len(list((tmp_path / "pesan").iterdir())) == 1
    shown = posko("complaint", "show", code, db_url=db.url, env=env)
    assert "whatsapp" in shown.stdout and "dicabut" in shown.stdout.lower()
    with db.engine.connect() as conn:
        actions = [
            r[0]
            for r in conn.execute(
                text("SELECT action FROM audit_event WHERE subject = :c"), {"c": code}
            )
        ]
    assert "consent.withdraw" in actions


def test_consent_needs_a_contact_and_an_anonymous_complaint_stores_none(db, tmp_path) -> None:
    bad = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        contact={"consent": True, "channel": "email"},  # no e-mail given
    )
    anonymous = complaint_data(
        "31.71",
        "Saluran air di Cideng tersumbat, banjir tiap hujan.",
        reporter={"anonymous": True, "phone": "0812-3456-7890"},
        contact={"consent": True, "channel": "sms"},
    )
    for data, field in ((bad, "contact.channel"), (anonymous, "contact.consent")):
        result = submit(db.url, data)
        assert result.exit_code == 2 and field in result.stderr
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM complaint")).scalar_one() == 0


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ('[notify.email]\nsender = "pos"\n', "notify.email.sender"),
        ('[notify.sms]\nsender = "gateway"\n', "notify.sms.url"),
        ('[notify.email]\nsender = "smtp"\nport = "dua lima"\n', "notify.email.port"),
        ("[notify]\ngive_up_hours = -1\n", "notify.give_up_hours"),
        ("notify = 5\n", "notify"),
    ],
)
def test_a_configuration_no_sender_can_use_is_refused_by_name(db, tmp_path, config, words) -> None:
    env = write_config(tmp_path / "config.toml", config)
    result = posko("notify", "drain", db_url=db.url, env=env)
    assert result.exit_code == 2 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
