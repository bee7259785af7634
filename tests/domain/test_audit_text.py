"""The History tab's words: field names, codes, dates and flags as a care worker reads them."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.audit_text import (
    change_parts,
    describe_change,
    describe_change_in_full,
    field_label,
    show_value,
)


def test_codes_dates_and_flags_read_as_words():
    line = describe_change("episodes", "update",
                           {"status": "referred", "first_contact_date": None},
                           {"status": "active", "first_contact_date": "2026-01-06"})
    assert line == "Status: Referred → Active; First contact: — → 06 Jan 2026"
    created = describe_change("episodes", "create", None, {
        "id": "x", "person_id": "p", "role": "cc", "referral_source": "other_clinician",
        "followed_suggestion": 1, "share_with_gp": 0, "created_at": "2026-11-27T03:43:26+00:00",
        "device_id": "d", "suggestion_json": "{}", "status": "referred"})
    assert created == ("Role: Care coordinator; Referred by: Other clinician; "
                       "Followed the suggestion: Yes; Share with GP: No; Status: Referred")


def test_the_same_code_reads_by_its_table():
    assert show_value("goals", "status", "stopped") == "Stopped"
    assert show_value("sessions", "kind", "follow_up") == "Follow-up"
    assert show_value("care_home_contacts", "kind", "home_round") == "Home round / MDT"
    assert show_value("needs", "need_id", "loneliness") == catalogue.NEEDS_BY_ID[
        "loneliness"].label


def test_ons4_items_are_named_and_unknown_columns_still_read():
    assert field_label("ons4_anxious") == "Anxious yesterday (higher is worse)"
    assert field_label("some_new_column") == "Some new column"


def test_long_text_is_cut_in_the_line_but_whole_in_the_tooltip():
    note = "word " * 40
    line = describe_change("sessions", "update", {"notes": ""}, {"notes": note})
    assert line.endswith("…") and len(line) < 100
    assert describe_change_in_full("sessions", "update", {"notes": ""},
                                   {"notes": note}).endswith(note.strip())


def test_erase_says_why():
    assert change_parts("people", "erase", None, {"reason": "Asked"}) == [
        "Erased for good. Reason: Asked"]


@given(st.one_of(st.none(), st.integers(), st.text(), st.booleans(), st.floats(),
                 st.dates().map(date.isoformat)),
       st.sampled_from(["status", "role", "date", "notes", "share_with_gp", "score",
                        "referral_date", "added_at"]))
def test_any_stored_value_reads_as_one_short_line(value, name):
    text = show_value("episodes", name, value)
    assert text and "\n" not in text and len(text) <= 60


def test_needs_and_care_home_mentions_read_plainly():
    assert describe_change("needs", "create", None, {
        "need_id": "loneliness", "added_at": "2026-11-27T05:18:00+00:00",
        "added_by": "demo", "person_id": "p"}) == "Need: " + catalogue.NEEDS_BY_ID[
            "loneliness"].label
    assert describe_change("care_home_contact_residents", "create", None, {
        "contact_id": "c", "person_id": "p"}) == "Discussed at a care-home contact"
