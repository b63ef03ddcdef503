"""Does a text ask the guest for data that WhatsApp forbids businesses to request?

Meta's policy forbids *requesting* payment card numbers, financial account numbers, national identifiers and
passwords; mentioning them is fine ("passport control is next to the lobby", "your Wi-Fi password is {{1}}").
The heuristic therefore looks for a request, in English or French, within one sentence:
- a precise identifier ("card number", "CVV", "IBAN", "numéro de passeport"…) after a possessive addressed to
  the guest ("your", "votre", "vos"…) or after a request verb ("send", "reply with", "indiquez"…);
- a broader word ("password", "PIN", "passport", "mot de passe", "passeport"…) after a request verb AND a
  possessive: "send us a photo of your passport", "répondez avec votre code PIN".
It over-flags "we never ask for your card number", which Meta's reviewers may flag as well.
"""

from __future__ import annotations

import re

_POSSESSIVE = r"(?:your|votre|vos|ton|ta|tes)"
_REQUEST = (
    r"(?:send|share|provide|give|enter|type|tell|confirm|submit|upload|forward|reply\s+with|respond\s+with"
    r"|what\s+is|what['’]s|envoie[rz]?|envoye[rz]|partage[rz]|fourni(?:r|ssez)|donne[rz]|indique[rz]"
    r"|communique[rz]|transmet(?:tre|tez)|saisi(?:r|ssez)|confirme[rz]|renseigne[rz]|tape[rz]|entre[rz]"
    r"|r[ée]pond(?:re|ez)\s+avec|quel(?:le)?\s+est)"
)
_PRECISE = (
    r"(?:credit\s+|debit\s+|bank\s+)?card\s+(?:number|details|info(?:rmation)?|expiry(?:\s+date)?"
    r"|security\s+code|verification\s+code)"
    r"|cvv2?|cvc2?|passport\s+(?:number|details)|(?:national\s+)?(?:id|identity|identification)\s+(?:card\s+)?number"
    r"|social\s+security\s+number|ssn|national\s+insurance\s+number"
    r"|bank\s+(?:account|details)|account\s+number|iban|sort\s+code|routing\s+number"
    r"|num[ée]ro\s+de\s+(?:carte|compte|passeport|s[ée]curit[ée]\s+sociale)|cryptogramme(?:\s+visuel)?"
    r"|date\s+d['’]expiration\s+de\s+(?:la\s+|votre\s+)?carte|(?:coordonn[ée]es|donn[ée]es|informations)\s+bancaires"
    r"|rib"
)
_BROAD = (
    r"password|passcode|pin(?:\s+code)?|mot\s+de\s+passe|code\s+(?:pin|secret|confidentiel)"
    r"|passport|passeport|(?:id|identity)\s+card|driving\s+licen[cs]e|driver['’]?s\s+license"
    r"|carte\s+d['’]identit[ée]|pi[èe]ce\s+d['’]identit[ée]|permis\s+de\s+conduire"
)
_FEW_WORDS = r"(?:[\w'’-]+\s+){0,3}?"  # "your full card number", "votre nouveau numéro de carte"
_SAME_SENTENCE = r"[^.!?\n]{0,60}?"

_ASKS_PRECISE = re.compile(
    rf"\b(?:{_POSSESSIVE}\s+{_FEW_WORDS}|{_REQUEST}\b{_SAME_SENTENCE}\b)(?:{_PRECISE})\b", re.IGNORECASE
)
_ASKS_BROAD = re.compile(rf"\b{_REQUEST}\b{_SAME_SENTENCE}\b{_POSSESSIVE}\s+{_FEW_WORDS}(?:{_BROAD})\b", re.IGNORECASE)


def sensitive_requests(text: str | None) -> list[str]:
    """The phrases of `text` that ask for sensitive data, as written."""
    found: list[re.Match[str]] = []
    for pattern in (_ASKS_PRECISE, _ASKS_BROAD):
        # "provide your passport number" also reads as "provide your passport": report the request once
        found += [match for match in pattern.finditer(text or "") if not any(_overlap(match, f) for f in found)]
    return [match.group(0) for match in found]


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()
