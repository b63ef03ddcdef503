"""HTML bodies and their plain-text alternative."""

from __future__ import annotations

from domain.email.html_text import html_document, html_to_text, looks_like_html, text_to_html
from domain.email.trimming import trim_reply


def test_a_designed_email_reads_well_as_text() -> None:
    html = """<html><head><title>Ignored</title><style>p {color: red}</style></head><body>
      <h1>Welcome, Camille!</h1>
      <p>Your room <b>12</b> is ready from&nbsp;3pm.<br>The door code is <strong>4821</strong>.</p>
      <ul><li>Breakfast: 7&ndash;10am</li><li>Parking: free</li></ul>
      <ol><li>Arrive</li><li>Relax</li></ol>
      <p>See the <a href="https://hotel.test/map">map</a> or <a href="https://hotel.test">https://hotel.test</a>.</p>
      <script>alert("no")</script>
      <table><tr><td>Check-in</td><td>15 June</td></tr><tr><td>Check-out</td><td>18 June</td></tr></table>
    </body></html>"""
    assert html_to_text(html) == (
        "Welcome, Camille!\n\n"
        "Your room 12 is ready from 3pm.\nThe door code is 4821.\n\n"
        "- Breakfast: 7–10am\n- Parking: free\n\n"
        "1. Arrive\n2. Relax\n\n"
        "See the map (https://hotel.test/map) or https://hotel.test.\n\n"
        "Check-in 15 June\nCheck-out 18 June"
    )


def test_quoted_html_becomes_quoted_lines() -> None:
    html = (
        '<div dir="ltr">Thanks, see you then!</div><br><div class="gmail_quote">'
        '<div class="gmail_attr">On Mon, 15 Jun 2026 at 10:00, Hotel &lt;contact@hotel.test&gt; wrote:<br></div>'
        "<blockquote><p>Dear Camille,</p><p>Your room is ready.</p></blockquote></div>"
    )
    assert html_to_text(html) == (
        "Thanks, see you then!\n\nOn Mon, 15 Jun 2026 at 10:00, Hotel <contact@hotel.test> wrote:\n\n"
        "> Dear Camille,\n>\n> Your room is ready."
    )


def test_pre_keeps_its_lines() -> None:
    assert html_to_text("<pre>Room  12\nCode  4821</pre>") == "Room  12\nCode  4821"


def test_plain_text_becomes_escaped_paragraphs() -> None:
    text = "Dear Camille,\nyour room is ready.\n\nFish & chips < 10 €"
    assert text_to_html(text) == "<p>Dear Camille,<br>\nyour room is ready.</p>\n<p>Fish &amp; chips &lt; 10 €</p>"


def test_what_looks_like_html() -> None:
    assert looks_like_html("<p>Hello</p>")
    assert looks_like_html("Hello<br/>there")
    assert not looks_like_html("I'd like 2 < 3 rooms, and a > b")
    assert not looks_like_html("Hello Camille")


def test_a_fragment_is_wrapped_in_a_document_once() -> None:
    wrapped = html_document("<p>Hi</p>", "fr")
    assert wrapped.startswith('<!DOCTYPE html>\n<html lang="fr">') and "<p>Hi</p>" in wrapped
    assert html_document(wrapped) == wrapped


def test_an_outlook_html_reply_trims_like_its_text() -> None:
    html = (
        '<html><body><div>Yes, two people.</div><div><br></div><hr style="display:inline-block;width:98%">'
        '<div id="divRplyFwdMsg"><font face="Calibri"><b>From:</b> Hôtel des Tilleuls &lt;contact@hotel.test&gt;<br>'
        "<b>Sent:</b> Monday, June 15, 2026 10:00 AM<br><b>To:</b> Camille Durand<br>"
        "<b>Subject:</b> Your stay</font><div>&nbsp;</div></div><div>How many guests?</div></body></html>"
    )
    assert trim_reply(html_to_text(html)) == "Yes, two people."
