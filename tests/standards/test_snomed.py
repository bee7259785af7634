"""SNOMED CT ids: the Verhoeff check digit, the partition identifier, plain messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop.domain.catalogue import SHIPPED_GP_CODES, SP_DECLINED_CODE, SP_REFERRAL_CODE
from arrs_desktop.standards.snomed import (
    CONCEPT,
    DESCRIPTION,
    RELATIONSHIP,
    SctidError,
    is_concept_id,
    make_sctid,
    parse_sctid,
    sctid_problem,
    verhoeff_check_digit,
    verhoeff_valid,
)

SHIPPED = ("871731000000106", "871711000000103")


def test_the_two_shipped_ids_are_long_format_concepts_in_the_uk_namespace():
    assert {code for code, _term, _rule in SHIPPED_GP_CODES} == set(SHIPPED)
    assert (SP_REFERRAL_CODE, SP_DECLINED_CODE) == SHIPPED
    for code in SHIPPED:
        sctid = parse_sctid(code)
        assert sctid.kind == CONCEPT and sctid.long_format
        assert sctid.partition == "10" and sctid.namespace == "1000000"
        assert verhoeff_valid(code) and is_concept_id(code)
        assert verhoeff_check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize(("text", "needle"), [
    ("", "is required"),
    ("   ", "is required"),
    ("87173100000010X", "digits only (it has 'X')"),
    ("871731-000000106", "digits only (it has '-')"),
    ("８７１７３１０００００01０６", "digits only"),  # full-width digits are not ASCII digits
    ("12345", "too short for a SNOMED CT id (5 digits; at least 6)"),
    ("1" * 19, "too long for a SNOMED CT id (19 digits; at most 18)"),
    ("071731000000106", "cannot start with 0"),
    ("871731000000107", "the check digit (the last digit) does not match"),
    ("871371000000106", "a digit is mistyped or two are swapped"),
])
def test_wrong_ids_are_told_in_plain_words(text, needle):
    problem = sctid_problem(text)
    assert problem is not None and needle in problem
    with pytest.raises(SctidError, match="."):
        parse_sctid(text)


def test_the_partition_identifier_says_the_format_and_what_the_id_names():
    short_concept = make_sctid(1234567)
    assert parse_sctid(short_concept) == parse_sctid(short_concept, None)
    assert not parse_sctid(short_concept).long_format
    description = make_sctid(1234567, DESCRIPTION, namespace="1000000")
    assert parse_sctid(description, DESCRIPTION).partition == "11"
    problem = sctid_problem(description)
    assert "is a description id (partition 11), not a concept id" in problem
    relationship = make_sctid(4321, RELATIONSHIP)
    assert "is a relationship id (partition 02)" in sctid_problem(relationship)
    assert sctid_problem(relationship, None) is None


@pytest.mark.parametrize("partition", ["03", "04", "09", "13", "20", "55", "99"])
def test_a_partition_snomed_does_not_use_is_refused(partition):
    body = f"1234567{partition}"
    value = body + str(verhoeff_check_digit(body))
    assert verhoeff_valid(value)
    problem = sctid_problem(value, None)
    assert f"partition identifier (the two digits before the last) is {partition}" in problem


def test_a_long_format_id_needs_room_for_its_namespace():
    body = "12310"  # partition 10 (long format) but no 7-digit namespace before it
    value = body + str(verhoeff_check_digit(body))
    assert "too short for a long-format SNOMED CT id" in sctid_problem(value)


def test_surrounding_spaces_are_trimmed():
    assert parse_sctid("  871731000000106\t").value == "871731000000106"


@st.composite
def sctids(draw) -> str:
    """A well-formed SCTID of any kind and format, 6 to 18 digits."""
    kind = draw(st.sampled_from((CONCEPT, DESCRIPTION, RELATIONSHIP)))
    if draw(st.booleans()):
        namespace = draw(st.integers(1_000_000, 9_999_999).map(str))
        return make_sctid(draw(st.integers(1, 10**8 - 1)), kind, namespace)
    return make_sctid(draw(st.integers(100, 10**15 - 1)), kind)


@given(sctids())
def test_every_well_formed_id_is_accepted(value):
    assert 6 <= len(value) <= 18
    assert sctid_problem(value, None) is None


@given(sctids(), st.data())
def test_any_single_digit_change_is_caught(value, data):
    i = data.draw(st.integers(0, len(value) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != value[i]]))
    changed = value[:i] + new + value[i + 1:]
    assert not verhoeff_valid(changed)
    assert sctid_problem(changed, None) is not None


@given(sctids(), st.data())
def test_any_swap_of_two_adjacent_different_digits_is_caught(value, data):
    positions = [i for i in range(len(value) - 1) if value[i] != value[i + 1]]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    swapped = value[:i] + value[i + 1] + value[i] + value[i + 2:]
    assert not verhoeff_valid(swapped)
    assert sctid_problem(swapped, None) is not None
