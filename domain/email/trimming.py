"""What the guest actually wrote: the reply without the quoted history and without the signature.

Mail clients quote the message replied to under an attribution line ("On … wrote:", "Le … a écrit :"),
a separator ("-----Original Message-----") or an Outlook header block ("From: … Sent: … To: …"), and
often add a signature ("-- ", "Sent from my iPhone"). The inbox shows the reply alone; the full text
is kept with the message.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE | re.DOTALL
# an attribution carries a date or a time, so it always holds a digit: that keeps "On Monday I wrote:" out
_ATTRIBUTIONS = [
    re.compile(r"^\s*On\s(?=.*\d).{0,400}\bwrote\s*:\s*$", _FLAGS),
    re.compile(r"^\s*Le\s(?=.*\d).{0,400}\ba\s+écrit\s*:\s*$", _FLAGS),
    re.compile(r"^\s*Am\s(?=.*\d).{0,400}\bschrieb\b.{0,200}:\s*$", _FLAGS),
    re.compile(r"^\s*El\s(?=.*\d).{0,400}\bescribió\s*:\s*$", _FLAGS),
    re.compile(r"^\s*Il\s(?=.*\d).{0,400}\bha\s+scritto\s*:\s*$", _FLAGS),
]
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(Original Message|Message d'origine|Original message|Message original|Forwarded message"
    r"|Message transféré|Ursprüngliche Nachricht|Mensaje original|Messaggio originale)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_HEADER_FROM = re.compile(r"^\s*\*?(From|De|Von|Da)\s*\*?\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|Envoyé|Gesendet|Enviado|Inviato|To|À|A|An|Para|Cc|Subject|Objet|Betreff|Asunto|Oggetto)"
    r"\s*\*?\s*:",
    re.IGNORECASE,
)
_SIGNATURE_DELIMITER = re.compile(r"^-- ?$")
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(Sent from my \S.*|Sent from (Mail|Outlook|Yahoo Mail|Gmail)\b.*|Get Outlook for \S.*"
    r"|Envoyé (de|depuis) mon \S.*|Envoyé à partir de \S.*|Obtenir Outlook pour \S.*"
    r"|Von meinem \S.* gesendet|Enviado desde mi \S.*|Inviato da \S.*)\s*$",
    re.IGNORECASE,
)
_MOBILE_TAIL = 2  # a mobile signature line cuts only when at most this many non-blank lines follow it


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _blank(lines: list[str]) -> bool:
    return all(not line.strip() for line in lines)


def _outlook_block(lines: list[str], at: int) -> bool:
    if not _HEADER_FROM.match(lines[at]):
        return False
    following = [line for line in lines[at + 1 : at + 6] if line.strip()]
    return sum(1 for line in following if _HEADER_NEXT.match(line)) >= 2


def _history_start(lines: list[str]) -> tuple[int, int] | None:
    """(first line of the quoted history, how many lines its attribution spans), or None."""
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        for span in (1, 2, 3):  # Gmail wraps long attributions over two or three lines
            joined = " ".join(part.strip() for part in lines[i : i + span])
            if any(pattern.match(joined) for pattern in _ATTRIBUTIONS):
                return i, span
        if _SEPARATOR.match(line) or _outlook_block(lines, i):
            return i, 1
        if _UNDERSCORES.match(line):
            rest = [j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()]
            if rest and _outlook_block(lines, rest[0]):
                return i, 1
    return None


def _without_trailing_quotes(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and (not lines[end - 1].strip() or _quoted(lines[end - 1])):
        end -= 1
    return lines[:end]


def _without_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _SIGNATURE_DELIMITER.match(line.rstrip("\n")):
            return lines[:i]
    for i, line in enumerate(lines):
        short_tail = sum(1 for rest in lines[i + 1 :] if rest.strip()) <= _MOBILE_TAIL
        if short_tail and len(line.strip()) <= 60 and _MOBILE_SIGNATURE.match(line):
            return lines[:i]
    return lines


def trim_reply(text: str) -> str:
    """The reply alone; the whole text (stripped) when trimming would leave nothing."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _history_start(lines)
    if start is not None:
        at, span = start
        reply = lines[:at]
        if _blank(reply):
            # bottom-posting: the attribution and quotes come first, the answer below them
            reply = [line for line in lines[at + span :] if not _quoted(line)]
        lines = reply
    lines = _without_signature(_without_trailing_quotes(lines))
    trimmed = "\n".join(line.rstrip() for line in lines).strip()
    return re.sub(r"\n{3,}", "\n\n", trimmed) or text.strip()
