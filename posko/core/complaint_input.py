"""Validation of a walk-in citizen's complaint, field by field."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from posko.core.errors import FieldError, ValidationFailed
from posko.core.identity import (
    IdentityError,
    check_email,
    check_nik,
    nik_region_doubt,
    normalize_phone,
)
from posko.core.regions import RegionIndex
from posko.core.text import clean_text

NAME_MAX = 100
ADDRESS_MAX = 300
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 4000
# DKI Jakarta, Kepulauan Seribu included, with a small margin.
LAT_RANGE = (-6.40, -5.10)
LON_RANGE = (106.35, 107.00)

_REPORTER_FIELDS = {
    "name",
    "nik",
    "nik_confirmed",  # the officer checked a NIK whose Jakarta region codes do not exist
    "phone",
    "email",
    "address",
    "anonymous",
    "confidential",
}
NIK_CONFIRMED = "reporter.nik_confirmed"
_LOCATION_FIELDS = {"kota", "kecamatan", "kelurahan", "address", "lat", "lon"}
_TOP_FIELDS = {"reporter", "category", "description", "location", "priority", "contact"}
_CONTACT_FIELDS = {"consent", "channel"}
# The channels a citizen may agree to be told of status changes through.
CONTACT_CHANNELS = ("sms", "whatsapp", "email")


@dataclass(frozen=True)
class Reporter:
    name: str | None = None
    nik: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None
    address: str | None = None
    anonymous: bool = False
    confidential: bool = False


@dataclass(frozen=True)
class Location:
    kota: str
    kecamatan: str | None = None
    kelurahan: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class ComplaintInput:
    reporter: Reporter
    category: str
    description: str
    location: Location
    priority: bool = False
    # The channel the citizen agreed to be contacted through; None: no consent.
    contact_channel: str | None = None


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, path: str, message: str, **params: object) -> None:
        self.errors.append(FieldError(path, message, params))

    def doubt(self, path: str, message: str, confirm: str, **params: object) -> None:
        """A doubt, not a refusal: the input key `confirm` accepts the value as typed."""
        self.errors.append(FieldError(path, message, params, confirm))

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, limit: int, multiline: bool = False
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(path, "must be text")
            return None
        cleaned = clean_text(value, multiline=multiline)
        if len(cleaned) > limit:
            self.add(path, "must be at most {limit} characters", limit=limit)
            return None
        return cleaned or None

    def flag(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(path, "must be true or false")
            return False
        return value

    def unknown(self, data: Mapping[str, Any], known: set[str], prefix: str) -> None:
        for key in sorted(set(data) - known, key=str):
            self.add(f"{prefix}{key}", "is not a known field")

    def mapping(self, data: Mapping[str, Any], key: str, *, required: bool) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "is required")
            return {}
        if not isinstance(value, Mapping):
            self.add(key, "must be an object")
            return {}
        return value


def description_problem(text: str) -> tuple[str, dict[str, object]] | None:
    """The description's rule: (message id, parameters) of what is wrong, or None.

    The intake form shows it while the text is typed; validate_complaint applies it.
    """
    cleaned = clean_text(text, multiline=True)
    if not cleaned:
        return ("is required", {})
    if len(cleaned) > DESCRIPTION_MAX:
        return ("must be at most {limit} characters", {"limit": DESCRIPTION_MAX})
    if len(cleaned) < DESCRIPTION_MIN:
        return ("must be at least {minimum} characters", {"minimum": DESCRIPTION_MIN})
    return None


def validate_complaint(
    data: object,
    *,
    regions: RegionIndex,
    categories: set[str],
    provinces: Collection[str],
    today: date,
) -> ComplaintInput:
    """Check every field; raise ValidationFailed naming each bad one."""
    c = _Collector()
    if not isinstance(data, Mapping):
        raise ValidationFailed([FieldError("complaint", "must be a JSON object")])
    c.unknown(data, _TOP_FIELDS, "")
    reporter = _reporter(c, c.mapping(data, "reporter", required=False), today, regions, provinces)
    category = data.get("category")
    if category is None or category == "":
        c.add("category", "is required")
    elif not isinstance(category, str) or category not in categories:
        c.add("category", "is not a known category: {value}", value=clean_text(str(category))[:40])
    raw = data.get("description")
    description = None
    if raw is not None and not isinstance(raw, str):
        c.add("description", "must be text")
    elif (problem := description_problem(raw or "")) is not None:
        c.add("description", problem[0], **problem[1])
    else:
        description = clean_text(raw or "", multiline=True)
    location = _location(c, c.mapping(data, "location", required=True), regions)
    priority = c.flag(data, "priority", "priority")
    contact = _contact(c, c.mapping(data, "contact", required=False), reporter)
    if c.errors:
        raise ValidationFailed(c.errors)
    assert location is not None and isinstance(category, str) and description is not None
    return ComplaintInput(reporter, category, description, location, priority, contact)


def _contact(c: _Collector, data: Mapping[str, Any], reporter: Reporter) -> str | None:
    """The channel the citizen consented to, checked against the contact they gave."""
    c.unknown(data, _CONTACT_FIELDS, "contact.")
    if not c.flag(data, "consent", "contact.consent"):
        return None
    channel = data.get("channel")
    if channel not in CONTACT_CHANNELS:
        c.add("contact.channel", "must be one of: {known}", known=", ".join(CONTACT_CHANNELS))
        return None
    if reporter.anonymous:
        c.add("contact.consent", "an anonymous reporter leaves no contact to send messages to")
        return None
    if channel == "email" and reporter.email is None:
        c.add("contact.channel", "messages by e-mail need the reporter's e-mail")
        return None
    if channel != "email" and reporter.phone is None:
        c.add("contact.channel", "messages by SMS or WhatsApp need the reporter's phone number")
        return None
    return str(channel)


def _reporter(
    c: _Collector,
    data: Mapping[str, Any],
    today: date,
    regions: RegionIndex,
    provinces: Collection[str],
) -> Reporter:
    c.unknown(data, _REPORTER_FIELDS, "reporter.")
    anonymous = c.flag(data, "anonymous", "reporter.anonymous")
    confidential = c.flag(data, "confidential", "reporter.confidential")
    if anonymous:
        # An anonymous reporter leaves no identity at all, whatever was typed.
        return Reporter(anonymous=True)
    name = c.text(data, "name", "reporter.name", limit=NAME_MAX)
    if name is None and not any(e.field == "reporter.name" for e in c.errors):
        c.add("reporter.name", "is required unless the reporter is anonymous")
    nik = _identity(c, data, "nik", lambda v: check_nik(v, today=today, provinces=provinces))
    confirmed = c.flag(data, "nik_confirmed", NIK_CONFIRMED)
    doubt = nik_region_doubt(nik, regions) if nik else None
    if doubt is not None and not confirmed:
        level, code = doubt
        if level == "kota":
            c.doubt(
                "reporter.nik",
                "the NIK names kota/kabupaten {code}, which does not exist in DKI Jakarta; "
                "check it against the ID card and confirm it if it is right",
                NIK_CONFIRMED,
                code=code,
            )
        else:
            c.doubt(
                "reporter.nik",
                "the NIK names kecamatan {code}, which does not exist in {kota}; "
                "check it against the ID card and confirm it if it is right",
                NIK_CONFIRMED,
                code=code,
                kota=regions.label(code[:5]),
            )
    phone = _identity(c, data, "phone", normalize_phone)
    email = _identity(c, data, "email", check_email)
    address = c.text(data, "address", "reporter.address", limit=ADDRESS_MAX)
    if (
        phone is None
        and email is None
        and not any(e.field in ("reporter.phone", "reporter.email") for e in c.errors)
    ):
        c.add("reporter.phone", "a phone number or e-mail is needed to reach the reporter")
    return Reporter(name, nik, phone, email, address, False, confidential)


def _identity(c: _Collector, data: Mapping[str, Any], key: str, check: Any) -> str | None:
    raw = c.text(data, key, f"reporter.{key}", limit=ADDRESS_MAX)
    if raw is None:
        return None
    try:
        return check(raw)
    except IdentityError as error:
        c.add(f"reporter.{key}", str(error))
        return None


def _location(c: _Collector, data: Mapping[str, Any], regions: RegionIndex) -> Location | None:
    c.unknown(data, _LOCATION_FIELDS, "location.")
    codes: dict[str, str | None] = {}
    for key in ("kota", "kecamatan", "kelurahan"):
        value = data.get(key)
        if value in (None, ""):
            codes[key] = None
        elif not isinstance(value, str):
            c.add(f"location.{key}", "must be a region code")
            codes[key] = None
        else:
            codes[key] = value.strip()
    kota, kecamatan, kelurahan = codes["kota"], codes["kecamatan"], codes["kelurahan"]
    ok = True
    kota_region = regions.get(kota) if kota else None
    if kota is None:
        if "location.kota" not in {e.field for e in c.errors}:
            c.add("location.kota", "is required to route the complaint")
        ok = False
    elif kota_region is None or kota_region.level != "kota":
        c.add(
            "location.kota",
            "is not a kota/kabupaten code of DKI Jakarta: {value}",
            value=clean_text(kota)[:20],
        )
        ok = False
    if kecamatan is not None:
        region = regions.get(kecamatan)
        if region is None or region.level != "kecamatan":
            c.add(
                "location.kecamatan",
                "is not a kecamatan code: {value}",
                value=clean_text(kecamatan)[:20],
            )
            ok = False
        elif ok and kota is not None and region.parent_code != kota:
            c.add(
                "location.kecamatan",
                "{value} does not lie in {kota}",
                value=regions.label(kecamatan),
                kota=regions.label(kota),
            )
            ok = False
    if kelurahan is not None:
        region = regions.get(kelurahan)
        if region is None or region.level != "kelurahan":
            c.add(
                "location.kelurahan",
                "is not a kelurahan code: {value}",
                value=clean_text(kelurahan)[:20],
            )
        elif kecamatan is not None and region.parent_code != kecamatan:
            c.add(
                "location.kelurahan",
                "{value} does not lie in {kecamatan}",
                value=regions.label(kelurahan),
                kecamatan=regions.label(kecamatan),
            )
        elif kota is not None and not regions.is_within(kelurahan, kota):
            c.add(
                "location.kelurahan",
                "{value} does not lie in {kota}",
                value=regions.label(kelurahan),
                kota=regions.label(kota),
            )
    address = c.text(data, "address", "location.address", limit=ADDRESS_MAX)
    lat, lon = _coordinate(c, data, "lat", LAT_RANGE), _coordinate(c, data, "lon", LON_RANGE)
    if (lat is None) != (lon is None) and not any(
        e.field in ("location.lat", "location.lon") for e in c.errors
    ):
        c.add("location.lat", "latitude and longitude go together")
    if kota is None:
        return None
    return Location(kota, kecamatan, kelurahan, address, lat, lon)


def _coordinate(
    c: _Collector, data: Mapping[str, Any], key: str, bounds: tuple[float, float]
) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        c.add(f"location.{key}", "must be a number")
        return None
    if not bounds[0] <= float(value) <= bounds[1]:
        c.add(f"location.{key}", "lies outside DKI Jakarta")
        return None
    return float(value)
