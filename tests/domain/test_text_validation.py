"""Text that deceives: hidden direction controls and invisible characters are refused."""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialogButtonBox

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Episode,
    Goal,
    GoalProgress,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.domain.validation import clean_text
from arrs_desktop.store import ValidationError
from tests.ui_helpers import make_context

BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                 "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c",
             "\u00ad", "\u2062", "\U000e0041"]

EMOJI_AND_MARKS = [
    "Feeling better 👍🏽 today",
    "Family 👩\u200d👩\u200d👧 came to visit",  # a ZWJ sequence
    "Flag 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f at the match",
    "Zoe\u0308 (decomposed) and Zoë, Siân, Ó Briain, Nguyễn",
    "Said שלום and مرحبا",
    "Heart ❤\ufe0f",
]


# -- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("ch", BIDI_CONTROLS + INVISIBLE)
def test_names_refuse_direction_controls_and_invisible_characters(ch):
    with pytest.raises(ValueError) as info:
        clean_text(f"Ann{ch}Smith", required=True)
    message = str(info.value)
    assert f"U+{ord(ch):04X}" in message
    assert unicodedata.name(ch).lower() in message
    assert "type it again without it" in message


@pytest.mark.parametrize("ch", BIDI_CONTROLS)
def test_notes_refuse_direction_controls(ch):
    with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
        clean_text(f"Met at the cafe{ch}. Follow up next week", multiline=True,
                   max_len=4000)


@pytest.mark.parametrize("text", EMOJI_AND_MARKS)
def test_notes_keep_emoji_joiners_and_combining_marks(text):
    assert clean_text(text, multiline=True, max_len=4000) == text


@pytest.mark.parametrize("name", ["Zoë Adams", "Zoe\u0308 Adams", "Siân Ó Briain", "Nguyễn Văn",
                                  "José-María", "O'Brien", "דוד כהן", "محمد علي", "Ann 🌻"])
def test_names_keep_accents_scripts_and_plain_emoji(name):
    assert clean_text(name, required=True) == name


@given(st.text(st.one_of(st.characters(), st.sampled_from(BIDI_CONTROLS + INVISIBLE)),
               max_size=50))
def test_whatever_is_accepted_holds_no_hidden_direction_control(text):
    for multiline in (False, True):
        try:
            cleaned = clean_text(text, multiline=multiline, max_len=4000)
        except ValueError:
            continue
        assert not set(cleaned) & set(BIDI_CONTROLS)
        if not multiline:
            assert not any(unicodedata.category(c) == "Cf" for c in cleaned)


# -- every store field ---------------------------------------------------------------------------

@pytest.fixture
def ids(store):
    home = store.care_homes.add(CareHome(name="Oak Lodge"))
    person = store.people.add(Person(name="Pat Example"))
    episode = store.episodes.open(Episode(person_id=person.id, role="cc",
                                         referral_date=date(2026, 1, 1), referral_source="gp"))
    goal = store.goals.add(Goal(person_id=person.id, title="Garden", owner_role="cc",
                               baseline=2, episode_id=episode.id, set_date=date(2026, 1, 1)))
    return {"person": person.id, "home": home.id, "episode": episode.id, "goal": goal.id}


def _session(i, **kw):
    base = dict(person_id=i["person"], episode_id=i["episode"], date=date(2026, 1, 5),
                role="cc", kind="review", mode="telephone", minutes=20)
    return SessionEntry(Session(**{**base, **kw}))


NAME_FIELDS = [
    ("name", lambda s, i, t: s.people.add(Person(name=t))),
    ("phone", lambda s, i, t: s.people.add(Person(name="A", phone=f"0113{t}4960000"))),
    ("gp_practice", lambda s, i, t: s.people.add(Person(name="A", gp_practice=t))),
    ("name", lambda s, i, t: s.care_homes.add(CareHome(name=t))),
    ("lead_worker", lambda s, i, t: s.care_homes.add(CareHome(name="Elm", lead_worker=t))),
    ("name", lambda s, i, t: s.community.add_asset(CommunityAsset(name=t, category="advice"))),
    ("worker", lambda s, i, t: s.sessions.log(_session(i, worker=t))),
    ("worker", lambda s, i, t: s.episodes.open(Episode(
        person_id=i["person"], role="splw", referral_date=date(2026, 1, 1),
        referral_source="gp", worker=t))),
    ("title", lambda s, i, t: s.goals.add(Goal(person_id=i["person"], title=t,
                                              owner_role="cc", baseline=1))),
    ("worker", lambda s, i, t: s.care_homes.log_contact(CareHomeContact(
        care_home_id=i["home"], date=date(2026, 1, 1), kind="visit", worker=t))),
]
NOTE_FIELDS = [
    ("what_matters", lambda s, i, t: s.people.add(Person(name="A", what_matters=t))),
    ("notes", lambda s, i, t: s.sessions.log(_session(i, notes=t))),
    ("referral_reason", lambda s, i, t: s.episodes.open(Episode(
        person_id=i["person"], role="splw", referral_date=date(2026, 1, 1),
        referral_source="gp", referral_reason=t))),
    ("notes", lambda s, i, t: s.community.add_asset(CommunityAsset(name="Club", category="advice",
                                                         notes=t))),
    ("note", lambda s, i, t: s.goals.add_progress(GoalProgress(
        goal_id=i["goal"], date=date(2026, 1, 6), score=4, note=t))),
]


@pytest.mark.parametrize(("field", "write"), NAME_FIELDS + NOTE_FIELDS)
@pytest.mark.parametrize("ch", ["\u202e", "\u2066"])
def test_every_field_refuses_a_direction_override_and_changes_nothing(store, ids, field, write,
                                                                      ch):
    before = store.audit.count(), store.table_counts()
    with pytest.raises(ValidationError) as info:
        write(store, ids, f"Ann{ch}Smith")
    assert f"U+{ord(ch):04X}" in info.value.errors[field]
    assert (store.audit.count(), store.table_counts()) == before


@pytest.mark.parametrize(("field", "write"), NAME_FIELDS)
@pytest.mark.parametrize("ch", ["\u200b", "\u200d", "\ufeff"])
def test_names_refuse_zero_width_characters(store, ids, field, write, ch):
    with pytest.raises(ValidationError) as info:
        write(store, ids, f"Ann{ch}Smith")
    assert "invisible" in info.value.errors[field]


@pytest.mark.parametrize(("field", "write"), NOTE_FIELDS)
def test_notes_take_emoji_sequences(store, ids, field, write):
    write(store, ids, "Family 👩\u200d👩\u200d👧 visited 👍🏽")


# -- in the window -------------------------------------------------------------------------------

def test_the_person_dialog_says_why_under_the_name_and_saves_nothing(qtbot, store, db_path):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Ann\u202eSmith")  # pasted: no keyboard types U+202E
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    _widget, error = dialog.form.fields["name"]
    assert not error.isHidden()
    assert "right-to-left override" in error.text() and "U+202E" in error.text()
    assert dialog.isVisible()
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM people").fetchone()[0] == 0


def test_the_settings_dialog_refuses_an_invisible_character_in_your_name(qtbot):
    from arrs_desktop.settings import Settings, load_settings
    from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.user_name.setText("Sam\u200bKirby")
    dialog.save()
    _widget, error = dialog.form.fields["user_name"]
    assert not error.isHidden() and "zero width space" in error.text()
    assert dialog.saved is None and load_settings().user_name == ""
    dialog.user_name.setText("Sam Kirby")
    dialog.save()
    assert load_settings().user_name == "Sam Kirby"
