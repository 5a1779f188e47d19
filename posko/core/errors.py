"""Errors the domain raises; their texts are message ids of the catalogue."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path in the input, e.g. "reporter.nik"
    message: str  # msgid, English, with {placeholders}
    # dataclasses.field: the attribute `field` above shadows the bare name.
    params: dict[str, object] = dataclasses.field(default_factory=dict)
    # A doubt, not a refusal: the input key that accepts the value as typed
    # once a person has checked it (e.g. "reporter.nik_confirmed").
    confirm: str | None = None

    def text(self) -> str:
        return self.message.format(**self.params)


class PoskoError(Exception):
    """Base of every error a user may see; `message` is a msgid with params."""

    exit_code = 1

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


class ValidationFailed(PoskoError):
    """Input that cannot be accepted; one error per bad field."""

    exit_code = 2

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("invalid input: {fields}", fields=", ".join(e.field for e in errors))
        self.errors = errors


class InvalidInput(PoskoError):
    exit_code = 2


class FieldRefused(InvalidInput):
    """Input refused because of one field (a form shows it at that field)."""

    def __init__(self, message: str, *, field: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field  # dotted path, as in FieldError


def cannot_write(path: str, error: OSError) -> InvalidInput:
    """A file the user asked for could not be written, in the system's words."""
    return InvalidInput(
        "cannot write {path}: {error}", path=path, error=error.strerror or str(error)
    )


class DutyRefused(PoskoError):
    """Refused by a duty rule: the desk is closed or the officer is not on duty."""

    exit_code = 3


class NotFound(PoskoError):
    exit_code = 1


class PermissionDenied(PoskoError):
    exit_code = 3
