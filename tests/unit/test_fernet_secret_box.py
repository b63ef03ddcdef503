import pytest
from cryptography.fernet import Fernet, InvalidToken

from adapters.crypto.fernet_secret_box import FernetSecretBox


def test_a_sealed_secret_opens_to_what_was_sealed_and_each_caller_gets_its_own_copy() -> None:
    box = FernetSecretBox(Fernet.generate_key())
    sealed = box.seal({"auth_token": "tok-1"})
    first = box.open(sealed)
    first["auth_token"] = "changed by a caller"
    assert box.open(sealed) == {"auth_token": "tok-1"}
    assert box.open(None) == {} and box.open(b"") == {}


def test_a_secret_sealed_with_another_key_is_refused_every_time() -> None:
    box = FernetSecretBox(Fernet.generate_key())
    foreign = FernetSecretBox(Fernet.generate_key()).seal({"auth_token": "theirs"})
    for _ in range(2):
        with pytest.raises(InvalidToken):
            box.open(foreign)


def test_remembered_secrets_stay_bounded_and_the_oldest_still_opens() -> None:
    box = FernetSecretBox(Fernet.generate_key())
    sealed = [box.seal({"n": n}) for n in range(FernetSecretBox.REMEMBERED + 10)]
    assert [box.open(s)["n"] for s in sealed] == list(range(FernetSecretBox.REMEMBERED + 10))
    assert len(box._opened) == FernetSecretBox.REMEMBERED
    assert box.open(sealed[0]) == {"n": 0}
