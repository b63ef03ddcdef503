"""Twilio's published test vectors (twilio-python tests/unit/test_request_validator.py)."""

from __future__ import annotations

from adapters.twilio.signature import compute, is_valid

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
    ("Caller", "+14158675309"),
]


def test_the_plain_url_vector():
    assert compute(URL, PARAMS, TOKEN) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert is_valid(URL, PARAMS, TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_the_vector_with_port_443_and_both_url_forms_accepted():
    with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    assert compute(with_port, PARAMS, TOKEN) == "kvajT1Ptam85bY51eRf/AJRuM3w="
    assert is_valid(URL, PARAMS, TOKEN, "kvajT1Ptam85bY51eRf/AJRuM3w=")  # Twilio signed with the port
    assert is_valid(with_port, PARAMS, TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")  # and the other way round


def test_the_json_body_vector():
    body = b'{"property": "value", "boolean": true}'
    url = URL + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    assert is_valid(url, [], TOKEN, "a9nBmqA0ju/hNViExpshrM61xv4=", body=body)
    assert not is_valid(url, [], TOKEN, "a9nBmqA0ju/hNViExpshrM61xv4=", body=body + b" ")


def test_forged_missing_and_altered():
    assert not is_valid(URL, PARAMS, TOKEN, None)
    assert not is_valid(URL, PARAMS, "wrong-token", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not is_valid(URL, [*PARAMS[:-1], ("Caller", "+10000000000")], TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not is_valid(URL.replace("foo=1", "foo=2"), PARAMS, TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_repeated_parameters_are_sorted_by_value():
    assert compute("https://x.test/", [("MediaUrl", "b"), ("MediaUrl", "a")], TOKEN) == compute(
        "https://x.test/", [("MediaUrl", "a"), ("MediaUrl", "b")], TOKEN
    )
