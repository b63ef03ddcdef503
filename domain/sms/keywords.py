"""The opt-out keywords carriers and Twilio honour, recognised so the product honours them too."""

from __future__ import annotations

from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


# Twilio's default keyword lists, plus the French "ARRET" hotels in France will see
_WORDS = {
    Keyword.STOP: {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"},
    Keyword.START: {"START", "YES", "UNSTOP"},
    Keyword.HELP: {"HELP", "INFO"},
}


def keyword_of(body: str) -> Keyword | None:
    """A keyword counts only as the whole message (ignoring case, spaces and a final full stop)."""
    word = body.strip().rstrip(".!").strip().upper()
    return next((kw for kw, words in _WORDS.items() if word in words), None)
