"""Meta's error codes turned into what the pipeline needs: retry or not, and words a hotelier reads."""

from __future__ import annotations

from typing import Any

from domain.errors import ProviderFailure

# code -> (retryable, human reason)
_CODES: dict[int, tuple[bool, str]] = {
    131047: (False, "More than 24 hours have passed since the guest last wrote: send an approved template."),
    131026: (False, "The message could not be delivered: the number may not use WhatsApp or has an old app."),
    130429: (True, "WhatsApp's sending rate limit for this number was reached."),
    131056: (True, "Too many messages to this guest in a short time."),
    131048: (False, "WhatsApp limited this number for spam: sending is paused."),
    131049: (False, "WhatsApp did not deliver this marketing message to keep engagement healthy; wait 24 hours."),
    131050: (False, "The guest stopped marketing messages from this business."),
    132000: (False, "The template's parameters do not match its variables."),
    132001: (False, "The template does not exist in this language or is not approved."),
    132005: (False, "The template text is too long once filled in."),
    132007: (False, "The template breaks WhatsApp's content policy."),
    132012: (False, "A template parameter has the wrong format."),
    132015: (False, "The template is paused by WhatsApp because of low quality."),
    132016: (False, "The template is disabled by WhatsApp."),
    190: (False, "The WhatsApp access token has expired or is invalid: reconnect WhatsApp."),
    0: (False, "WhatsApp refused the credentials: reconnect WhatsApp."),
    3: (False, "The WhatsApp app lacks the capability for this call."),
    10: (False, "Permission denied by WhatsApp for this number."),
    4: (True, "The WhatsApp app's API call limit was reached."),
    80007: (True, "The WhatsApp Business Account's rate limit was reached."),
    368: (False, "WhatsApp temporarily blocked this number for policy violations."),
    131031: (False, "The WhatsApp Business Account is locked."),
    131000: (True, "WhatsApp had an unknown error."),
    131016: (True, "WhatsApp is temporarily unavailable."),
    135000: (True, "WhatsApp had a generic error."),
    131030: (False, "This number is not in the allowed list of the test WhatsApp account."),
    131042: (False, "WhatsApp refused the send because of a payment method problem on the account."),
    131051: (False, "This message type is not supported."),
}


def reason_for(code: int, fallback: str = "WhatsApp refused the message.") -> tuple[bool, str]:
    if code in _CODES:
        return _CODES[code]
    if 200 <= code <= 299:
        return False, "The WhatsApp app lacks the API permission for this call."
    return False, fallback


def failure_from_error(
    error: dict[str, Any], http_status: int | None, retry_after: float | None = None
) -> ProviderFailure:
    """Build the failure from Meta's envelope; key on `code`, not on the HTTP status (Meta's advice)."""
    code = int(error.get("code", -1))
    details = (error.get("error_data") or {}).get("details") or error.get("message") or ""
    if code in _CODES or 200 <= code <= 299:
        retryable, reason = reason_for(code)
    else:
        retryable = bool(error.get("is_transient")) or (http_status is not None and http_status >= 500)
        reason = details or "WhatsApp refused the message."
    return ProviderFailure(
        code=f"whatsapp_{code}",
        reason=reason,
        retryable=retryable,
        retry_after_seconds=retry_after,
        provider_status=http_status,
        details={"provider_message": str(details)[:500]},
    )
