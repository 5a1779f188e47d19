"""Identity numbers and contact details of Indonesian citizens."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import phonenumbers

from posko.core.regions import PROVINCE_CODE, RegionIndex


class IdentityError(ValueError):
    """A value that cannot be an identity number or contact; the message is a msgid."""


def check_nik(nik: str, *, today: date, provinces: Collection[str]) -> str:
    """Validate a NIK: 16 digits, an existing province, a plausible date of birth.

    NIK = province(2) kota(2) kecamatan(2) DDMMYY(6, women add 40 to DD) serial(4).
    The province must be one of Kemendagri's (`provinces`, two-digit codes);
    kota and kecamatan codes are checked for shape only here: a citizen
    registered outside Jakarta may still complain here (a Jakarta NIK's codes
    are looked up by `nik_region_doubt`).
    """
    digits = "".join(nik.split())
    if not digits.isdigit() or len(digits) != 16:
        raise IdentityError("NIK must have exactly 16 digits")
    if digits[0:2] not in provinces:
        raise IdentityError("NIK does not start with a province code of Indonesia")
    if int(digits[2:4]) == 0 or int(digits[4:6]) == 0:
        raise IdentityError("NIK does not start with a valid region code")
    if birth_date(digits, today=today) is None:
        raise IdentityError("NIK does not hold a valid date of birth")
    if digits[12:16] == "0000":
        raise IdentityError("NIK serial number cannot be 0000")
    return digits


def birth_date(digits: str, *, today: date) -> date | None:
    """The date of birth in a NIK's DDMMYY, or None if there is none.

    Two digits of year: the latest century that does not put the birth after
    today, so 151226 read on 30 November 2026 is 15 December 1926 (a
    99-year-old), not a birth three weeks ahead.
    """
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            return None
        if born <= today:
            return born
    return None


def nik_region_doubt(digits: str, regions: RegionIndex) -> tuple[str, str] | None:
    """A Jakarta NIK (31…) whose kota or kecamatan code does not exist:
    ("kota", "31.76") or ("kecamatan", "31.71.99"); None when it is fine or
    not a Jakarta NIK. Codes change and cards outlive them, so this is a
    doubt for the officer to confirm, not a refusal."""
    if digits[0:2] != PROVINCE_CODE:
        return None
    kota = f"{digits[0:2]}.{digits[2:4]}"
    region = regions.get(kota)
    if region is None or region.level != "kota":
        return ("kota", kota)
    kecamatan = regions.kecamatan_code_of_nik(digits)
    region = regions.get(kecamatan)
    if region is None or region.level != "kecamatan":
        return ("kecamatan", kecamatan)
    return None


def normalize_phone(raw: str) -> str:
    """Parse an Indonesian phone number (08xx, (021) …, +62 or 62 …) and return it in E.164.

    "62 21 3822255" is Jakarta's +62 21 3822255 written without the plus, not
    a Pematangsiantar (0622) number: digits that start with 62 and no trunk 0
    are read with the country code first, when that makes a valid number.
    """
    try:
        parsed = phonenumbers.parse(raw, "ID")
        digits = "".join(c for c in raw if c.isdigit())
        if raw.strip().startswith("62") and len(digits) >= 9:
            international = phonenumbers.parse("+" + digits, None)
            if phonenumbers.is_valid_number(international):
                parsed = international
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


def area_code(e164: str) -> str | None:
    """The area code of an Indonesian landline ("21" for +62213822255); None for a
    mobile number (+62 8…) or anything that is not an Indonesian number."""
    if not e164.startswith("+62") or e164.startswith("+628"):
        return None
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    length = phonenumbers.length_of_geographical_area_code(parsed)
    return e164[3 : 3 + length] if length else None
