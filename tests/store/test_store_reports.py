"""Every report figure checked against values worked out by hand on a small caseload."""

from datetime import date

import pytest

from arrs_desktop.domain.models import GpCode
from arrs_desktop.domain.periods import Period, ReportFilter
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.reports.extract import people_extract
from arrs_desktop.reports.report_set import (
    care_homes_report,
    contacts_by_month,
    goals_report,
    report_set,
)
from arrs_desktop.reports.tables import ALL_ROLES, ALL_WORKERS
from tests.db_helpers import sql_rows
from tests.fixture_caseload import OCTOBER, build_fixture

SPLW, CC, HWBC = ("Social Prescribing Link Worker", "Care Coordinator",
                  "Health and Wellbeing Coach")


@pytest.fixture
def fx(store):
    return build_fixture(store)


@pytest.fixture
def october(store, fx):
    return report_set(store.reports, OCTOBER, today=date(2026, 1, 1))


def test_caseload_table_by_hand(october):
    t = october.table("caseload")
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    # caseload, new referrals, first contacts, median days, closed, declined
    assert rows[(SPLW, "Wendy")] == (2, 1, 1, 4.0, 0, 0)
    assert rows[(SPLW, "Xavier")] == (1, 1, 1, 2.0, 0, 0)
    assert rows[(SPLW, ALL_WORKERS)] == (3, 2, 2, 3.0, 0, 0)
    assert rows[(CC, "Carl")] == (1, 1, 1, 7.0, 1, 0)
    assert rows[(HWBC, "Hana")] == (0, 1, 0, None, 0, 1)
    assert rows[(ALL_ROLES, ALL_WORKERS)] == (4, 4, 3, 4.0, 1, 1)
    assert t.rows[-1][:2] == (ALL_ROLES, ALL_WORKERS)


def test_contacts_table_by_hand(october):
    t = october.table("contacts")
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    # people seen, contacts, minutes, contacts per person, did not attend / no answer
    # (Bob's and Dan's missed contacts are counted apart, with none of their minutes)
    assert rows[(SPLW, "Wendy")] == (2, 3, 135, 1.5, 1)
    assert rows[(SPLW, "Xavier")] == (1, 1, 30, 1.0, 0)
    assert rows[(SPLW, ALL_WORKERS)] == (3, 4, 165, 1.3, 1)
    assert rows[(CC, "Carl")] == (1, 1, 20, 1.0, 0)
    assert rows[(HWBC, "Hana")] == (0, 0, 0, None, 1)
    assert rows[(HWBC, ALL_WORKERS)] == (0, 0, 0, None, 1)
    assert rows[(ALL_ROLES, ALL_WORKERS)] == (4, 5, 185, round(5 / 4, 1), 2)


def test_referrals_and_closures_by_hand(october):
    src = {(r[0], r[1]): r[2] for r in october.table("referrals_by_source").rows}
    assert src == {(SPLW, "Self-referral"): 2, (CC, "GP"): 1, (HWBC, "GP"): 1,
                   (ALL_ROLES, "GP"): 2, (ALL_ROLES, "Self-referral"): 2}
    reason = {(r[0], r[1]): r[2] for r in october.table("referrals_by_reason").rows}
    assert reason[(SPLW, "Money worries")] == 1
    assert reason[(SPLW, "Bereaved")] == 1
    assert reason[(HWBC, "(no reason recorded)")] == 1
    assert sum(v for (role, _), v in reason.items() if role == ALL_ROLES) == 4
    closures = {(r[0], r[1]): r[2] for r in october.table("closures_by_reason").rows}
    assert closures == {(CC, "Goals met"): 1, (HWBC, "Declined the referral"): 1,
                        (ALL_ROLES, "Goals met"): 1, (ALL_ROLES, "Declined the referral"): 1}


def test_ons4_change_by_hand(october):
    t = october.table("ons4_change")
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    # better when, people, mean first, mean latest, mean change (Ann and Bob; never totalled)
    assert rows[(SPLW, "Life satisfaction")] == ("Higher", 2, 3.0, 5.5, 2.5)
    assert rows[(SPLW, "Things you do are worthwhile")] == ("Higher", 2, 4.0, 4.5, 0.5)
    assert rows[(SPLW, "Happiness yesterday")] == ("Higher", 2, 2.5, 4.5, 2.0)
    assert rows[(SPLW, "Anxiety yesterday")] == ("Lower", 2, 8.5, 5.5, -3.0)
    assert rows[(CC, "Life satisfaction")] == ("Higher", 0, None, None, None)  # one score only
    assert rows[(ALL_ROLES, "Anxiety yesterday")] == ("Lower", 2, 8.5, 5.5, -3.0)
    assert "lower is better" in t.note.lower()
    assert not any("total" in str(c).lower() for c in t.columns)


def test_care_homes_by_hand(store, fx, october):
    t = october.table("care_homes")
    assert t.rows == (
        ("Ash House", 2, date(2025, 10, 20), date(2025, 10, 27), "Overdue"),
        ("Birch Court", 1, date(2025, 10, 25), date(2025, 11, 1), "Up to date"),
        ("Cedar Lodge", 0, None, None, "No contact recorded"),
    )
    # Judged on today when today is inside the period.
    early = care_homes_report(store.reports, OCTOBER, ReportFilter(), today=date(2025, 10, 10))
    assert early.rows[0][2:] == (date(2025, 10, 1), date(2025, 10, 8), "Overdue")
    assert early.rows[1][4] == "Overdue"  # Dora's contact of 25 Sep was due 2 Oct
    dora = care_homes_report(store.reports, OCTOBER, ReportFilter(worker="Dora"), date(2026, 1, 1))
    assert [r[1] for r in dora.rows] == [0, 0, 0]


def test_sp_referral_code_counts_first_ever_link_worker_contact(october):
    t = october.table("sp_referral_code")
    # Bob's first link-worker contact was in October; Ann's and Eve's were before it.
    assert t.rows == (("Wendy", 1), (ALL_WORKERS, 1))


def test_summary(october):
    s = dict(october.table("summary").rows)
    assert s["Active caseload (people)"] == 4
    assert s["New referrals"] == 4
    assert s["Median days from referral to first contact"] == 4.0
    assert s["Contacts"] == 5
    assert s["Contact minutes"] == 185
    assert s["People seen"] == 4
    assert s["Did not attend / no answer"] == 2
    assert s["Episodes closed"] == 1
    assert s["Care homes overdue a contact at the end of the period"] == 1
    assert s["People with a first 'Referral to social prescribing service' code"] == 1


def test_contacts_by_month(store, fx):
    t = contacts_by_month(store.reports, Period.custom(date(2025, 8, 1), date(2025, 10, 31)),
                                       ReportFilter())
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    assert rows[(date(2025, 8, 1), SPLW)] == (1, 30)
    assert rows[(date(2025, 9, 1), SPLW)] == (1, 30)
    assert rows[(date(2025, 10, 1), SPLW)] == (4, 165)
    assert rows[(date(2025, 10, 1), CC)] == (1, 20)
    assert rows[(date(2025, 10, 1), HWBC)] == (0, 0)
    assert len(t.rows) == 9


def test_goals_set_and_achieved(store, fx):
    t = goals_report(store.reports, Period.this_month(date.today()), ReportFilter())
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    assert rows[(SPLW, "Wendy")] == (1, 1)
    assert rows[(CC, "Carl")] == (1, 0)
    assert rows[(ALL_ROLES, ALL_WORKERS)] == (2, 1)
    assert goals_report(store.reports, OCTOBER, ReportFilter()).rows == (
        (ALL_ROLES, ALL_WORKERS, 0, 0),)


def test_role_and_worker_filters(store, fx):
    cc = report_set(store.reports, OCTOBER, ReportFilter(role="cc"), today=date(2026, 1, 1))
    assert [r[:2] for r in cc.table("caseload").rows] == [(CC, "Carl"), (CC, ALL_WORKERS)]
    assert cc.table("sp_referral_code").rows == ()
    assert {r[0] for r in cc.table("ons4_change").rows} == {CC}
    wendy = report_set(store.reports, OCTOBER, ReportFilter(worker="Wendy"), today=date(2026, 1, 1))
    caseload = {(r[0], r[1]): r[2] for r in wendy.table("caseload").rows}
    assert caseload == {(SPLW, "Wendy"): 2, (SPLW, ALL_WORKERS): 2, (ALL_ROLES, ALL_WORKERS): 2}
    assert dict(wendy.table("summary").rows)["Contacts"] == 3
    assert dict(wendy.table("summary").rows)["Did not attend / no answer"] == 1
    assert store.reports.workers() == ["Carl", "Hana", "Wendy", "Xavier"]
    assert store.reports.workers("splw") == ["Wendy", "Xavier"]


def test_people_extract_deidentifies_without_consent(store, fx):
    t = people_extract(store.reports, OCTOBER, salt="fixed")
    col = {name.split(": ", 1)[-1]: i for i, name in enumerate(t.columns)}
    assert {c.split(": ")[0] for c in t.columns if ": " in c} == {
        "Demographics", "Needs and concerns", "Support offered", "Outcomes"}
    by_episode = {r[0]: r for r in t.rows}
    assert set(by_episode) == {fx.episodes[k] for k in ("ann", "bob", "cat", "dan", "eve")}
    ann = by_episode[fx.episodes["ann"]]
    assert ann[col["Name"]] == "Ann Archer"
    assert ann[col["NHS number"]] == "9434765919"
    assert ann[col["Postcode"]] == "LS1 4AB"
    assert ann[col["Needs and concerns"]] == "Lonely or isolated; Struggling carer"
    assert ann[col["Contacts"]] == 2
    assert ann[col["Contact minutes"]] == 75
    assert ann[col["ONS4 life satisfaction first"]] == 4
    assert ann[col["ONS4 life satisfaction latest"]] == 6
    assert ann[col["Age at referral"]] == 75
    bob = by_episode[fx.episodes["bob"]]
    assert bob[col["Contacts"]] == 2  # not the missed contact of 4 Oct
    assert bob[col["Contact minutes"]] == 90
    assert bob[col["First contact date"]] == date(2025, 10, 6)
    assert bob[col["Days referral to first contact"]] == 4
    eve = by_episode[fx.episodes["eve"]]
    for name in ("Name", "NHS number", "Address", "Postcode", "Phone", "Date of birth"):
        assert eve[col[name]] is None, name
    assert eve[col["Person reference"]].startswith("P-")
    assert eve[col["Person reference"]] != fx.people["eve"]
    assert eve[col["Identifiable"]] == "No"
    flat = repr(t.rows)
    for secret in ("Eve Evans", "9999999999", "LS2 9ZZ", "5 Elm Street", "0113 000 0005",
                   fx.people["eve"]):
        assert secret not in flat
    dan = by_episode[fx.episodes["dan"]]
    assert dan[col["Episode status"]] == "Declined"


def test_codes_for_episode(store, fx):
    e = fx.episodes
    assert [c.code for c in store.gp_codes.for_episode(e["bob"])] == ["871731000000106"]
    assert store.gp_codes.for_episode(e["bob"])[0].on == date(2025, 10, 6)
    assert store.gp_codes.for_episode(e["dan"]) == []  # a declined coach referral: no SP code
    store.gp_codes.add(GpCode(code="1234567", term="Care coordination started",
                             applies_to="cc_first_contact"))
    closed = store.gp_codes.add(GpCode(code="7654321", term="Support ended", applies_to="closed"))
    store.gp_codes.add(GpCode(code="1111111", term="Pick by hand"))
    assert [c.code for c in store.gp_codes.for_episode(e["cat"])] == ["1234567", "7654321"]
    assert store.gp_codes.for_episode(e["cat"])[1].on == date(2025, 10, 28)
    with pytest.raises(ValidationError) as err:
        store.gp_codes.add(GpCode(code="2222222", term="x", applies_to="whenever"))
    assert "applies_to" in err.value.errors
    store.gp_codes.remove(closed.id)
    assert [c.code for c in store.gp_codes.for_episode(e["cat"])] == ["1234567"]
    with pytest.raises(ValidationError):
        store.gp_codes.remove("shipped-871731000000106")


def test_declined_link_worker_referral_gets_declined_code(store, fx):
    from arrs_desktop.domain.models import Episode

    ep = store.episodes.open(Episode(person_id=fx.people["dan"], role="splw",
                                    referral_date=date(2025, 11, 1), referral_source="gp"))
    store.episodes.change_status(ep.id, "declined", on=date(2025, 11, 2))
    codes = store.gp_codes.for_episode(ep.id)
    assert [(c.code, c.on) for c in codes] == [("871711000000103", date(2025, 11, 2))]


def test_report_queries_use_indexes(store, fx):
    plan = " ".join(r["detail"] for r in sql_rows(store,
        "EXPLAIN QUERY PLAN SELECT role, worker, person_id, count(*) FROM sessions"
        " WHERE date BETWEEN '2025-10-01' AND '2025-10-31' GROUP BY role, worker, person_id"))
    assert "sessions_report" in plan or "sessions_date" in plan
