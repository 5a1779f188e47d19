"""Masking: a slip found on the street must not identify, call or mail anyone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posko.printing.masking import initials, mask_email, mask_nik, mask_phone


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Budi Santoso", "B. S."),
        ("budi  santoso ", "B. S."),
        ("Siti", "S."),
        ("Muhammad Al-Fatih bin Ahmad", "M. A. B. A."),
        ("'Ainun (Nisa)", "A. N."),
        ("محمد علي", "م. ع."),
        ("Éloïse Ñúñez", "É. Ñ."),
        ("e\u0301lo", "É."),  # decomposed accent, composed first
        ("😀 Budi", "B."),
        ("2 Budi", "B."),
        ("李 小龍", "李. 小."),
        ("A B C D E F G", "A. B. C. D. E. …"),
        ("", ""),
        (None, ""),
        ("   ", ""),
        ("123", ""),
    ],
)
def test_initials(name: str | None, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("3171234567890001", "3171********0001"),
        ("3171 2345 6789 0001", "3171********0001"),
        ("317123456789", "************"),
        ("12", "****"),
        ("abcdefghijklmnop", "****************"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_nik(nik: str | None, expected: str) -> None:
    assert mask_nik(nik) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+6281234567890", "+62 812-****-7890"),
        ("081234567890", "+62 812-****-7890"),
        ("+62 812-3456-7890", "+62 812-****-7890"),
        ("+62812345678", "+62 812-****-678"),
        ("+6281234567", "+62 ****-67"),
        ("+6281234", "+62 ****"),
        ("+62812", "+62 ****"),
        ("+14155550100", "+****-00"),
        ("+1", "+****"),
        ("garbage", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone: str | None, expected: str) -> None:
    assert mask_phone(phone) == expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("budi@gmail.com", "b***@gmail.com"),
        ("Budi.Santoso@Yahoo.co.id", "B***@yahoo.co.id"),
        ("budi@budisantoso.id", "b***@b***.id"),
        ("budi@dinas.jakarta.go.id", "b***@j***.go.id"),
        ("budi@localhost", "b***@l***"),
        ("@gmail.com", "***"),
        ("no-at-sign", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(email: str | None, expected: str) -> None:
    assert mask_email(email) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_masking_never_raises(value: str) -> None:
    for mask in (initials, mask_nik, mask_phone, mask_email):
        assert isinstance(mask(value), str)


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=16, max_size=16))
def test_nik_birth_date_hidden(nik: str) -> None:
    masked = mask_nik(nik)
    assert masked[4:12] == "********" and nik not in masked


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=0, max_size=14), st.sampled_from(["+62", "0", "+1", ""]))
def test_phone_keeps_three_digits_hidden(national: str, prefix: str) -> None:
    masked = mask_phone(prefix + national)
    shown = sum(ch.isdigit() for ch in masked.removeprefix("+62 ").removeprefix("+"))
    assert shown <= max(0, len(national) - 3)
