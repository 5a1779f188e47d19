"""Identity numbers and contact details of Indonesian citizens."""

from __future__ import annotations

from datetime import date

import phonenumbers


class IdentityError(ValueError):
    """A value that cannot be an identity number or contact; the message is a msgid."""


def check_nik(nik: str, *, today: date) -> str:
    """Validate a NIK: 16 digits, a plausible region code and date of birth.

    NIK = province(2) kota(2) kecamatan(2) DDMMYY(6, women add 40 to DD) serial(4).
    Region codes are checked for shape only: a citizen registered outside
    Jakarta may still complain here.
    """
    digits = "".join(nik.split())
    if not digits.isdigit() or len(digits) != 16:
        raise IdentityError("NIK must have exactly 16 digits")
    province, kota, kecamatan = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if not 11 <= province <= 99 or kota == 0 or kecamatan == 0:
        raise IdentityError("NIK does not start with a valid region code")
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    year = 2000 + year2 if 2000 + year2 <= today.year else 1900 + year2
    try:
        born = date(year, month, day)
    except ValueError:
        raise IdentityError("NIK does not hold a valid date of birth") from None
    if born > today:
        raise IdentityError("NIK does not hold a valid date of birth")
    if digits[12:16] == "0000":
        raise IdentityError("NIK serial number cannot be 0000")
    return digits


def normalize_phone(raw: str) -> str:
    """Parse an Indonesian phone number (08xx or +62) and return it in E.164."""
    try:
        parsed = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise IdentityError("phone number is not a valid number") from None
    if parsed.country_code != 62:
        raise IdentityError("phone number must be an Indonesian number (+62 or 08…)")
    if not phonenumbers.is_valid_number(parsed):
        raise IdentityError("phone number is not a valid Indonesian number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_email(raw: str) -> str:
    value = raw.strip()
    local, sep, domain = value.rpartition("@")
    if not sep or not local or "." not in domain or " " in value or len(value) > 254:
        raise IdentityError("e-mail address is not valid")
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise IdentityError("e-mail address is not valid")
    return value
