"""A PCN rules file is kept within bounds: size, nesting, weights and plain-text wording."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from arrs_desktop.domain.catalogue import NEED_IDS
from arrs_desktop.domain.matching import (
    MAX_DEPTH,
    MAX_RULES_BYTES,
    MAX_WEIGHT,
    load_rules,
    load_shipped_rules,
    match_roles,
)

SHIPPED = load_shipped_rules()


def write(tmp_path, text, name="rules.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fell_back(loaded, path):
    assert loaded.problems, "the file should have been refused"
    assert not loaded.override_used
    assert loaded.rules == SHIPPED
    assert all(str(path) in m for m in loaded.messages)
    # The shipped rules work for every need at once.
    assert match_roles(NEED_IDS, loaded.rules).lead is not None
    return loaded


def problem_at(loaded, location, words):
    assert any(p.location.startswith(location) and words in p.message.lower()
               for p in loaded.problems), loaded.messages


# -- nesting -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
])
def test_a_deeply_nested_file_is_refused_not_a_crash(tmp_path, text):
    path = write(tmp_path, text)
    loaded = fell_back(load_rules(path), path)
    assert any("nested" in p.message for p in loaded.problems), loaded.messages


def test_nesting_by_dotted_keys_is_refused_naming_the_key(tmp_path):
    key = ".".join(["needs", "copd", "hwbc"] + ["deeper"] * 50)
    path = write(tmp_path, f"[{key}]\nweight = 1\n")
    loaded = fell_back(load_rules(path), path)
    problem_at(loaded, "needs.copd.hwbc", f"nested more than {MAX_DEPTH} levels")


def test_a_nested_value_where_a_number_belongs_is_described_briefly(tmp_path):
    path = write(tmp_path, "[needs.copd]\nhwbc = { weight = " + "[" * 30 + "]" * 30
                 + ', reason = "x" }\n')
    loaded = fell_back(load_rules(path), path)
    assert all(len(m) < 400 for m in loaded.messages)


# -- weights -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("weight", "words"), [
    ("1e308", f"at most {MAX_WEIGHT:g}"),
    ("1.7976931348623157e308", "at most"),
    ("9223372036854775807", "at most"),
    ("1001", "at most"),
    ("inf", "number"),
    ("-inf", "number"),
    ("nan", "number"),
    ("-0.5", "0 or more"),
])
def test_a_weight_out_of_bounds_is_refused(tmp_path, weight, words):
    path = write(tmp_path, f'[needs.copd]\nhwbc = {{ weight = {weight}, reason = "x" }}\n')
    problem_at(fell_back(load_rules(path), path), "needs.copd.hwbc.weight", words)


def test_huge_weights_on_many_needs_cannot_empty_triage(tmp_path):
    text = "".join(f'[needs.{n}]\nsplw = {{ weight = 1e308, reason = "x" }}\n'
                   for n in NEED_IDS)
    path = write(tmp_path, text)
    loaded = fell_back(load_rules(path), path)
    assert match_roles(NEED_IDS, loaded.rules).roles[0].score < 1e6


def test_the_largest_allowed_weight_on_every_need_still_matches(tmp_path):
    text = "".join(f'[needs.{n}]\nsplw = {{ weight = {MAX_WEIGHT}, reason = "x" }}\n'
                   for n in NEED_IDS)
    loaded = load_rules(write(tmp_path, text))
    assert loaded.override_used, loaded.messages
    result = match_roles(NEED_IDS, loaded.rules)
    assert result.lead == "splw"
    assert result.roles[0].score == MAX_WEIGHT * len(NEED_IDS)


@pytest.mark.parametrize(("text", "location"), [
    ("[settings]\nsupporting_min_score = 1e308\n", "settings.supporting_min_score"),
    ("[settings]\nsupporting_threshold = 1e-320\n", "settings.supporting_threshold"),
])
def test_settings_out_of_bounds_are_refused(tmp_path, text, location):
    path = write(tmp_path, text)
    assert any(p.location == location for p in fell_back(load_rules(path), path).problems)


# -- size ----------------------------------------------------------------------------------------

def test_a_200_mb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "rules.toml"
    with open(path, "wb") as fh:
        fh.write(b"version = 1\n# ")
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    loaded = fell_back(load_rules(path), path)
    assert any("larger than" in p.message and "1 MB" in p.message for p in loaded.problems)


def test_a_file_just_under_the_limit_is_read(tmp_path):
    body = '[needs.copd]\nhwbc = { weight = 3, reason = "x" }\n'
    padding = "# " + "x" * 70 + "\n"
    text = body + padding * ((MAX_RULES_BYTES - len(body) - 100) // len(padding))
    loaded = load_rules(write(tmp_path, text))
    assert loaded.override_used, loaded.messages


def test_a_device_that_never_ends_is_refused(tmp_path):
    # Run apart, with a memory cap, so an unbounded read fails the test instead of the machine.
    code = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from arrs_desktop.domain.matching import load_rules
        loaded = load_rules("/dev/zero")
        assert not loaded.override_used
        print(loaded.messages[0])
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "ARRS_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/dev/zero" in done.stdout and "not a regular file" in done.stdout


# -- wording -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "location", "words"), [
    ('[roles.cc]\ndescription = "Helps <b>everyone</b>"\n', "roles.cc.description",
     "plain text"),
    ('[roles.cc]\ndescription = "<img src=x onerror=alert(1)>"\n', "roles.cc.description",
     "plain text"),
    ('[roles.cc]\ndescription = "Tom &amp; Jerry"\n', "roles.cc.description", "plain text"),
    ('[needs.copd]\nhwbc = { weight = 3, reason = "<a href=\'http://x\'>see</a>" }\n',
     "needs.copd.hwbc.reason", "plain text"),
    ('[needs.copd]\nhwbc = { weight = 3, reason = "' + "x" * 301 + '" }\n',
     "needs.copd.hwbc.reason", "too long"),
    ('[roles.cc]\ndescription = "' + "x" * 601 + '"\n', "roles.cc.description", "too long"),
    ('[needs.copd]\nhwbc = { weight = 3, reason = "bell\\u0007" }\n',
     "needs.copd.hwbc.reason", "control"),
    ('[needs.copd]\nhwbc = { weight = 3, reason = "abc\\u202edcba" }\n',
     "needs.copd.hwbc.reason", "right-to-left"),
])
def test_wording_must_be_plain_text(tmp_path, text, location, words):
    path = write(tmp_path, text)
    problem_at(fell_back(load_rules(path), path), location, words)


def test_ordinary_punctuation_in_wording_is_fine(tmp_path):
    path = write(tmp_path, '[roles.cc]\ndescription = "Helps people with < 3 visits a '
                           'year & their carers; 5 > 4. Zoë\'s team."\n')
    loaded = load_rules(path)
    assert loaded.override_used, loaded.messages


def test_role_description_label_never_renders_markup(qtbot):
    from PySide6.QtCore import Qt

    from arrs_desktop.ui.person.needs_match.role_card import RoleCard

    card = RoleCard("cc", "<b>bold</b> <img src='x'>")
    qtbot.addWidget(card)
    assert card.description.textFormat() == Qt.TextFormat.PlainText
    assert card.reasons.textFormat() == Qt.TextFormat.PlainText
    assert card.description.text() == "<b>bold</b> <img src='x'>"


def test_the_window_starts_with_a_deeply_nested_rules_file(tmp_path, demo_db):
    path = write(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    out = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "arrs_desktop.ui.shell.app", "--db", str(demo_db),
                           "--rules", str(path), "--screenshot", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert f"arrs-desktop: {path}" in done.stderr and "nested" in done.stderr
    assert out.exists()


def test_triage_works_with_a_refused_huge_weight_file(qtbot, demo_store, tmp_path):
    from arrs_desktop.settings import Settings
    from arrs_desktop.ui.shell.app import create_window

    text = "".join(f'[needs.{n}]\ncc = {{ weight = 1e308, reason = "x" }}\n' for n in NEED_IDS)
    rules_load = load_rules(write(tmp_path, text))
    window = create_window(demo_store, Settings(user_name="Test"), rules_load)
    qtbot.addWidget(window)
    window.show()
    assert "shipped rules are used" in window.statusBar().currentMessage()
    triage = window.triage
    window.views.setCurrentWidget(triage)
    qtbot.waitUntil(lambda: triage.model.rowCount() > 0, timeout=20_000)
