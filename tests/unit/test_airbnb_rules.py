from __future__ import annotations

from domain.airbnb.content_filter import applies, blocked_parts
from domain.airbnb.convert import AIRBNB_MAX_CHARS, design_to_text

NEWSLETTER = """
<html><head><style>p{color:red}</style></head><body>
<table width="600"><tr><td><img src="https://cdn.hotel.test/logo.png" alt="Logo"></td></tr>
<tr><td><h1>Bienvenue à l’Hôtel des Tilleuls</h1>
<p>Bonjour Camille,<br>votre chambre <b>n°12</b> sera prête à 15&nbsp;h.</p>
<h2>Informations pratiques</h2>
<ul><li>Code de la porte : 4821</li><li>Wi-Fi : <i>Tilleuls-Guest</i></li></ul>
<table><tr><th>Arrivée</th><th>Départ</th></tr><tr><td>10 juillet</td><td>13 juillet</td></tr></table>
<p>Plan d’accès : <a href="https://maps.hotel.test/tilleuls">cliquez ici</a> ou <a href="https://hotel.test">https://hotel.test</a></p>
<p style="font-size:10px">À très vite ! 😊</p>
</td></tr></table></body></html>
"""


def test_a_realistic_design_becomes_airbnb_plain_text():
    assert design_to_text("Votre arrivée", NEWSLETTER) == "\n".join(
        [
            "Votre arrivée",
            "Bienvenue à l’Hôtel des Tilleuls",
            "Bonjour Camille,",
            "votre chambre n°12 sera prête à 15 h.",
            "Informations pratiques",
            "- Code de la porte : 4821",
            "- Wi-Fi : Tilleuls-Guest",
            "Arrivée | Départ",
            "10 juillet | 13 juillet",
            "Plan d’accès : cliquez ici: https://maps.hotel.test/tilleuls ou https://hotel.test",
            "À très vite ! 😊",
        ]
    )


def test_long_designs_are_cut_at_a_line_within_airbnbs_limit():
    body = "".join(f"<p>Paragraph {i} " + "x" * 80 + "</p>" for i in range(200))
    text = design_to_text(None, body)
    assert len(text) <= AIRBNB_MAX_CHARS and text.endswith("\n…") and "Paragraph 0" in text


def test_mailto_links_and_comments_and_scripts():
    assert (
        design_to_text(
            None, '<!-- hidden --><script>alert(1)</script><p><a href="mailto:desk@hotel.test">Write</a></p>'
        )
        == "desk@hotel.test"
    )


def test_content_blocked_before_confirmation():
    parts = blocked_parts("Hi! Mail me at anna@example.com or WhatsApp +33 6 12 34 56 78, see www.hotel-tilleuls.fr")
    assert {(p.kind, p.text) for p in parts} >= {
        ("email_address", "anna@example.com"),
        ("off_platform", "WhatsApp"),
        ("phone_number", "+33 6 12 34 56 78"),
        ("link", "www.hotel-tilleuls.fr"),
    }
    assert blocked_parts("Your room will be ready at 3 pm, see you on 10 July!") == []
    assert applies("inquiry") and applies("pending") and not applies("accepted") and not applies(None)
