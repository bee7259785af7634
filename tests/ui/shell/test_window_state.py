"""The window opens as it was last left on the same screens, and fills a small screen."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect

from arrs_desktop import paths
from arrs_desktop.settings import Settings
from arrs_desktop.ui.shell.main_window import MainWindow
from arrs_desktop.ui.shell.window_state import WindowState, first_geometry, screen_key
from tests import layout_audit


def _window(qtbot, store):
    window = MainWindow(store, Settings(user_name="Sam Kirby", role="splw"), None)
    qtbot.addWidget(window)
    return window


def test_first_open_fills_a_laptop_screen_and_most_of_a_big_one():
    rect, maximised = first_geometry(QRect(0, 0, 1366, 728))
    assert maximised and rect == QRect(0, 0, 1366, 728)
    rect, maximised = first_geometry(QRect(0, 0, 911, 485))  # 1366×768 at 150 %
    assert maximised
    rect, maximised = first_geometry(QRect(0, 0, 1920, 1040))
    assert not maximised
    assert (rect.width(), rect.height()) == (1728, 936)
    assert rect.center() == QRect(0, 0, 1920, 1040).center()


def test_first_open_on_this_screen_is_maximised_not_a_small_default(qtbot, store):
    window = _window(qtbot, store)
    window.show_as_remembered()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert window.isMaximized()
    assert window.width() >= available.width() * 0.9
    assert window.height() >= available.height() * 0.9


def test_size_place_and_caseload_width_come_back_next_time(qtbot, store, isolated_home):
    first = _window(qtbot, store)
    first.show_as_remembered()
    first.showNormal()
    first.setGeometry(40, 50, 760, 560)
    qtbot.wait(10)
    first.splitter.setSizes([300, 455])
    sizes = first.splitter.sizes()
    first.close()
    assert paths.window_state_path().is_file()
    assert str(paths.window_state_path()).startswith(str(isolated_home))

    second = _window(qtbot, store)
    second.show_as_remembered()
    qtbot.waitExposed(second)
    assert not second.isMaximized()
    assert (second.width(), second.height()) == (760, 560)
    # Within the window frame's few pixels, which the headless screen counts differently.
    assert abs(second.x() - 40) <= 4 and abs(second.y() - 50) <= 4
    assert second.splitter.sizes() == sizes

    second.showMaximized()
    qtbot.wait(10)
    second.close()
    third = _window(qtbot, store)
    third.show_as_remembered()
    assert third.isMaximized()
    third.close()


def test_each_set_of_screens_has_its_own_place(qtbot, store):
    state = WindowState()
    state.save(b"laptop".ljust(8), b"split", key="1366x768+0+0")
    assert state.load(key="1366x768+0+0")[0] is not None
    assert state.load(key="1366x768+0+0;1920x1080+1366+0") == (None, None)
    assert screen_key()  # the screens in use now have a name


def test_a_narrow_window_keeps_header_buttons_and_every_tab_whole(qtbot, store):
    from arrs_desktop.domain.models import Episode, Person

    person = store.people.add(Person(name="Agnieszka Kowalska-Wiśniewska",
                                     nhs_number="9434765919", address="14 Mill Lane, "
                                     "Riverside", postcode="LS1 4AP", phone="07700 900123"))
    store.episodes.open(Episode(person_id=person.id, role="cc", referral_source="gp",
                               referral_date=date.today()))
    window = _window(qtbot, store)
    window.resize(910, 500)  # the old first-open size
    window.show()
    qtbot.waitExposed(window)
    window.open_person(person.id)
    qtbot.wait(10)
    header = window.person_view.header
    for button in (header.plan_button, header.edit_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    problems = layout_audit.problems(header) + [
        p for p in layout_audit.problems(window) if "tabbar" in p or "tab " in p]
    assert problems == []
    bar = window.views.tabBar()
    assert all(bar.rect().contains(bar.tabRect(i)) for i in range(bar.count()))
    assert window.width() <= 910 and window.height() <= 500
