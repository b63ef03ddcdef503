from __future__ import annotations

import pytest

from domain.sms.segments import Encoding, count_segments


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", Encoding.GSM7, 0, 0),
        ("Hello", Encoding.GSM7, 5, 1),
        ("a" * 160, Encoding.GSM7, 160, 1),
        ("a" * 161, Encoding.GSM7, 161, 2),
        ("a" * 306, Encoding.GSM7, 306, 2),
        ("a" * 307, Encoding.GSM7, 307, 3),
        ("Café à Noël, déjà réservé", Encoding.UCS2, 25, 1),  # ë is not GSM-7 (é, è and à are)
        ("Prix : 20€", Encoding.GSM7, 11, 1),  # € is an extension character: two septets
        ("€" * 80, Encoding.GSM7, 160, 1),
        ("€" * 81, Encoding.GSM7, 162, 2),
        ("[test] {ok} ~ ^ | \\", Encoding.GSM7, 27, 1),  # 19 characters, 8 of them take two septets
        ("Merci 🙂", Encoding.UCS2, 8, 1),  # one emoji switches to UCS-2 and is two UTF-16 units
        ("a" * 70, Encoding.GSM7, 70, 1),
        ("ł" * 70, Encoding.UCS2, 70, 1),
        ("ł" * 71, Encoding.UCS2, 71, 2),
        ("ł" * 134, Encoding.UCS2, 134, 2),
        ("ł" * 135, Encoding.UCS2, 135, 3),
    ],
)
def test_segments_as_carriers_count_them(text, encoding, units, segments):
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_french_accents_in_gsm7_stay_gsm7_but_other_accents_switch():
    assert count_segments("Réservé à l'hôtel").encoding == Encoding.UCS2  # ô is not in GSM-7
    assert count_segments("Réservé à l'été").encoding == Encoding.GSM7


def test_an_escape_pair_is_never_split_across_parts():
    # 152 plain characters then "€": the euro's two septets do not fit in part one's last slot
    count = count_segments("a" * 152 + "€" + "b" * 10)
    assert count.units == 164 and count.segments == 2 and count.remaining_in_segment == 153 - 12


def test_a_surrogate_pair_is_never_split_across_parts():
    count = count_segments("ł" * 66 + "🙂" + "ł" * 5)
    assert count.units == 73 and count.segments == 2 and count.remaining_in_segment == 67 - 7


def test_remaining_in_a_single_message():
    assert count_segments("Hello").remaining_in_segment == 155
