from __future__ import annotations

import uuid

import pytest

from domain.errors import InvalidInput
from domain.services.labels import Label, validate_label

PROPERTY = uuid.uuid4()


def _codes(label: Label, catalogue: list[Label]) -> set[tuple[str, str]]:
    with pytest.raises(InvalidInput) as refused:
        validate_label(label, catalogue)
    return {(p.field, p.code) for p in refused.value.problems}


def test_a_label_with_a_name_and_a_hex_colour_is_valid_and_may_keep_its_own_name():
    vip = Label(PROPERTY, "VIP", "#d97706")
    validate_label(vip, [vip])


def test_names_clash_whatever_their_case_and_spacing():
    assert _codes(Label(PROPERTY, "late  arrival"), [Label(PROPERTY, "Late arrival")]) == {("name", "label_exists")}


@pytest.mark.parametrize("colour", ["red", "#fff", "#GGGGGG", "d97706", "#d977061"])
def test_colours_must_be_six_digit_hex(colour):
    assert _codes(Label(PROPERTY, "VIP", colour), []) == {("colour", "invalid_colour")}


def test_empty_and_overlong_names_are_refused():
    assert _codes(Label(PROPERTY, ""), []) == {("name", "required")}
    assert _codes(Label(PROPERTY, "x" * 61), []) == {("name", "too_long")}
