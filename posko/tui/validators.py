"""Textual validators wrapping the same rules the intake service applies."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from textual.validation import ValidationResult, Validator

from posko.core.identity import IdentityError, check_email, check_nik, normalize_phone
from posko.i18n import _


class IdentityRule(Validator):
    """An empty value passes (the field is optional); otherwise the core rule decides."""

    def __init__(self, check: Callable[[str], str]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            self.check(value)
        except IdentityError as error:
            return self.failure(_(str(error)))
        return self.success()


def nik_rule(today: date, provinces: Collection[str]) -> IdentityRule:
    return IdentityRule(lambda value: check_nik(value, today=today, provinces=provinces))


def phone_rule() -> IdentityRule:
    return IdentityRule(normalize_phone)


def email_rule() -> IdentityRule:
    return IdentityRule(check_email)


class QueueNumber(Validator):
    """Empty (the service hands out a new number) or a whole number from 1."""

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text or (text.isdigit() and int(text) >= 1):
            return self.success()
        return self.failure(_("must be a whole number"))
