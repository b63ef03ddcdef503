"""Trimming real replies to what the guest wrote: Gmail (en, fr), Outlook, Apple Mail, plain, signatures."""

from __future__ import annotations

import pytest

from domain.email.trimming import trim_reply

GMAIL_EN = """Thanks, we'll arrive around 6pm.

On Mon, 15 Jun 2026 at 10:00, Hôtel des Tilleuls <
reply+abcdefghijklmnopqrstuvwxyz234567abcdefghij@reply.hotel.test> wrote:

> Dear Camille,
>
> Your room is ready from 3pm. Let us know when you arrive.
>
> Hôtel des Tilleuls
>
"""

GMAIL_FR = """Bonjour,

Nous arriverons vers 18 h, avec un chien.
Merci !

Le lun. 15 juin 2026 à 10:00, Hôtel des Tilleuls <contact@hotel.test> a\u00a0écrit\u00a0:

> Bonjour Camille,
>
> Votre chambre sera prête à partir de 15 h.
"""

OUTLOOK_EN = """Yes, please book a table for two at 8pm.

Best regards,
Camille

________________________________
From: Hôtel des Tilleuls <contact@hotel.test>
Sent: Monday, June 15, 2026 10:00 AM
To: Camille Durand <camille@example.com>
Subject: Your stay at Hôtel des Tilleuls

Dear Camille,
Would you like us to book the restaurant?
"""

OUTLOOK_FR = """Oui, merci beaucoup.

De : Hôtel des Tilleuls <contact@hotel.test>
Envoyé : lundi 15 juin 2026 10:00
À : Camille Durand <camille@example.com>
Objet : Votre séjour

Bonjour Camille,
"""

OUTLOOK_ORIGINAL = """Could we have a late check-out?

-----Original Message-----
From: Hôtel des Tilleuls [mailto:contact@hotel.test]
Sent: Monday, June 15, 2026 10:00
To: camille@example.com
Subject: Your stay
"""

APPLE_IPHONE_FR = """Parfait, merci !

Envoyé de mon iPhone

> Le 15 juin 2026 à 10:00, Hôtel des Tilleuls <contact@hotel.test> a écrit :
>
> Bonjour Camille,
> Votre code d'accès est 4821.
"""

APPLE_MAC_EN = """Great, see you on Friday.

Sent from my iPhone

On 15 Jun 2026, at 10:00, Hôtel des Tilleuls <contact@hotel.test> wrote:

Dear Camille,
"""

SIGNATURE = """See you tomorrow, we will be two.

-- 
Camille Durand
+33 6 12 34 56 78
"""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (GMAIL_EN, "Thanks, we'll arrive around 6pm."),
        (GMAIL_FR, "Bonjour,\n\nNous arriverons vers 18 h, avec un chien.\nMerci !"),
        (OUTLOOK_EN, "Yes, please book a table for two at 8pm.\n\nBest regards,\nCamille"),
        (OUTLOOK_FR, "Oui, merci beaucoup."),
        (OUTLOOK_ORIGINAL, "Could we have a late check-out?"),
        (APPLE_IPHONE_FR, "Parfait, merci !"),
        (APPLE_MAC_EN, "Great, see you on Friday."),
        (SIGNATURE, "See you tomorrow, we will be two."),
        ("Can we check in early?\r\n", "Can we check in early?"),
    ],
    ids=[
        "gmail-en",
        "gmail-fr",
        "outlook-en",
        "outlook-fr",
        "outlook-original",
        "iphone-fr",
        "apple-en",
        "sig",
        "plain",
    ],
)
def test_replies_are_trimmed_to_what_the_guest_wrote(raw: str, expected: str) -> None:
    assert trim_reply(raw) == expected


def test_a_bottom_posted_answer_is_kept_without_the_quote() -> None:
    raw = "On Mon, 15 Jun 2026 at 10:00, Hotel <contact@hotel.test> wrote:\n> Will you need parking?\n\nYes, one car."
    assert trim_reply(raw) == "Yes, one car."


def test_interleaved_answers_keep_their_questions() -> None:
    raw = "> Will you need parking?\nYes, one car.\n> What time will you arrive?\nAround 6pm.\n"
    assert trim_reply(raw) == raw.strip()


def test_ordinary_sentences_that_look_like_markers_are_not_cut() -> None:
    raw = (
        "Sent from my phone because the wifi is down.\nCan you help?\nThe room is 12.\n"
        "On Monday I wrote:\nthe heating is off.\nFrom: the airport we take a taxi."
    )
    assert trim_reply(raw) == raw


def test_a_message_that_is_only_a_quote_is_kept_whole() -> None:
    raw = "> Dear Camille,\n> Your room is ready."
    assert trim_reply(raw) == raw
