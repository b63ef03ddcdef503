"""Guest contact details normalised once, so the same person is found whatever the spelling."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.errors import FieldProblem


class ContactError(ValueError):
    def __init__(self, problem: FieldProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def normalize_phone(raw: str, default_region: str | None, field: str = "phone") -> str:
    """E.164 form of a phone number; national numbers are read in the property's country."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else (default_region or None))
    except phonenumbers.NumberParseException as exc:
        raise ContactError(FieldProblem(field, "invalid_phone", f"'{raw}' is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ContactError(FieldProblem(field, "invalid_phone", f"'{raw}' is not a valid phone number."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str, field: str = "email") -> str:
    """Lower-cased, syntax-checked e-mail address (no DNS look-up: guests' domains may be offline)."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ContactError(FieldProblem(field, "invalid_email", f"'{raw}' is not a valid e-mail address.")) from exc
    return result.normalized.lower()


def phone_region(e164: str) -> str | None:
    """ISO country of a number, used to price messages by destination."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
