"""My caseload: everyone I work with, whichever role leads, and whoever I have just added."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from arrs_desktop.domain.models import CaseloadFilter, Episode, Person
from arrs_desktop.settings import Settings
from tests.ui_helpers import answer_dialog, make_window, type_into

TODAY = date.today()


def _person(store, name, *episodes):
    person = store.people.add(Person(name=name))
    for role, worker, status in episodes:
        ep = store.episodes.open(Episode(person_id=person.id, role=role, worker=worker,
                                        referral_source="gp",
                                        referral_date=TODAY - timedelta(days=20)))
        if status != "referred":
            store.episodes.change_status(ep.id, "active", on=TODAY - timedelta(days=10))
        if status == "closed":
            store.episodes.change_status(ep.id, "closed", closure_reason="goals_met",
                                        on=TODAY - timedelta(days=1))
    return person


def _names(store, **mine):
    flt = CaseloadFilter(today=TODAY, **mine)
    return [r.name for r in store.caseload.page(flt, 0, 100)]


def _people(store):
    return {
        # referred to the link worker, but the coach's active episode leads
        "shared": _person(store, "Ada Shared", ("hwbc", "Sam Coach", "active"),
                          ("splw", "Lee Link", "referred")),
        "mine": _person(store, "Ben Mine", ("splw", "Lee Link", "active")),
        "unnamed": _person(store, "Cal Unnamed", ("splw", "", "referred")),
        "closed": _person(store, "Dee Closed", ("splw", "Lee Link", "closed")),
        "coach": _person(store, "Eve Coach", ("hwbc", "Sam Coach", "active")),
        "other": _person(store, "Fay Other", ("splw", "Kim Other", "active")),
    }


def test_my_caseload_holds_my_open_episodes_whoever_leads_and_unnamed_referrals(store):
    _people(store)
    assert _names(store, mine_worker="Lee Link", mine_role="splw") == [
        "Ada Shared", "Ben Mine", "Cal Unnamed"]
    assert _names(store, mine_worker="Sam Coach", mine_role="hwbc") == [
        "Ada Shared", "Eve Coach"]
    assert _names(store, mine_worker="Lee Link") == ["Ada Shared", "Ben Mine"]
    # The lead-role filter is another thing: the shared person is the coach's lead.
    assert "Ada Shared" not in _names(store, role="splw")
    flt = CaseloadFilter(today=TODAY, mine_worker="Lee Link", mine_role="splw")
    assert store.caseload.count(flt) == 3


def test_someone_just_added_stays_in_my_caseload(store):
    _people(store)
    new = store.people.add(Person(name="Gus New"))
    assert "Gus New" not in _names(store, mine_worker="Lee Link", mine_role="splw")
    assert "Gus New" in _names(store, mine_worker="Lee Link", mine_role="splw",
                               pinned=(new.id,))
    assert _names(store, mine_worker="Lee Link", pinned=(new.id,), text="gus") == ["Gus New"]


def test_link_workers_caseload_shows_the_person_on_her_follow_ups(qtbot, store):
    people = _people(store)
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    panel = window.caseload
    assert panel.my_caseload.isChecked()
    shown = [panel.model.row_object(r).name for r in range(panel.model.rowCount())]
    assert shown == ["Ada Shared", "Ben Mine", "Cal Unnamed"]
    mine = {i.person_id for i in store.follow_ups.due(TODAY + timedelta(days=30),
                                                      worker="Lee Link")}
    assert people["shared"].id in mine  # her follow-ups and her caseload agree


def test_a_person_added_with_my_caseload_ticked_stays_in_the_list(qtbot, store):
    _people(store)
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    panel = window.caseload
    failures: list = []

    def fill(dialog) -> None:
        type_into(qtbot, dialog.name, "Gus New")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    window.new_person()
    assert not failures
    assert panel.my_caseload.isChecked()
    shown = [panel.model.row_object(r).name for r in range(panel.model.rowCount())]
    assert "Gus New" in shown
    current = panel.model.row_object(panel.table.currentIndex().row())
    assert current.name == "Gus New"
    assert window.person_view.header.name_label.text() == "Gus New"
