"""The message back to the GP and referrer: its items, and what it holds without consent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from standards_example import (
    NOTE,
    REASON,
    RECORDS,
    TEAM_CHECK_IN,
    WHAT_MATTERS,
    without_consent,
)

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.codes import CodeListEntry, with_shipped
from arrs_desktop.standards.gp_message import (
    CLOSURE,
    FIRST_CONTACT,
    UPDATE,
    Sender,
    build_gp_message,
    gp_message_blocks,
    gp_message_html,
    gp_message_text,
)
from arrs_desktop.standards.measures import ONS4
from arrs_desktop.standards.snomed import make_sctid

SENDER = Sender("Wendy Link", "splw", "Riverside PCN", phone="0113 496 0001")
CLOSE_CODE = make_sctid(4563, namespace="1000000")  # made for the test, not a real code
CODES = with_shipped([CodeListEntry("splw", "closure", CLOSE_CODE, "Discharged from social "
                                                                  "prescribing")])
MEASURES = (ONS4, TEAM_CHECK_IN)


def _closure(records=RECORDS, note: str = ""):
    return build_gp_message(records, CLOSURE, SENDER, date(2026, 4, 21), code_list=CODES,
                            definitions=MEASURES, note=note)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_closure_message_carries_every_item_of_the_standard():
    message = _closure(note="Ann would welcome a call from the practice nurse.")
    text = gp_message_text(message)
    flat = _flat(text)
    assert text.startswith("MESSAGE TO THE GP AND REFERRER: CLOSURE\n")
    assert message.keys == ("to", "person", "safety", "episode", "codes", "referral",
                            "what_matters", "needs", "support", "activities", "measures",
                            "note", "sender")
    for needle in (
        # identifiers
        "Name: Ann Archer", "Date of birth: 17 May 1948", "NHS number: 943 476 5919",
        "Address: 12 Mill Lane, Riverside, LS1 4AP", "GP practice: Riverside Surgery",
        # to whom, and the referral
        "Referrer: Dr Asha Patel, GP, Riverside Surgery", f"Reason: {REASON}",
        "Urgency: Routine",
        # what matters, needs and concerns
        WHAT_MATTERS, "Lonely or isolated: Feels lonely or cut off from other people.",
        "Mental health needs: Low mood, anxiety or stress.",
        # support offered, activities referred to with outcomes
        "Contacts: 3 (135 minutes)", "Missed contacts: 1",
        "Goal: Get to the lunch club; Started at: 2 of 10; Latest: 9 of 10 (20 Apr 2026); "
        "Status: Achieved",
        "Activity: Tuesday Lunch Club; Referred on: 12 Jan 2026; Outcome: Attended",
        "Activity: Riverside Allotment Society; Referred on: 9 Feb 2026; Outcome: Pending",
        # outcome measures first to latest
        "Item: Life satisfaction; First: 3 (12 Jan 2026); Latest: 7 (20 Apr 2026); "
        "Change: +4, better",
        "Item: Anxious yesterday; First: 8 (12 Jan 2026); Latest: 3 (20 Apr 2026); "
        "Change: -5, better",
        "Measure: Team check-in; Item: Total; First: 3 (12 Jan 2026); Latest: 8",
        "for anxious yesterday lower is better. The items are never totalled.",
        "Our own questions; no licence needed.",  # the licence note goes where it is shown
        # codes to record
        "SNOMED CT code: 871731000000106; Term: Referral to social prescribing service; "
        "Date: 12 Jan 2026; Records: first contact",
        f"SNOMED CT code: {CLOSE_CODE}; Term: Discharged from social prescribing; "
        "Date: 20 Apr 2026; Records: episode closed",
        # the episode's dates and ending
        "Referred on: 5 Jan 2026", "First contact: 12 Jan 2026", "Closed on: 20 Apr 2026",
        "Reason for closure: Goals met",
        # the worker, role and date
        "Worker: Wendy Link", "Role: Social Prescribing Link Worker",
        "Organisation: Riverside PCN", "Date: 21 Apr 2026",
        # safety alerts for staff, and the worker's own note
        "Risk to a lone worker: Large dog at the address: phone before visiting",
        "Ann would welcome a call from the practice nurse.",
    ):
        assert _flat(needle) in flat, needle
    assert NOTE not in text  # session notes are working notes: never in a letter


def test_without_consent_only_the_codes_and_the_episode_dates_go():
    records = without_consent()
    message = _closure(records, note="Ann would welcome a call.")
    assert message.keys == ("to", "person", "consent", "episode", "codes", "sender")
    assert not message.consent
    text = gp_message_text(message)
    html = gp_message_html(message)
    assert text.startswith("MESSAGE TO THE GP: CLOSURE\n")
    for needle in ("871731000000106", CLOSE_CODE, "Referred on: 5 Jan 2026",
                   "First contact: 12 Jan 2026", "Closed on: 20 Apr 2026",
                   "NHS number: 943 476 5919", "has not agreed to share"):
        assert needle in text, needle
    secrets = [WHAT_MATTERS, REASON, NOTE, "Ann would welcome a call", "Lunch Club",
               "Allotment", "lunch club", "Mill Lane", "LS1 4AP", "Goals met", "Dr Asha Patel",
               "Large dog", "Hard of hearing", "Life satisfaction", "Team check-in"]
    for need in catalogue.NEEDS:
        secrets += [need.label, need.meaning, need.plan_text]
    for secret in secrets:
        assert secret not in text, secret
        assert secret not in html, secret
        assert all(secret not in b.html for b in gp_message_blocks(message))


def test_first_contact_and_update_messages_say_what_was_known_on_the_day():
    first = build_gp_message(RECORDS, FIRST_CONTACT, SENDER, date(2026, 1, 12),
                             code_list=CODES, definitions=MEASURES)
    text = gp_message_text(first)
    assert "FIRST CONTACT" in text and "871731000000106" in text
    assert CLOSE_CODE not in text and "Closed on" not in text and "Status: Active" in text
    assert "Only one score so far" in text and "Outcome: Pending" in text  # not yet attended
    assert "Allotment" not in text
    update = build_gp_message(RECORDS, UPDATE, SENDER, date(2026, 3, 1), code_list=CODES)
    flat = _flat(gp_message_text(update))
    assert "Latest: 5 of 10 (9 Feb 2026)" in flat and "Status: Active" in flat
    assert "Outcome: Attended" in flat


def test_a_message_that_does_not_fit_the_episode_yet_is_refused():
    referred = replace(RECORDS, episode=replace(RECORDS.episode, status="referred",
                                                first_contact_date=None, closure_date=None,
                                                closure_reason=None))
    with pytest.raises(ValidationError) as err:
        build_gp_message(referred, FIRST_CONTACT, SENDER, date(2026, 1, 6))
    assert err.value.errors == {"occasion": "the episode has had no first contact yet"}
    with pytest.raises(ValidationError) as err:
        build_gp_message(referred, CLOSURE, SENDER, date(2026, 1, 6))
    assert err.value.errors == {"occasion": "the episode is not closed yet"}
    with pytest.raises(ValidationError) as err:
        build_gp_message(referred, UPDATE, SENDER, date(2025, 12, 1))
    assert "written_on" in err.value.errors
    message = build_gp_message(referred, UPDATE, SENDER, date(2026, 1, 6))
    assert "No codes to record yet." in gp_message_text(message)


def test_a_declined_referral_gets_the_declined_code():
    declined = replace(RECORDS, episode=replace(
        RECORDS.episode, status="declined", first_contact_date=None,
        closure_date=date(2026, 1, 8), closure_reason=None), sessions=(), goals=(),
        outcomes=(), measures=(), activities=())
    text = gp_message_text(build_gp_message(declined, CLOSURE, SENDER, date(2026, 1, 9)))
    assert "871711000000103" in text and "Declined on: 8 Jan 2026" in text
    assert "871731000000106" not in text


def test_html_blocks_print_like_the_care_plan():
    blocks = gp_message_blocks(_closure())
    assert blocks[0].space_before == 0 and "Ann Archer" in blocks[0].html
    headings = [b for b in blocks if b.keep_with_next]
    assert all(blocks[blocks.index(h) + 1].keep_with_next is False for h in headings)
    safety = next(b for b in blocks if "Safety alerts for staff" in b.html)
    assert "&#9888;" in safety.html  # a sign as well as the colour
    html = gp_message_html(_closure())
    assert "<script" not in html and "Tuesday Lunch Club" in html


def test_text_from_the_person_is_escaped_in_html():
    person = replace(RECORDS.person, what_matters="<b>bold</b> & more")
    html = gp_message_html(_closure(replace(RECORDS, person=person)))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html and "<b>bold</b>" not in html
