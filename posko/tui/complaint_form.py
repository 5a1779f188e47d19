"""The intake form's fields and the service's input: a pure mapping, no Textual.

The form is checked with the service's own rules (core.complaint_input's
validate_complaint, on the same document the service will get), plus the two
things only a form can get wrong: a queue number that is not a number, and a
picker whose typed text matches no option (never dropped, never guessed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from posko.core.complaint_input import validate_complaint
from posko.core.errors import ValidationFailed
from posko.core.regions import RegionIndex

# field name -> (path in the service's input and errors, label msgid); in form order
FIELDS: dict[str, tuple[str, str]] = {
    "queue": ("queue_number", "Queue number"),
    "anonymous": ("reporter.anonymous", "Anonymous"),
    "confidential": ("reporter.confidential", "Confidential"),
    "priority": ("priority", "Priority lane"),
    "name": ("reporter.name", "Name"),
    "nik": ("reporter.nik", "NIK (16 digits)"),
    "phone": ("reporter.phone", "Phone"),
    "email": ("reporter.email", "E-mail"),
    "address": ("reporter.address", "Reporter's address"),
    "contact": ("contact.channel", "Status messages by"),
    "category": ("category", "Category"),
    "description": ("description", "Complaint"),
    "kota": ("location.kota", "Kota / kabupaten"),
    "kecamatan": ("location.kecamatan", "Kecamatan"),
    "kelurahan": ("location.kelurahan", "Kelurahan"),
    "location": ("location.address", "Place"),
}
BY_PATH = {path: name for name, (path, _label) in FIELDS.items()} | {"contact.consent": "contact"}
IDENTITY = ("name", "nik", "phone", "email", "address")
SWITCHES = ("anonymous", "confidential", "priority")
PICKERS = ("contact", "category", "kota", "kecamatan", "kelurahan")  # type to search
# The channels a citizen may consent to status messages by; empty: no consent.
CONTACT_OPTIONS = (("SMS", "sms"), ("WhatsApp (WA)", "whatsapp"), ("E-mail", "email"))
TEXTS = ("queue", *IDENTITY, "location")


@dataclass(frozen=True)
class FormValues:
    """What the form shows: texts as typed, pickers as the option they match."""

    queue: str = ""
    anonymous: bool = False
    confidential: bool = False
    priority: bool = False
    name: str = ""
    nik: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    contact: str | None = None  # the channel the citizen agreed to status messages by
    category: str | None = None
    description: str = ""
    kota: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    location: str = ""
    unmatched: frozenset[str] = field(default_factory=frozenset)  # pickers with unknown text

    def as_draft(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "unmatched"}

    @classmethod
    def from_draft(cls, saved: dict[str, Any]) -> FormValues:
        """A draft file as form values; anything of the wrong type is left out."""
        values: dict[str, Any] = {}
        for name in (*TEXTS, "description"):
            if isinstance(saved.get(name), str):
                values[name] = saved[name]
        for name in SWITCHES:
            values[name] = bool(saved.get(name))
        for name in PICKERS:
            if isinstance(saved.get(name), str):
                values[name] = saved[name]
        return cls(**values)

    @property
    def typed_anything(self) -> bool:
        return any((*(getattr(self, n) for n in (*IDENTITY, "location")), self.description))


@dataclass(frozen=True)
class Problem:
    """One field's error: where (a form field), and the message id with its parameters."""

    field: str
    message: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)
    # A doubt, not a refusal: the input key that saves the value as typed once the
    # officer has checked it (a Jakarta NIK whose kota does not exist).
    confirm: str | None = None


def queue_number(values: FormValues) -> int | None:
    """The queue number typed (None: the service hands out a new one)."""
    text = values.queue.strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


def service_input(values: FormValues, confirmed: Collection[str] = ()) -> dict[str, Any]:
    """The service's input document (as `posko complaint add` takes it); empty fields left out.

    `confirmed`: the input keys of doubts the officer confirmed ("reporter.nik_confirmed").
    """
    reporter: dict[str, Any] = {"anonymous": values.anonymous, "confidential": values.confidential}
    if not values.anonymous:  # an anonymous reporter leaves no identity, whatever was typed
        reporter.update(
            {
                name: getattr(values, name).strip()
                for name in IDENTITY
                if getattr(values, name).strip()
            }
        )
    location = {
        key: value
        for key, value in (
            ("kota", values.kota),
            ("kecamatan", values.kecamatan),
            ("kelurahan", values.kelurahan),
            ("address", values.location.strip()),
        )
        if value
    }
    data: dict[str, Any] = {
        "reporter": reporter,
        "category": values.category or "",
        "description": values.description,
        "location": location,
        "priority": values.priority,
    }
    if values.contact and not values.anonymous:
        data["contact"] = {"consent": True, "channel": values.contact}
    for key in confirmed:
        section, _dot, name = key.partition(".")
        data[section][name] = True
    return data


def form_problems(values: FormValues) -> list[Problem]:
    """What only a form can get wrong: a queue number that is no number, unmatched picker text."""
    problems = []
    text = values.queue.strip()
    if text and queue_number(values) is None:
        problems.append(Problem("queue", "must be a whole number"))
    for name in PICKERS:
        if name in values.unmatched:
            problems.append(Problem(name, "not in the list; choose one of its options"))
    return problems


def problems_of(error: ValidationFailed) -> list[Problem]:
    """The service's refusal, field by field (a path the form has no field for goes to `form`)."""
    return [
        Problem(BY_PATH.get(e.field, "form"), e.message, e.params, e.confirm) for e in error.errors
    ]


def check(
    values: FormValues,
    *,
    regions: RegionIndex,
    categories: set[str],
    provinces: Collection[str],
    today: date,
    confirmed: Collection[str] = (),
) -> list[Problem]:
    """Every problem of the form, in form order, by the service's rules; [] if it can be saved."""
    problems = form_problems(values)
    try:
        validate_complaint(
            service_input(values, confirmed),
            regions=regions,
            categories=categories,
            provinces=provinces,
            today=today,
        )
    except ValidationFailed as error:
        # A picker with unknown text already says so; "is required" would only repeat it.
        problems += [p for p in problems_of(error) if p.field not in values.unmatched]
    order = list(FIELDS)
    return sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order))
