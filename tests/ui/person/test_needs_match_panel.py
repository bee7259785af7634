"""The Needs & match tab in the real window: ticks, live ranking, what matters, allocation."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton

from arrs_desktop.domain.catalogue import SP_DECLINED_CODE, SP_REFERRAL_CODE
from arrs_desktop.domain.gp_codes import codes_that_apply
from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common.widgets import role_badge
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.person.needs_match.episode_day_dialog import EpisodeDayDialog
from arrs_desktop.ui.person.needs_match.episode_row import EpisodeRow
from arrs_desktop.ui.person.needs_match.needs_panel import NeedsPanel
from arrs_desktop.ui.person.needs_match.role_match_panel import RoleMatchPanel
from arrs_desktop.ui.shell.app import create_window
from tests.ui_helpers import fill_referrer, make_context


@pytest.fixture
def window(qtbot, store):
    """Open the real window on an empty store, with one person shown."""
    person = store.people.add(Person(name="Ada Lovelace", date_of_birth=date(1950, 3, 1)))
    win = create_window(store, Settings(user_name="Sam Worker"), load_rules(None))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.open_person(person.id)
    win.person_id = person.id
    return win


def panels(win) -> tuple[NeedsPanel, RoleMatchPanel]:
    return (win.findChild(NeedsPanel, "needsPanel"),
            win.findChild(RoleMatchPanel, "roleMatchPanel"))


def tick(qtbot, needs: NeedsPanel, need_id: str) -> None:
    box = needs.findChild(QCheckBox, f"need_{need_id}")
    # click on the tick itself (the middle of a wide row may be past a short label)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_tab_is_first_person_tab_and_panels_are_named(window):
    text = window.person_view.tabs.tabText(0)
    assert text.replace("&&", "\0").replace("&", "").replace("\0", "&") == "Needs & match"
    needs, match = panels(window)
    assert needs is not None and match is not None
    for code in ("splw", "cc", "hwbc"):
        button = window.findChild(QPushButton, f"allocateButton_{code}")
        assert button is not None and button.accessibleName()
    assert len(needs.boxes) == 22
    assert all(b.toolTip() and b.accessibleName() for b in needs.boxes.values())


def test_empty_state_tells_the_worker_to_tick_needs(window):
    _, match = panels(window)
    assert match.result.lead is None
    assert "No clear match" in match.summary.text()
    assert "Tick" in match.summary.text()


def test_ticking_needs_reranks_the_roles_with_reasons(qtbot, window, store):
    needs, match = panels(window)
    tick(qtbot, needs, "loneliness")
    assert match.ranked_roles()[0] == "splw"
    assert match.cards["splw"].badge.text() == "Lead"
    assert "Lonely" in match.cards["splw"].reasons.text()
    for need in ("copd", "type2_diabetes", "behaviour_change", "goal_setting"):
        tick(qtbot, needs, need)
    assert match.ranked_roles()[0] == "hwbc"
    assert match.cards["hwbc"].badge.text() == "Lead"
    assert "COPD" in match.cards["hwbc"].reasons.text()
    assert match.cards["hwbc"].score.text().startswith("Score ")
    # unticking takes the evidence away again
    for need in ("copd", "type2_diabetes", "behaviour_change", "goal_setting"):
        tick(qtbot, needs, need)
    assert match.ranked_roles()[0] == "splw"
    assert store.needs.current(window.person_id) == frozenset({"loneliness"})


def test_keyboard_space_ticks_a_need(qtbot, window, store):
    needs, match = panels(window)
    box = needs.boxes["care_home"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert store.needs.current(window.person_id) == frozenset({"care_home"})
    assert match.ranked_roles()[0] == "cc"


def test_needs_are_saved_with_history(qtbot, window, store):
    needs, _ = panels(window)
    tick(qtbot, needs, "mental_health")
    tick(qtbot, needs, "copd")
    tick(qtbot, needs, "mental_health")  # untick
    assert store.needs.current(window.person_id) == frozenset({"copd"})
    rows = store.db.execute(
        "SELECT need_id, removed_at FROM needs WHERE person_id = ? ORDER BY need_id",
        [window.person_id]).fetchall()
    assert [(r[0], r[1] is None) for r in rows] == [("copd", True), ("mental_health", False)]
    history = store.needs.history(window.person_id)
    assert {h.need_id for h in history} == {"copd", "mental_health"}


def test_what_matters_saves_without_a_save_button(qtbot, window, store):
    needs, _ = panels(window)
    needs.what_matters.setFocus()
    qtbot.keyClicks(needs.what_matters, "Getting back to the allotment")
    qtbot.waitUntil(lambda: store.people.get(window.person_id).what_matters
                    == "Getting back to the allotment", timeout=3000)
    assert needs.save_note.text() == "Saved"
    # focus leaving the box saves at once too
    qtbot.keyClicks(needs.what_matters, " with my grandson")
    needs.flush()
    assert store.people.get(window.person_id).what_matters.endswith("with my grandson")


def test_what_matters_is_saved_when_another_person_is_opened(qtbot, window, store):
    other = store.people.add(Person(name="Bob Other"))
    needs, _ = panels(window)
    qtbot.keyClicks(needs.what_matters, "Walking the dog")
    window.person_view.show_person(other.id)
    assert store.people.get(window.person_id).what_matters == "Walking the dog"
    assert needs.what_matters.toPlainText() == ""


def test_what_matters_is_saved_when_the_window_closes(qtbot, window, store):
    needs, _ = panels(window)
    qtbot.keyClicks(needs.what_matters, "Seeing my sister")
    window.close()
    assert store.people.get(window.person_id).what_matters == "Seeing my sister"


def test_what_matters_error_is_shown_inline(qtbot, window, store):
    needs, _ = panels(window)
    needs.what_matters.setPlainText("x" * 5000)
    needs.flush()
    assert needs.what_matters_error.isVisible()
    assert "too long" in needs.what_matters_error.text()


def test_allocate_through_the_dialog_records_the_suggestion(qtbot, window, store, monkeypatch):
    needs, match = panels(window)
    tick(qtbot, needs, "loneliness")
    tick(qtbot, needs, "community_interest")
    seen = {}

    def drive(cls, parent, context, person_id, role, default_worker="", worker_role=None):
        dialog = cls(context, person_id, role, default_worker, parent, worker_role)
        seen["worker"] = dialog.worker.text()
        seen["role"] = dialog.role.currentData()
        dialog.source.setCurrentIndex(dialog.source.findData("self"))
        dialog.share_yes.setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.saved, dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(AllocateDialog, "ask", classmethod(drive))
    qtbot.mouseClick(window.findChild(QPushButton, "allocateButton_splw"),
                     Qt.MouseButton.LeftButton)
    assert seen == {"worker": "Sam Worker", "role": "splw"}
    episodes = store.episodes.for_person(window.person_id)
    assert len(episodes) == 1
    ep = episodes[0]
    assert (ep.role, ep.suggested_role, ep.followed_suggestion) == ("splw", "splw", True)
    assert ep.worker == "Sam Worker" and ep.referral_source == "self"
    row = store.db.execute("SELECT suggestion_json FROM episodes WHERE id = ?",
                           [ep.id]).fetchone()
    assert json.loads(row[0]) == match.result.to_json_dict()
    # the card now says the person is already with a link worker
    button = window.findChild(QPushButton, "allocateButton_splw")
    assert not button.isEnabled() and "Already with link worker" in button.text()
    # the caseload shows the lead role
    model = window.caseload.model
    row_index = model.row_of(window.person_id)
    lead_column = [key for key, _title in model.COLUMNS].index("lead_role")
    assert model.data(model.index(row_index, lead_column)) == "Link worker"


def test_allocating_against_the_suggestion_is_recorded(qtbot, store):
    person = store.people.add(Person(name="Cara Dunn"))
    store.needs.set(person.id, {"copd", "type2_diabetes"})
    result = RoleMatchPanel(load_rules(None).rules)
    result.set_needs({"copd", "type2_diabetes"})
    dialog = AllocateDialog(make_context(store), person.id, "cc", "Sam")
    qtbot.addWidget(dialog)
    assert "different role" in dialog.suggestion_note.text()
    dialog.share_no.setChecked(True)
    fill_referrer(dialog)
    dialog.save()
    ep = dialog.saved
    assert (ep.role, ep.suggested_role, ep.followed_suggestion) == ("cc", "hwbc", False)
    assert ep.suggestion["lead"] == "hwbc"


def test_allocate_dialog_shows_errors_by_the_field(qtbot, store):
    person = store.people.add(Person(name="Dee Field"))
    dialog = AllocateDialog(make_context(store), person.id, "splw", "")
    qtbot.addWidget(dialog)
    dialog.show()
    future = date.today() + timedelta(days=3)
    dialog.referral_date.setText(f"{future:%d/%m/%Y}")
    dialog.share_yes.setChecked(True)
    dialog.save()
    assert dialog.saved is None
    error = dialog.form.fields["referral_date"][1]
    assert error.isVisible() and "future" in error.text()
    assert store.episodes.for_person(person.id) == []


def test_a_second_open_episode_with_the_same_role_is_refused(qtbot, store):
    person = store.people.add(Person(name="Eve Twice"))
    store.episodes.open(Episode(person_id=person.id, role="cc", referral_date=date.today(),
                               referral_source="gp"))
    dialog = AllocateDialog(make_context(store), person.id, "cc", "")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.share_unasked.setChecked(True)
    fill_referrer(dialog)
    dialog.save()
    assert dialog.saved is None
    assert "already has an open episode" in dialog.form.fields["role"][1].text()


def confirm_the_day(qtbot) -> None:
    """Answer the next "which day?" dialog of a status move with its default, today."""

    def confirm():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "episodeDateDialog"
        dialog.findChild(QPushButton, "confirmDateButton").click()

    QTimer.singleShot(0, confirm)


def test_status_moves_and_gp_codes(qtbot, window, store, monkeypatch):
    episode = store.episodes.open(Episode(person_id=window.person_id, role="splw",
                                         referral_date=date.today() - timedelta(days=5),
                                         referral_source="gp"))
    window.person_view.show_person(window.person_id)
    eps = window.needs_match.episodes_panel
    assert [r.episode.id for r in eps.rows] == [episode.id]
    buttons = eps.rows[0].buttons
    assert set(buttons) == {"active", "closed", "declined"}
    # Starting asks for the day of the first contact (today unless changed), then records it.
    first = date.today() - timedelta(days=1)

    def answer_first_contact():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "episodeDateDialog"
        assert not dialog.reason.isVisible()
        dialog.day.set_value(first)
        dialog.findChild(QPushButton, "confirmDateButton").click()

    QTimer.singleShot(0, answer_first_contact)
    qtbot.mouseClick(buttons["active"], Qt.MouseButton.LeftButton)
    started = store.episodes.get(episode.id)
    assert (started.status, started.first_contact_date) == ("active", first)
    assert eps.gp_bar.isVisible() and SP_REFERRAL_CODE in eps.gp_bar.text.text()
    qtbot.mouseClick(eps.gp_bar.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == SP_REFERRAL_CODE
    # an invalid move is refused with the store's message
    assert not eps.change_status(episode.id, "declined")
    assert eps.error.isVisible() and "cannot move from Active to Declined" in eps.error.text()
    assert store.episodes.get(episode.id).status == "active"
    qtbot.mouseClick(eps.rows[0].buttons["on_hold"], Qt.MouseButton.LeftButton)
    assert store.episodes.get(episode.id).status == "on_hold"
    assert eps.rows[0].buttons["active"].text() == "Resume"
    monkeypatch.setattr(EpisodeDayDialog, "ask",
                        classmethod(lambda cls, parent, ref=None: (("goals_met", date.today()),
                                                                   True)))
    qtbot.mouseClick(eps.rows[0].buttons["closed"], Qt.MouseButton.LeftButton)
    closed = store.episodes.get(episode.id)
    assert (closed.status, closed.closure_reason) == ("closed", "goals_met")
    assert eps.rows[0].buttons == {}
    button = window.findChild(QPushButton, "allocateButton_splw")
    assert button.isEnabled()


def test_declining_a_link_worker_referral_shows_the_declined_code(qtbot, window, store):
    episode = store.episodes.open(Episode(person_id=window.person_id, role="splw",
                                         referral_date=date.today(), referral_source="gp"))
    window.person_view.show_person(window.person_id)
    eps = window.needs_match.episodes_panel
    confirm_the_day(qtbot)
    qtbot.mouseClick(eps.rows[0].buttons["declined"], Qt.MouseButton.LeftButton)
    assert store.episodes.get(episode.id).status == "declined"
    assert eps.gp_bar.code == SP_DECLINED_CODE
    assert "Social prescribing declined" in eps.gp_bar.text.text()


def test_consent_toggle_is_saved(qtbot, window, store):
    episode = store.episodes.open(Episode(person_id=window.person_id, role="hwbc",
                                         referral_date=date.today(), referral_source="gp"))
    window.person_view.show_person(window.person_id)
    row = window.needs_match.episodes_panel.rows[0]
    assert row.consent.isChecked()
    qtbot.mouseClick(row.consent, Qt.MouseButton.LeftButton)
    assert store.episodes.get(episode.id).share_with_gp is False


def test_close_dialog_needs_a_reason(qtbot):
    dialog = EpisodeDayDialog(date.today())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.confirm()
    assert dialog.value is None
    assert dialog.form.fields["closure_reason"][1].isVisible()
    dialog.reason.setCurrentIndex(1)
    dialog.confirm()
    assert dialog.value is not None


def test_a_pcn_code_shows_on_the_episode_and_in_the_notice(qtbot, window, store):
    from arrs_desktop.domain.models import GpCode

    store.gp_codes.add(GpCode(code="1234567890", term="Seen by care coordinator",
                             applies_to="cc_first_contact"))
    episode = store.episodes.open(Episode(person_id=window.person_id, role="cc",
                                         referral_date=date.today(), referral_source="gp"))
    window.person_view.show_person(window.person_id)
    eps = window.needs_match.episodes_panel
    assert eps.rows[0].codes == []
    confirm_the_day(qtbot)
    qtbot.mouseClick(eps.rows[0].buttons["active"], Qt.MouseButton.LeftButton)
    assert store.episodes.get(episode.id).status == "active"
    assert eps.gp_bar.isVisible() and eps.gp_bar.code == "1234567890"
    assert [c.code for c in eps.rows[0].codes] == ["1234567890"]


def shown_rows(win):
    """Return what each episode row on screen says, in order."""
    eps = win.needs_match.episodes_panel
    return [row for row in eps.findChildren(EpisodeRow) if row.isVisibleTo(eps)]


def rendering(row: EpisodeRow) -> dict:
    """Return everything an episode row shows a worker."""
    return {
        "name": row.objectName(),
        "badge": (row.badge.text(), row.badge.styleSheet(), row.badge.accessibleName()),
        "status": row.status_label.text(),
        "details": row.details.text(),
        "consent": (row.consent.isChecked(), row.consent.accessibleName()),
        "codes": (row.code_label.isVisibleTo(row), row.code_label.text()
                  if row.code_label.isVisibleTo(row) else ""),
        "buttons": [(b.objectName(), b.text(), b.accessibleName())
                    for b in row.findChildren(QPushButton) if b.isVisibleTo(row)],
    }


def test_episode_rows_are_reused_and_show_each_persons_episodes(qtbot, window, store):
    today = date.today()
    many = store.people.add(Person(name="Many Episodes")).id
    first = store.episodes.open(Episode(person_id=many, role="cc", referral_date=today,
                                       referral_source="gp", worker="Carl"))
    store.episodes.change_status(first.id, "active", on=today)
    store.episodes.change_status(first.id, "closed", on=today, closure_reason="goals_met")
    second = store.episodes.open(Episode(person_id=many, role="splw", referral_date=today,
                                        referral_source="self", share_with_gp=False))
    store.episodes.change_status(second.id, "active", on=today)
    store.episodes.open(Episode(person_id=many, role="hwbc", referral_date=today,
                               referral_source="gp"))
    one = store.people.add(Person(name="One Episode")).id
    store.episodes.open(Episode(person_id=one, role="cc", referral_date=today,
                               referral_source="gp", worker="Dee"))
    nobody = store.people.add(Person(name="No Episodes")).id
    eps = window.needs_match.episodes_panel
    table = store.gp_codes.all()

    def check(person_id: str) -> None:
        window.open_person(person_id)
        episodes = store.episodes.for_person(person_id)
        rows = shown_rows(window)
        assert [r.episode.id for r in rows] == [e.id for e in episodes]
        assert rows == eps.rows
        for row, episode in zip(rows, episodes, strict=True):
            fresh = EpisodeRow(episode, codes_that_apply(episode, table))
            qtbot.addWidget(fresh)
            assert rendering(row) == rendering(fresh)
            assert set(row.buttons) == set(fresh.buttons)
        assert eps.empty.isVisibleTo(eps) == (not episodes)
        badges = window.person_view.header.badge_labels
        open_roles = [e.role for e in episodes if e.status in ("referred", "active", "on_hold")]
        assert [b.text() for b in badges] == [
            role_badge(code).text() for code in open_roles]
        assert all(b.isVisibleTo(window.person_view.header) for b in badges)

    for person_id in (many, one, nobody, many, nobody, one, many):
        check(person_id)
    pooled = len(eps.findChildren(EpisodeRow))
    assert pooled == 3  # the rows made for the first person are used for everyone after

    # a reused row acts on the episode it shows now, and showing it changed nothing
    window.open_person(one)
    assert store.episodes.get(first.id).share_with_gp is True
    assert store.episodes.get(second.id).share_with_gp is False
    row = eps.rows[0]
    qtbot.mouseClick(row.consent, Qt.MouseButton.LeftButton)
    assert store.episodes.for_person(one)[0].share_with_gp is False
    assert store.episodes.get(first.id).share_with_gp is True
    confirm_the_day(qtbot)
    qtbot.mouseClick(row.buttons["active"], Qt.MouseButton.LeftButton)
    assert store.episodes.for_person(one)[0].status == "active"
    assert [r.status_label.text() for r in shown_rows(window)] == ["Active"]


def test_what_matters_comes_first_then_the_needs(window):
    from PySide6.QtWidgets import QPlainTextEdit

    edit = window.findChild(QPlainTextEdit, "whatMattersEdit")
    first_need = window.findChild(QCheckBox, "need_loneliness")
    assert edit.mapTo(window, edit.rect().topLeft()).y() < \
        first_need.mapTo(window, first_need.rect().topLeft()).y()
    chain, widget = [], edit
    for _ in range(50):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert first_need in chain  # Tab goes on from the words to the needs
    score = window.findChild(QLabel, "roleScoreText_splw")
    assert "weight" in score.toolTip()


def test_a_person_who_died_shows_it_and_cannot_be_allocated(qtbot, window, store):
    from datetime import timedelta

    from arrs_desktop.domain.models import Episode
    from arrs_desktop.store import ValidationError

    pid = window.person_id
    ep = store.episodes.open(Episode(person_id=pid, role="cc", referral_source="gp",
                                    referral_date=date.today() - timedelta(days=30)))
    store.episodes.change_status(ep.id, "active")
    died = date.today() - timedelta(days=3)
    store.episodes.change_status(ep.id, "closed", on=died, closure_reason="died")
    with pytest.raises(ValidationError) as info:
        store.episodes.open(Episode(person_id=pid, role="splw", referral_source="gp",
                                   referral_date=date.today()))
    assert "person_id" in info.value.errors and "died" in str(info.value)
    assert store.episodes.date_of_death(pid) == died
    other = store.people.add(Person(name="Bea Other"))
    window.open_person(other.id)
    window.open_person(pid)
    details = window.person_view.header.details.text().replace("\xa0", " ")
    assert details.startswith(f"Died {died:%d %b %Y}") and "aged" in details
    for code in ("splw", "cc", "hwbc"):
        button = window.findChild(QPushButton, f"allocateButton_{code}")
        assert not button.isEnabled() and button.text().startswith("Died")
    assert [e.role for e in store.episodes.for_person(pid)] == ["cc"]


def test_a_death_closes_every_open_episode_and_no_session_can_follow_it(store):
    from datetime import timedelta

    from arrs_desktop.domain.models import Episode, Session, SessionEntry
    from arrs_desktop.store import ValidationError

    person = store.people.add(Person(name="Len Last"))
    start = date.today() - timedelta(days=40)
    cc = store.episodes.open(Episode(person_id=person.id, role="cc", referral_source="gp",
                                    referral_date=start))
    store.episodes.change_status(cc.id, "active", on=start)
    store.episodes.open(Episode(person_id=person.id, role="splw", referral_source="gp",
                               referral_date=start + timedelta(days=5)))
    died = date.today() - timedelta(days=10)
    store.episodes.change_status(cc.id, "closed", on=died, closure_reason="died")
    assert {(e.role, e.status, e.closure_reason, e.closure_date)
            for e in store.episodes.for_person(person.id)} == {
        ("cc", "closed", "died", died), ("splw", "closed", "died", died)}
    audit = store.db.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'episodes' AND action = 'update'"
        " AND person_id = ? AND after_json LIKE '%died%'", [person.id]).fetchone()[0]
    assert audit == 2
    before = store.db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    with pytest.raises(ValidationError) as info:
        store.sessions.log(SessionEntry(session=Session(
            person_id=person.id, date=died + timedelta(days=1), role="cc", kind="follow_up",
            mode="telephone", minutes=10)))
    assert "date" in info.value.errors and "died" in str(info.value)
    assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == before
    store.sessions.log(SessionEntry(session=Session(  # a session on the day itself is fine
        person_id=person.id, date=died, role="cc", kind="follow_up", mode="telephone",
        minutes=10)))


def test_the_day_of_a_status_move_is_checked_where_it_is_typed(qtbot):
    referral = date.today() - timedelta(days=3)
    dialog = EpisodeDayDialog(referral, None, target="declined")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Referral declined" and not dialog.reason.isVisible()
    for day, message in ((referral - timedelta(days=1), "before the referral date"),
                         (date.today() + timedelta(days=1), "future")):
        dialog.day.set_value(day)
        dialog.findChild(QPushButton, "confirmDateButton").click()
        assert dialog.value is None and dialog.isVisible()
        assert message in dialog.form.fields["date"][1].text()
    dialog.day.set_value(referral)
    dialog.findChild(QPushButton, "confirmDateButton").click()
    assert dialog.value == (None, referral)
