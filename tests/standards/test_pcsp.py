"""The care and support plan under the PCSP standard's headings."""

from __future__ import annotations

import re
from datetime import date

import pytest

from arrs_desktop.reports.care_plan import CarePlan, PlanGoal, care_plan_blocks, care_plan_html
from arrs_desktop.standards.pcsp import (
    ABOUT_ME,
    CARE_AND_SUPPORT_PLAN,
    PART_KEYS,
    PCSP_SECTIONS,
    arrange,
    section_of,
)
from arrs_desktop.standards.referral import SafetyAlert, alerts_for_plan


def _plan(**extra) -> CarePlan:
    fields = dict(name="Ann Archer", date_of_birth=date(1948, 5, 17), nhs_number="943 476 5919",
                  gp_practice="Riverside Surgery", preferred_contact="Phone",
                  what_matters="Seeing my grandchildren.", needs=("I feel lonely.",),
                  support=(), goals=(PlanGoal("Get to the lunch club", "Link worker", 2, 6,
                                              date(2026, 3, 1), None, "Active"),),
                  actions=(), connections=(), next_contact=None, next_contact_with="",
                  prepared_on=date(2026, 3, 2))
    fields.update(extra)
    return CarePlan(**fields)


def _headings(plan: CarePlan) -> list[str]:
    return [re.sub(r"<[^>]+>", "", b.html.split("</p>")[0]) for b in care_plan_blocks(plan)
            if b.keep_with_next]


def test_the_standards_sections_come_first_and_hold_goals_and_progress():
    assert [s.title for s in PCSP_SECTIONS][:2] == [ABOUT_ME, CARE_AND_SUPPORT_PLAN]
    assert all(s.standard for s in PCSP_SECTIONS[:2])
    assert section_of("what_matters").title == ABOUT_ME
    assert section_of("communication").title == ABOUT_ME
    assert section_of("goals").title == CARE_AND_SUPPORT_PLAN
    assert len(PART_KEYS) == len(set(PART_KEYS))
    # Every heading the plan used to have is kept under a section, so nothing was lost.
    former = {p.former for s in PCSP_SECTIONS for p in s.parts if p.former}
    assert former == {"What matters to me", "What I would like help with",
                      "Who is supporting me", "My goals", "What we agreed",
                      "Groups and services we talked about", "When we will next be in touch",
                      "Who to contact", "For my GP record"}


def test_arrange_leaves_out_empty_parts_and_sections_and_refuses_unknown_parts():
    out = arrange({"goals": ["g1", "g2"], "needs": [], "codes": ["c"]},
                  lambda s: f"# {s.title}", lambda p: f"## {p.heading}")
    assert out == ["# Care and support plan", "## My goals and how I am getting on", "g1", "g2",
                   "# For my GP record", "## What my practice records", "c"]
    with pytest.raises(KeyError):
        arrange({"diary": ["x"]}, str, str)


def test_the_plan_prints_under_the_pcsp_headings():
    assert _headings(_plan()) == [
        "About me", "What matters to me", "What I would like help with",
        "Care and support plan", "My goals and how I am getting on",
        "When we will next be in touch", "People supporting me", "Who to contact"]


def test_communication_needs_go_on_the_plan_only_where_the_person_agreed():
    alerts = (SafetyAlert("hearing", "Face me when you speak", show_on_plan=True),
              SafetyAlert("interpreter", "Polish", show_on_plan=False),
              SafetyAlert("safeguarding", "Concern shared with the safeguarding lead"),
              SafetyAlert("lone_worker", "Visit in pairs"))
    communication = tuple(a.text for a in alerts_for_plan(alerts, date(2026, 3, 2)))
    html = care_plan_html(_plan(communication=communication))
    assert "How to communicate with me" in html
    assert "Hearing loss: Face me when you speak" in html
    for never in ("Polish", "safeguarding", "Safeguarding", "Visit in pairs", "lone worker"):
        assert never not in html
    about = html.index("About me")
    assert about < html.index("How to communicate with me") < html.index("Care and support plan")
    assert "How to communicate with me" not in care_plan_html(_plan())
