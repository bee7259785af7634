"""A referral in, to the standard's model, and the person's safety alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.referral import (
    ALERT_KINDS,
    Referral,
    Referrer,
    SafetyAlert,
    alerts_for_plan,
    alerts_for_staff,
    clean_alert,
    clean_referral,
    episode_from_referral,
    referral_problems,
)

TODAY = date(2026, 3, 10)
GOOD = Referral(
    role="splw", received_on=date(2026, 3, 2), source="gp",
    reason="  Lonely since her husband died; not going out.  ",
    referrer=Referrer(name=" Dr Asha Patel ", role="GP", organisation="Riverside Surgery",
                      phone="0113 496 0000"),
    urgency="routine", what_matters="Seeing my grandchildren every week.",
    consent_to_share=True,
    alerts=(SafetyAlert("interpreter", "Polish", raised_on=date(2026, 3, 2),
                        show_on_plan=True),
            SafetyAlert("lone_worker", "Dog at the address: phone before visiting"),),
)


def test_a_good_referral_is_trimmed_and_opens_its_episode():
    referral = clean_referral(GOOD, TODAY)
    assert referral.reason == "Lonely since her husband died; not going out."
    assert referral.referrer.name == "Dr Asha Patel"
    assert referral.referrer.contact == "0113 496 0000"
    episode = episode_from_referral(referral, "person-1", worker="Wendy")
    assert (episode.role, episode.referral_date, episode.referral_source,
            episode.referral_reason, episode.share_with_gp, episode.status) == (
        "splw", date(2026, 3, 2), "gp", referral.reason, True, "referred")
    assert not episode_from_referral(replace(referral, consent_to_share=False),
                                     "p").share_with_gp


@pytest.mark.parametrize(("change", "field", "needle"), [
    ({"role": "nurse"}, "role", "must be one of: splw, cc, hwbc"),
    ({"received_on": date(2026, 3, 11)}, "received_on", "cannot be in the future"),
    ({"source": "postman"}, "source", "must be one of: gp, practice_nurse"),
    ({"reason": "   "}, "reason", "is required: say why the person is referred"),
    ({"reason": "see <a href=x>notes</a>"}, "reason", "must be plain text"),
    ({"urgency": "whenever"}, "urgency", "must be one of: routine, urgent"),
    ({"consent_to_share": None}, "consent_to_share", "is required: ask the person"),
    ({"referrer": Referrer()}, "referrer.name", "is required (who referred the person)"),
    ({"referrer": Referrer("A", "GP", "Surgery")}, "referrer.phone",
     "give a phone number or an email"),
    ({"referrer": Referrer("A", "GP", "Surgery", phone="call me")}, "referrer.phone",
     "may only contain digits"),
    ({"referrer": Referrer("A", "GP", "Surgery", email="not-an-email")}, "referrer.email",
     "is not an email address"),
    ({"alerts": (SafetyAlert("interpreter"),)}, "alerts[1].detail",
     "is required: say which language"),
    ({"alerts": (SafetyAlert("lone_worker"),)}, "alerts[1].detail",
     "is required: say what the risk is"),
    ({"alerts": (SafetyAlert("burglar", "x"),)}, "alerts[1].kind", "must be one of"),
    ({"alerts": (SafetyAlert("safeguarding", "Concern raised", show_on_plan=True),)},
     "alerts[1].show_on_plan", "a risk or safeguarding concern never is"),
    ({"alerts": (SafetyAlert("hearing", "x", raised_on=date(2026, 4, 1)),)},
     "alerts[1].raised_on", "cannot be in the future"),
    ({"alerts": (SafetyAlert("hearing", "Uses a hearing loop\x00"),)}, "alerts[1].detail",
     "control characters"),
])
def test_each_wrong_field_is_named_in_plain_words(change, field, needle):
    problems = referral_problems(replace(GOOD, **change), TODAY)
    assert field in problems and needle in problems[field], problems
    with pytest.raises(ValidationError) as err:
        clean_referral(replace(GOOD, **change), TODAY)
    assert field in err.value.errors


def test_every_wrong_field_is_told_at_once():
    bad = Referral(role="splw", received_on=date(2026, 3, 2), source="gp", reason="")
    assert set(referral_problems(bad, TODAY)) == {
        "reason", "consent_to_share", "referrer.name", "referrer.role",
        "referrer.organisation", "referrer.phone"}


def test_a_self_referral_needs_no_referrer():
    self_referral = Referral(role="hwbc", received_on=date(2026, 3, 2), source="self",
                             reason="Wants to get fitter", consent_to_share=False)
    assert referral_problems(self_referral, TODAY) == {}


def test_alerts_for_staff_and_for_the_persons_own_plan():
    alerts = (
        SafetyAlert("hearing", "Hard of hearing: face her when speaking", show_on_plan=True),
        SafetyAlert("safeguarding", "Concern shared with the safeguarding lead"),
        SafetyAlert("interpreter", "Polish", show_on_plan=False),
        SafetyAlert("lone_worker", "Visit in pairs", ended_on=date(2026, 1, 1)),
    )
    staff = alerts_for_staff(alerts, TODAY)
    assert [a.kind for a in staff] == ["safeguarding", "interpreter", "hearing"]  # risks first
    assert [a.kind for a in alerts_for_plan(alerts, TODAY)] == ["hearing"]
    assert staff[0].text == "Safeguarding concern: Concern shared with the safeguarding lead"
    assert set(ALERT_KINDS) >= {"lone_worker", "safeguarding", "interpreter", "hearing"}


def test_clean_alert_checks_its_dates():
    with pytest.raises(ValidationError) as err:
        clean_alert(SafetyAlert("hearing", "x", raised_on=date(2026, 3, 1),
                                ended_on=date(2026, 2, 1)), TODAY)
    assert err.value.errors == {"ended_on": "cannot be before the day it was raised"}
    assert clean_alert(SafetyAlert("sight", " Large print ")).detail == "Large print"
