"""Twilio's error codes in the words a hotelier reads, and whether retrying can help."""

from __future__ import annotations

_CODES: dict[int, tuple[bool, str]] = {
    21211: (False, "The guest's phone number is not valid for SMS."),
    21610: (False, "The guest replied STOP: SMS to them are blocked until they reply START."),
    21408: (False, "SMS to this country are not enabled on the Twilio account (geo permissions)."),
    21608: (False, "The Twilio trial account can only send to verified numbers."),
    21606: (False, "The sender number cannot send SMS."),
    21614: (False, "The guest's number cannot receive SMS."),
    21612: (False, "Twilio cannot route SMS to this number."),
    21635: (False, "The guest's number is a landline."),
    20003: (False, "Twilio refused the credentials: check the Account SID and auth token."),
    20429: (True, "Twilio is rate limiting requests."),
    30003: (False, "The guest's phone is unreachable."),
    30005: (False, "The destination number is unknown."),
    30006: (False, "The number is a landline or its carrier is unreachable."),
    30007: (False, "The carrier filtered the message as spam."),
    30008: (False, "Delivery failed for an unknown reason."),
}


def reason_for(code: int | None, fallback: str = "Twilio refused the message.") -> tuple[bool, str]:
    if code is not None and code in _CODES:
        return _CODES[code]
    return False, fallback
