"""Sessions tab: a link worker's day by keyboard, bad input, all-or-nothing saves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import (
    CommunityAsset,
    Episode,
    Goal,
    Ons4,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.settings import Settings
from arrs_desktop.store import ValidationError
from arrs_desktop.ui.person.sessions.sessions_model import SessionsModel
from arrs_desktop.ui.person.sessions.sessions_panel import SessionsPanel
from tests.ui_helpers import count, make_context, make_window, rows, type_into

TABLES = ("sessions", "outcome_measures", "goal_progress", "asset_referrals")


@pytest.fixture
def person(store):
    p = store.people.add(Person(name="Maria Silva", date_of_birth=date(1948, 6, 1)))
    store.episodes.open(Episode(person_id=p.id, role="splw", referral_date=date.today(),
                               referral_source="gp", worker="Lee Link"))
    return p


@pytest.fixture
def asset(store):
    store.community.add_asset(CommunityAsset(name="Allotment Buddies", category="nature_gardening"))
    return store.community.add_asset(CommunityAsset(name="Knit and Natter", category="befriending"))


def _counts(db_path) -> dict:
    return {t: count(db_path, t) for t in TABLES}


def test_link_worker_logs_session_with_ons4_and_referral_by_keyboard(qtbot, store, person,
                                                                      asset, db_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    panel = window.sessions_panel
    window.daily_work.log_session_action.trigger()  # Ctrl+Shift+S
    assert window.person_view.tabs.currentWidget() is panel
    assert panel.role.currentData() == "splw"
    assert panel.date.text() == f"{date.today():%d/%m/%Y}"

    type_into(qtbot, panel.minutes, "45")
    type_into(qtbot, panel.notes, "Talked about the allotment and the knitting group.")
    follow = date.today() + timedelta(days=14)
    type_into(qtbot, panel.follow_up, f"{follow:%d/%m/%Y}")
    panel.ons4_box.setFocus()
    qtbot.keyClick(panel.ons4_box, Qt.Key.Key_Space)
    assert panel.ons4_box.isChecked()
    for item, score in zip(("life_satisfaction", "worthwhile", "happy", "anxious"),
                           ("4", "5", "6", "7"), strict=True):
        type_into(qtbot, panel.ons4[item], score)
    type_into(qtbot, panel.asset_search, "knit")
    assert panel.asset_list.count() == 1
    panel.asset_list.setFocus()
    panel.asset_list.setCurrentRow(0)
    qtbot.keyClick(panel.asset_list, Qt.Key.Key_Space)
    assert "Knit and Natter" in panel.chosen_label.text()
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert panel.saved_label.text(), panel.general_error.text()
    assert rows(db_path, "SELECT date, role, kind, mode, minutes, worker, next_follow_up"
                         " FROM sessions") == [
        (date.today().isoformat(), "splw", "assessment", "face_to_face", 45, "Lee Link",
         follow.isoformat())]
    assert rows(db_path, "SELECT ons4_life_satisfaction, ons4_worthwhile, ons4_happy,"
                         " ons4_anxious FROM outcome_measures") == [(4, 5, 6, 7)]
    assert rows(db_path, "SELECT asset_id, outcome FROM asset_referrals") == [
        (asset.id, "pending")]
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("active", date.today().isoformat())]
    # The form is fresh again and the history shows the session.
    assert panel.minutes.text() == "" and not panel.ons4_box.isChecked()
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, 4)) == "45"
    assert QApplication.focusWidget() is panel.date
    # Every row written is in the audit log, by the user who did it.
    audited = {t for (t,) in rows(db_path, "SELECT DISTINCT table_name FROM audit_log")}
    assert {"sessions", "outcome_measures", "asset_referrals", "episodes"} <= audited


@pytest.mark.parametrize("field, value, error_key, words", [
    ("minutes", "", "minutes", "required"),
    ("date", "FUTURE", "date", "future"),
    ("ons4_anxious", "11", "ons4_anxious", "0 to 10"),
    ("goal", "11", "goal_score", "0 to 10"),
    ("follow_up", "PAST", "next_follow_up", "before the session date"),
])
def test_bad_session_shows_inline_error_and_saves_nothing(qtbot, store, person, asset,
                                                          db_path, field, value, error_key,
                                                          words):
    goal = store.goals.add(Goal(person_id=person.id, title="Get out more", owner_role="splw",
                               baseline=2))
    before = _counts(db_path)
    panel = SessionsPanel(make_context(store, Settings(role="splw")))
    qtbot.addWidget(panel)
    panel.set_person(person.id)
    type_into(qtbot, panel.minutes, "30")
    panel.ons4_box.setChecked(True)
    for edit in panel.ons4.values():
        type_into(qtbot, edit, "5")
    panel.choose_asset(asset.id)
    review = panel._goal_rows[0]
    type_into(qtbot, review.score, "6")
    assert review.check.isChecked()
    if field == "minutes":
        type_into(qtbot, panel.minutes, value)
    elif field == "date":
        type_into(qtbot, panel.date, f"{date.today() + timedelta(days=1):%d/%m/%Y}")
    elif field == "ons4_anxious":
        type_into(qtbot, panel.ons4["anxious"], value)
    elif field == "goal":
        type_into(qtbot, review.score, value)
    else:
        type_into(qtbot, panel.follow_up, f"{date.today() - timedelta(days=3):%d/%m/%Y}")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)

    key = f"goal_score_{goal.id}" if error_key == "goal_score" else error_key
    widget, error = panel.errors.fields[key]
    assert not error.isHidden()
    assert words in error.text()
    assert widget.property("invalid") == "true"
    assert "Nothing was saved" in panel.general_error.text()
    assert _counts(db_path) == before
    assert panel.minutes.text() != "" or field == "minutes"  # what was typed is kept


def test_log_session_is_all_or_nothing_when_a_late_step_fails(store, person, asset, db_path):
    goal = store.goals.add(Goal(person_id=person.id, title="Join a group", owner_role="splw",
                               baseline=3))
    audit_before = count(db_path, "audit_log")
    entry = SessionEntry(
        session=Session(person_id=person.id, date=date.today(), role="splw",
                        kind="assessment", mode="telephone", minutes=20),
        ons4=Ons4(5, 5, 5, 5), goal_scores=((goal.id, 6, ""),),
        asset_referrals=(asset.id, "no-such-asset"),
    )
    with pytest.raises(ValidationError):
        store.sessions.log(entry)
    assert _counts(db_path) == dict.fromkeys(TABLES, 0)
    assert count(db_path, "audit_log") == audit_before
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("referred", None)]


def test_session_default_role_is_the_persons_lead_role_without_settings(qtbot, store,
                                                                         person):
    panel = SessionsPanel(make_context(store, Settings()))
    qtbot.addWidget(panel)
    panel.set_person(person.id)
    assert panel.role.currentData() == "splw"
    panel.set_person(None)
    assert not panel.isEnabled()


def test_sessions_model_passes_qt_model_tester(qtmodeltester, store, person):
    for i in range(4):
        store.sessions.log(SessionEntry(Session(
            person_id=person.id, date=date.today() - timedelta(days=i), role="splw",
            kind="follow_up", mode="telephone", minutes=10 + i, notes=f"Call {i}\nmore")))
    model = SessionsModel(store)
    model.load(person.id)
    assert model.rowCount() == 4
    assert model.data(model.index(0, 5)) == "Call 0"
    qtmodeltester.check(model)


def test_tab_goes_from_the_ons4_scores_through_the_goals_to_the_referrals(qtbot, store,
                                                                          person):
    goal = store.goals.add(Goal(person_id=person.id, title="Get out more", owner_role="splw",
                               baseline=2))
    panel = SessionsPanel(make_context(store, Settings(role="splw")))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_person(person.id)
    panel.ons4_box.setChecked(True)
    chain = []
    widget = panel.ons4["anxious"]
    for _ in range(4):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isEnabled():
            widget = widget.nextInFocusChain()
        chain.append(widget.objectName())
    assert chain == [f"goalReviewed_{goal.id}", f"goalScore_{goal.id}",
                     f"goalNote_{goal.id}", "assetSearch"]


def test_a_whole_session_can_be_keyed_with_tab_and_ctrl_enter(qtbot, store, person, db_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    window.daily_work.log_session()
    panel = window.sessions_panel
    assert QApplication.focusWidget() is panel.date

    def tab() -> None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)

    tab()
    assert QApplication.focusWidget() is panel.role
    tab()
    assert QApplication.focusWidget() is panel.kind
    qtbot.keyClick(panel.kind, Qt.Key.Key_Down)  # assessment → follow-up
    tab()
    assert QApplication.focusWidget() is panel.mode
    qtbot.keyClick(panel.mode, Qt.Key.Key_Down)  # face to face → telephone
    tab()
    assert QApplication.focusWidget() is panel.minutes
    qtbot.keyClicks(panel.minutes, "25")
    tab()
    assert QApplication.focusWidget() is panel.follow_up
    qtbot.keyClicks(panel.follow_up, f"{date.today() + timedelta(days=7):%d/%m/%Y}")
    tab()
    assert QApplication.focusWidget() is panel.notes
    qtbot.keyClicks(panel.notes, "Phoned; going to the walking group")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert rows(db_path, "SELECT kind, mode, minutes, notes FROM sessions") == [
        ("follow_up", "telephone", 25, "Phoned; going to the walking group")]


def test_worker_logs_a_missed_contact_by_keyboard(qtbot, store, person, db_path):
    goal = store.goals.add(Goal(person_id=person.id, title="Get out more", owner_role="splw",
                               baseline=2))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    panel = window.sessions_panel
    window.daily_work.log_session_action.trigger()  # Ctrl+Shift+S
    assert panel.ons4_box.isVisibleTo(panel) and panel.goals_box.isVisibleTo(panel)
    panel.kind.setFocus()
    qtbot.keyClicks(panel.kind, "Did")
    assert panel.kind.currentData() == "did_not_attend"
    # No scores, goal review or referrals for a missed contact; minutes may stay blank.
    assert not panel.ons4_box.isVisibleTo(panel)
    assert not panel.goals_box.isVisibleTo(panel)
    assert not panel.assets_box.isVisibleTo(panel)
    assert panel.minutes.placeholderText() == "0"
    panel.mode.setFocus()
    qtbot.keyClicks(panel.mode, "Home")
    assert panel.mode.currentData() == "home_visit"
    rebooked = date.today() + timedelta(days=3)
    type_into(qtbot, panel.follow_up, f"{rebooked:%d/%m/%Y}")
    type_into(qtbot, panel.notes, "Not in; card left, rebooked.")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert "Missed contact" in panel.saved_label.text(), panel.general_error.text()
    assert rows(db_path, "SELECT kind, mode, minutes, worker, next_follow_up FROM sessions") == [
        ("did_not_attend", "home_visit", 0, "Lee Link", rebooked.isoformat())]
    assert _counts(db_path) == {"sessions": 1, "outcome_measures": 0, "goal_progress": 0,
                                "asset_referrals": 0}
    # Not a contact: the referral is still waiting for its first contact, with no GP code.
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("referred", None)]
    episode = store.episodes.for_person(person.id)[0]
    assert store.gp_codes.for_episode(episode.id) == []
    assert panel.model.data(panel.model.index(0, 2)) == "Did not attend / no answer"
    assert panel.model.data(panel.model.index(0, 4)) == "0"
    # The fresh form is an assessment still (Maria has not been seen), with everything back.
    assert panel.kind.currentData() == "assessment"
    assert panel.ons4_box.isVisibleTo(panel) and panel.goals_box.isVisibleTo(panel)
    assert panel.minutes.placeholderText() == "mins"
    assert [gr.goal.id for gr in panel._goal_rows] == [goal.id]


def test_missed_contact_with_bad_minutes_shows_inline_error(qtbot, store, person, db_path):
    panel = SessionsPanel(make_context(store, Settings(role="splw")))
    qtbot.addWidget(panel)
    panel.set_person(person.id)
    panel.kind.setCurrentIndex(panel.kind.findData("did_not_attend"))
    type_into(qtbot, panel.minutes, "700")
    assert not panel.save()
    widget, error = panel.errors.fields["minutes"]
    assert not error.isHidden() and "600" in error.text()
    assert "Nothing was saved" in panel.general_error.text()
    assert count(db_path, "sessions") == 0


@pytest.mark.parametrize("extra, field", [
    ({"ons4": Ons4(5, 5, 5, 5)}, "ons4"),
    ({"swemwbs_raw": 20}, "swemwbs_raw"),
    ({"goal_scores": "GOAL"}, "goal_scores"),
    ({"asset_referrals": "ASSET"}, "asset_referrals"),
])
def test_missed_contact_refuses_scores_and_saves_nothing(store, person, asset, db_path, extra,
                                                         field):
    goal = store.goals.add(Goal(person_id=person.id, title="Join a group", owner_role="splw",
                               baseline=3))
    if extra.get("goal_scores") == "GOAL":
        extra = {"goal_scores": ((goal.id, 6, ""),)}
    if extra.get("asset_referrals") == "ASSET":
        extra = {"asset_referrals": (asset.id,)}
    before = _counts(db_path)
    with pytest.raises(ValidationError) as err:
        store.sessions.log(SessionEntry(
            session=Session(person_id=person.id, date=date.today(), role="splw",
                            kind="did_not_attend", mode="telephone", minutes=None),
            **extra))
    assert field in err.value.errors
    assert _counts(db_path) == before
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("referred", None)]


def test_missed_contact_needs_date_role_and_mode_and_then_a_contact_counts(store, person,
                                                                          db_path):
    with pytest.raises(ValidationError) as err:
        store.sessions.log(SessionEntry(Session(
            person_id=person.id, date=None, role="", kind="did_not_attend", mode="",
            minutes=None)))
    assert {"date", "role", "mode"} <= set(err.value.errors)
    assert "minutes" not in err.value.errors
    with pytest.raises(ValidationError) as err:  # any other kind still needs its minutes
        store.sessions.log(SessionEntry(Session(
            person_id=person.id, date=date.today(), role="splw", kind="follow_up",
            mode="telephone", minutes=None)))
    assert "minutes" in err.value.errors
    day = date.today() - timedelta(days=2)
    store.sessions.log(SessionEntry(Session(
        person_id=person.id, date=day, role="splw", kind="did_not_attend", mode="telephone",
        minutes=3, notes="No answer", next_follow_up=date.today())))
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("referred", None)]
    assert rows(db_path, "SELECT next_follow_up FROM people") == [(date.today().isoformat(),)]
    store.sessions.log(SessionEntry(Session(
        person_id=person.id, date=date.today(), role="splw", kind="follow_up",
        mode="telephone", minutes=30)))
    assert rows(db_path, "SELECT status, first_contact_date FROM episodes") == [
        ("active", date.today().isoformat())]
