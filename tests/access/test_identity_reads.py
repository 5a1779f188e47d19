"""Finding 1 and 2 of issue 12: identity is shown or written only after a PIN,
to an officer who may see it, and every such read is in the audit trail."""

from __future__ import annotations

import stat

import pytest
from pypdf import PdfReader

from tests.access.conftest import NAME, NIK, Desk

pytestmark = pytest.mark.db


def pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_office_copy_needs_an_officer_and_pin(desk: Desk) -> None:
    out = desk.tmp / "copies"
    out.mkdir()
    bare = desk.run("receipt", desk.open_code, "--copy", "office", "--out", str(out), pin=False)
    assert bare.exit_code == 2 and "--officer" in bare.stderr
    assert list(out.iterdir()) == []
    wrong = desk.run(
        "receipt", desk.open_code, "--copy", "office", "--out", str(out), "--officer", "JP-AS1",
        env={"POSKO_PIN": "999999"},
    )  # fmt: skip
    assert wrong.exit_code == 3 and list(out.iterdir()) == []


def test_office_copy_of_another_region_is_refused_and_audited(desk: Desk) -> None:
    out = desk.tmp / "copies"
    out.mkdir()
    refused = desk.run(
        "receipt", desk.open_code, "--copy", "office", "--out", str(out), "--officer", "JS-WL1"
    )  # fmt: skip
    assert refused.exit_code == 3, refused.stdout + refused.stderr
    assert list(out.iterdir()) == []
    denied = desk.events("complaint.reveal_denied")
    assert [(e.actor, e.subject) for e in denied] == [("JS-WL1", desk.open_code)]


def test_office_copy_for_the_officer_who_took_it_is_private_and_audited(desk: Desk) -> None:
    out = desk.tmp / "copies"
    done = desk.run(
        "receipt", desk.open_code, "--copy", "office", "--out", str(out), "--officer", "JP-AS1",
        "--json",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    path = out if out.is_file() else next(out.iterdir())
    assert NAME in pdf_text(path) and NIK in pdf_text(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown = desk.events("receipt.office_copy")
    assert [(e.actor, e.subject) for e in shown] == [("JP-AS1", desk.open_code)]
    assert desk.detail("receipt.office_copy") == {"to": "file", "reveal": True}


def test_handoff_lists_need_an_officer_and_are_audited(desk: Desk) -> None:
    out = desk.tmp / "lists"
    after = "2026-12-01T09:45:00+07:00"
    bare = desk.run("handoff", "close", "--out", str(out), now=after, pin=False)
    assert bare.exit_code == 2 and "--officer" in bare.stderr
    assert not out.exists()
    done = desk.run("handoff", "close", "--out", str(out), "--officer", "JP-AS1", now=after)
    assert done.exit_code == 0, done.stderr
    files = sorted(out.iterdir())
    assert len(files) == 6  # a PDF, an XLSX and a CSV for each of the two offices
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    written = desk.detail("handoff.lists")
    assert sorted(written["complaints"]) == sorted([desk.open_code, desk.secret_code])
    assert desk.events("handoff.lists")[-1].actor == "JP-AS1"
    # Written again only when asked, and audited again.
    again = desk.run("handoff", "close", "--out", str(out), "--officer", "JP-AS1", now=after)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = desk.run(
        "handoff", "close", "--out", str(out), "--officer", "JP-AS1", "--force", now=after
    )
    assert forced.exit_code == 0, forced.stderr
    assert len(desk.events("handoff.lists")) == 2


def test_search_by_identity_needs_a_pin(desk: Desk) -> None:
    bare = desk.run("complaint", "search", NAME, pin=False)
    assert bare.exit_code == 2 and "--officer" in bare.stderr
    assert desk.secret_code not in bare.stdout


@pytest.mark.parametrize("query", [NAME, "0812 3456 7890", "Pungutan liar"])
def test_search_never_finds_a_confidential_reporter_for_who_may_not_reveal(
    desk: Desk, query: str
) -> None:
    # JS-WL1 is the regional staff of the destination office; the reporter
    # asked for confidentiality, so not even they may see who it is.
    reveal = desk.run("complaint", "show", desk.secret_code, "--reveal", "--officer", "JS-WL1")
    assert reveal.exit_code == 3
    found = desk.run("complaint", "search", query, "--officer", "JS-WL1", "--json")
    assert found.exit_code == 0, found.stderr
    assert desk.secret_code not in found.stdout
    assert NAME not in found.stdout and NIK not in found.stdout
    audited = desk.detail("complaint.search")
    assert desk.secret_code not in audited["codes"]
    assert NAME not in str(audited) and "3456" not in str(audited)


def test_search_finds_it_for_who_may_and_records_what_was_shown(desk: Desk) -> None:
    found = desk.run("complaint", "search", NAME, "--officer", "JP-AS1", "--json")
    assert found.exit_code == 0, found.stderr
    codes = [row["code"] for row in found.json()]
    assert desk.secret_code in codes and desk.open_code in codes
    assert NAME not in found.stdout  # still masked in the list
    audited = desk.detail("complaint.search")
    assert sorted(audited["codes"]) == sorted(codes)
    assert audited["query"] == "S. W."
    assert desk.events("complaint.search")[-1].actor == "JP-AS1"


def test_kiosk_lookup_by_name_is_the_signed_in_officers_and_audited(desk: Desk, runtime) -> None:  # type: ignore[no-untyped-def]
    from posko.core.errors import PermissionDenied
    from posko.tui import data

    by_code = data.look_up(runtime, desk.secret_code)  # a code names its complaint
    assert [f.code for f in by_code.found] == [desk.secret_code]
    with pytest.raises(PermissionDenied):
        data.look_up(runtime, NAME)  # nobody signed in
    other = data.look_up(runtime, NAME, "JS-WL1")
    assert desk.secret_code not in [f.code for f in other.found]
    own = data.look_up(runtime, NAME, "JP-AS1")
    assert desk.secret_code in [f.code for f in own.found]
    assert [e.actor for e in desk.events("complaint.search")] == ["JS-WL1", "JP-AS1"]


def test_the_intake_forms_earlier_complaints_keep_a_confidential_one_hidden(
    desk: Desk,
    runtime,  # type: ignore[no-untyped-def]
) -> None:
    from posko.tui import data

    # JU-AS1 types a NIK into the form: a confidential complaint taken by
    # someone else is not shown, whoever the NIK belongs to.
    other = data.reporter_history(runtime, "JU-AS1", NIK, None)
    assert [c.code for c in other] == [desk.open_code]
    own = data.reporter_history(runtime, "JP-AS1", NIK, None)
    assert sorted(c.code for c in own) == sorted([desk.open_code, desk.secret_code])
    audited = desk.events("complaint.search")
    assert [e.actor for e in audited] == ["JU-AS1", "JP-AS1"]
    assert NIK not in audited[0].detail
