"""Rules files: the shipped file, PCN overrides (partial), and every kind of bad file."""

from __future__ import annotations

import pytest

from arrs_desktop import paths
from arrs_desktop.domain.catalogue import NEED_IDS, ROLE_CODES
from arrs_desktop.domain.matching import (
    RulesFileError,
    load_rules,
    load_shipped_rules,
    match_roles,
)

SHIPPED = load_shipped_rules()


def write(tmp_path, text, name="rules.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_shipped_rules_ignores_the_local_file():
    paths.local_rules_path().write_text('[needs.copd]\ncc = { weight = 9, reason = "x" }\n')
    assert load_shipped_rules() == SHIPPED
    assert match_roles(["copd"], load_shipped_rules()).lead == "hwbc"


def test_shipped_rules_load_without_problems():
    loaded = load_rules()
    assert loaded.problems == ()
    assert not loaded.override_used
    assert loaded.override_path is None
    assert loaded.rules.sources == (str(paths.shipped_rules_path()),)
    assert set(loaded.rules.evidence) == set(NEED_IDS)
    assert set(loaded.rules.role_descriptions) == set(ROLE_CODES)


def test_partial_override_replaces_only_the_needs_it_lists(tmp_path):
    path = write(tmp_path, """
version = 1
[needs.loneliness]
cc = { weight = 4, reason = "Our care coordinators run the befriending scheme." }
""")
    loaded = load_rules(path)
    assert loaded.problems == ()
    assert loaded.override_used
    rules = loaded.rules
    assert rules.sources == (str(paths.shipped_rules_path()), str(path))
    # the need it lists is replaced as a whole: no evidence for splw any more
    result = match_roles(["loneliness"], rules)
    assert result.lead == "cc"
    assert result.for_role("cc").score == 4.0
    assert result.for_role("splw").score == 0.0
    # everything else comes from the shipped file
    for need in NEED_IDS:
        if need != "loneliness":
            assert rules.evidence[need] == SHIPPED.evidence[need]
    assert rules.role_descriptions == SHIPPED.role_descriptions
    assert rules.supporting_threshold == SHIPPED.supporting_threshold


def test_override_can_change_settings_and_descriptions(tmp_path):
    path = write(tmp_path, """
[settings]
supporting_threshold = 0.9
[roles.cc]
description = "Our own words for the care coordinator."
""")
    rules = load_rules(path).rules
    assert rules.supporting_threshold == 0.9
    assert rules.supporting_min_score == SHIPPED.supporting_min_score
    assert rules.role_descriptions["cc"] == "Our own words for the care coordinator."
    assert rules.role_descriptions["splw"] == SHIPPED.role_descriptions["splw"]


def test_local_rules_file_in_settings_folder_is_used():
    write(paths.config_dir(), '[needs.copd]\ncc = { weight = 9, reason = "local" }\n')
    loaded = load_rules()
    assert loaded.override_used
    assert loaded.override_path == str(paths.local_rules_path())
    assert match_roles(["copd"], loaded.rules).lead == "cc"


def test_explicit_path_wins_over_local_file(tmp_path):
    write(paths.config_dir(), '[needs.copd]\ncc = { weight = 9, reason = "local" }\n')
    path = write(tmp_path, '[needs.copd]\nsplw = { weight = 9, reason = "explicit" }\n')
    assert match_roles(["copd"], load_rules(path).rules).lead == "splw"


def assert_fell_back(loaded, path):
    assert loaded.problems, "a bad file must be reported"
    assert not loaded.override_used
    assert loaded.override_path == str(path)
    assert loaded.rules == SHIPPED
    for message in loaded.messages:
        assert str(path) in message


@pytest.mark.parametrize(
    ("text", "location", "words"),
    [
        # TOML syntax errors name the line
        ("version = 1\n\n[needs.copd\nhwbc = 1\n", "line 3", "syntax"),
        ('version = 1\n[needs.copd]\nhwbc = { weight = 3 reason = "x" }\n', "line 3", "syntax"),
        # unknown need, with the key path as written
        ('[needs.lonelyness]\nsplw = { weight = 3, reason = "x" }\n',
         "needs.lonelyness", "unknown need"),
        # unknown role
        ('[needs.loneliness]\nsw = { weight = 3, reason = "x" }\n',
         "needs.loneliness.sw", "unknown role"),
        ('[roles.gp]\ndescription = "x"\n', "roles.gp", "unknown role"),
        # negative weight
        ('[needs.copd]\nhwbc = { weight = -1, reason = "x" }\n',
         "needs.copd.hwbc.weight", "0 or more"),
        # non-numeric weights
        ('[needs.copd]\nhwbc = { weight = "3", reason = "x" }\n',
         "needs.copd.hwbc.weight", "number"),
        ('[needs.copd]\nhwbc = { weight = true, reason = "x" }\n',
         "needs.copd.hwbc.weight", "number"),
        ('[needs.copd]\nhwbc = { weight = nan, reason = "x" }\n',
         "needs.copd.hwbc.weight", "number"),
        # missing parts
        ('[needs.copd]\nhwbc = { weight = 3 }\n', "needs.copd.hwbc.reason", "missing"),
        ('[needs.copd]\nhwbc = { weight = 3, reason = "  " }\n',
         "needs.copd.hwbc.reason", "missing"),
        ('[needs.copd]\nhwbc = { reason = "x" }\n', "needs.copd.hwbc.weight", "missing"),
        ('[needs.copd]\nhwbc = 3\n', "needs.copd.hwbc", "table"),
        ('[needs.copd]\n', "needs.copd", "no evidence"),
        ('[needs.copd]\nhwbc = { weight = 0, reason = "x" }\n', "needs.copd", "no evidence"),
        ('[needs.copd]\nhwbc = { weight = 3, reason = "x", wieght = 2 }\n',
         "needs.copd.hwbc.wieght", "unknown key"),
        # settings and the rest of the file
        ("[settings]\nsupporting_threshold = 2\n", "settings.supporting_threshold", "at most"),
        ("[settings]\nsupporting_min_score = -1\n", "settings.supporting_min_score", "0 or more"),
        ("[settings]\nthreshold = 0.5\n", "settings.threshold", "unknown setting"),
        ("version = 2\n", "version", "version"),
        ("needz = 1\n", "needz", "unknown key"),
        ('[roles.cc]\ndescription = ""\n', "roles.cc.description", "missing"),
    ],
)
def test_bad_override_names_file_and_place_and_falls_back(tmp_path, text, location, words):
    path = write(tmp_path, text)
    loaded = load_rules(path)
    assert_fell_back(loaded, path)
    assert any(
        p.location.startswith(location) and words in p.message.lower() for p in loaded.problems
    ), loaded.messages


def test_syntax_error_reports_line_and_column(tmp_path):
    path = write(tmp_path, 'version = 1\n[needs.copd]\nhwbc = { weight = 3 reason = "x" }\n')
    (problem,) = load_rules(path).problems
    assert problem.location.startswith("line 3, column ")
    assert str(problem).startswith(f"{path}: line 3, column ")
    assert "(at line" not in problem.message  # said once, in the location


def test_all_problems_are_reported_together(tmp_path):
    path = write(tmp_path, """
[needs.lonelyness]
splw = { weight = 3, reason = "x" }
[needs.copd]
hwbc = { weight = -2, reason = "x" }
""")
    locations = [p.location for p in load_rules(path).problems]
    assert "needs.lonelyness" in locations
    assert "needs.copd.hwbc.weight" in locations


def test_one_bad_need_means_none_of_the_file_is_used(tmp_path):
    path = write(tmp_path, """
[needs.loneliness]
cc = { weight = 9, reason = "would change the lead" }
[needs.copd]
hwbc = { weight = -1, reason = "bad" }
""")
    loaded = load_rules(path)
    assert_fell_back(loaded, path)
    assert match_roles(["loneliness"], loaded.rules).lead == "splw"


def test_missing_file_falls_back(tmp_path):
    path = tmp_path / "nope.toml"
    loaded = load_rules(path)
    assert_fell_back(loaded, path)
    assert "not found" in loaded.messages[0]


def test_not_utf8_falls_back(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes(b'version = 1\n# caf\xe9\n')
    loaded = load_rules(path)
    assert_fell_back(loaded, path)
    assert loaded.problems[0].location == "line 2"


def test_a_folder_instead_of_a_file_falls_back(tmp_path):
    loaded = load_rules(tmp_path)
    assert_fell_back(loaded, tmp_path)


def test_shipped_file_must_cover_every_need_and_role(tmp_path):
    shipped = write(tmp_path, '[needs.copd]\nhwbc = { weight = 3, reason = "x" }\n',
                    name="shipped.toml")
    with pytest.raises(RulesFileError) as info:
        load_rules(shipped=shipped)
    text = str(info.value)
    assert "needs.loneliness" in text
    assert "roles.splw" in text
    assert "version" in text
