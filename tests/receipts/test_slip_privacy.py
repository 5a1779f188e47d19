"""Who a slip names: confidential, anonymous, and training (LATIHAN) slips; the
next step follows the lifecycle."""

from __future__ import annotations

import re

from sqlalchemy import text

from posko.config import Settings
from posko.services import slips
from posko.services.complaints import find_row
from posko.store.db import new_session
from tests.cli_helpers import posko

from .helpers import MASKED_NIK, NAME, NIK, pdf_text, take

# The random verification code (e.g. ONIK-HVQJ-J7QD) can spell anything; it
# identifies nobody, so it is taken out before looking for identity.
VERIFICATION = re.compile(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\b")


def _slips(db, code: str, tmp_path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    citizen, office = tmp_path / "warga.pdf", tmp_path / "kantor.pdf"
    for copy, out in (("citizen", citizen), ("office", office)):
        result = posko(
            "receipt", code, "--out", str(out), "--copy", copy, "--officer", "JP-AS1",
            db_url=db.url, env={"POSKO_PIN": "123456"},
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    return (VERIFICATION.sub("", pdf_text(citizen)), VERIFICATION.sub("", pdf_text(office)))


def test_confidential_office_copy_names_nobody(db, clock, policy, tmp_path):
    code = take(db, clock, policy, confidential=True).code

    citizen, office = _slips(db, code, tmp_path)

    assert MASKED_NIK in citizen and "S. W." in citizen  # the citizen recognises it
    assert "dirahasiakan" in office
    for secret in (NAME, "Wulandari", NIK, MASKED_NIK, "3456", "S. W."):
        assert secret not in office, secret
    assert "Saluran air di Cideng" in office  # the complaint itself travels in full


def test_anonymous_slips_carry_no_identity(db, clock, policy, tmp_path):
    code = take(db, clock, policy, name=None, nik=None, phone=None, anonymous=True).code

    citizen, office = _slips(db, code, tmp_path)

    assert "Anonim" in citizen and "Anonim" in office
    assert "NIK" not in citizen and "NIK" not in office


def test_training_slips_say_latihan_and_real_ones_do_not(db, clock, policy, tmp_path):
    code = take(db, clock, policy).code
    citizen, office = _slips(db, code, tmp_path)
    assert "LATIHAN" in citizen and "LATIHAN" in office

    with db.engine.begin() as conn:  # the same data on a real database
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'training'"))
    assert (
        posko("init", "--status-url", "https://pengaduan.example.go.id", db_url=db.url).exit_code
        == 0
    )
    real = tmp_path / "real"
    real.mkdir()
    citizen, office = _slips(db, code, real)
    assert "LATIHAN" not in citizen and "LATIHAN" not in office


def test_next_step_follows_the_lifecycle(db, clock, policy, tmp_path):
    code = take(db, clock, policy).code
    settings = Settings(database_url=db.url)
    with new_session(db.engine) as session:
        before = slips.slip_data(session, settings, policy, find_row(session, code))
    assert before.next_step.startswith("Akan diteruskan ke Kantor Wali Kota")
    assert before.next_deadline is not None and before.next_deadline.isoformat() == "2026-12-02"

    closed = posko(
        "handoff",
        "close",
        "--out",
        str(tmp_path / "lists"),
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now="2026-12-01T09:45:00+07:00",
        env={"POSKO_PIN": "123456"},
    )
    assert closed.exit_code == 0, closed.stderr
    with new_session(db.engine) as session:
        after = slips.slip_data(session, settings, policy, find_row(session, code))
    assert after.next_step.startswith("Menunggu konfirmasi")
    assert after.next_deadline is not None and after.next_deadline.isoformat() == "2026-12-02"
    # The office copy attached to the handoff list is built by the same function.
    lists = list((tmp_path / "lists").glob("serah-terima-*.pdf"))
    assert len(lists) == 1
    assert "Menunggu konfirmasi" in pdf_text(lists[0])
