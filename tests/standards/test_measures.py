"""Outcome measures: ONS4 shipped, a PCN's own definitions read within bounds and scored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop import paths
from arrs_desktop.domain.models import Ons4, OutcomeMeasure
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.measures import (
    CHANGE_COLUMNS,
    HIGHER_WORSE,
    MAX_MEASURE_BYTES,
    ONS4,
    TOTAL_KEY,
    MeasureRecord,
    change_note,
    change_summary,
    change_table_rows,
    first_to_latest,
    load_measures,
    ons4_records,
    parse_measure_definition,
    read_measure_definition,
    score_measure,
)

REVERSED = b"""
format = 1
name = "Team check-in"
code = "TCI"
licence = "Our own questions; no licence needed."

[scale]
min = 1
max = 5

[total]
method = "sum"
direction = "higher_better"

[[items]]
id = "calm"
label = "Calm"
wording = "I have felt calm."
direction = "higher_better"

[[items]]
id = "tense"
label = "Tense"
wording = "I have felt tense."
direction = "higher_worse"

[[items]]
id = "sleep"
label = "Sleep"
wording = "I have slept well."
direction = "higher_better"
scale = { min = 0, max = 10, labels = { 0 = "Not at all", 10 = "Every night" } }
"""


def _load(raw: bytes = REVERSED):
    load = parse_measure_definition(raw, "tci.toml")
    assert load.definition is not None, load.messages
    return load.definition


def test_ons4_is_shipped_as_four_items_never_totalled_anxiety_higher_is_worse():
    assert ONS4.item_ids == ("life_satisfaction", "worthwhile", "happy", "anxious")
    assert not ONS4.has_total and ONS4.shipped
    assert {it.id: it.direction for it in ONS4.items}["anxious"] == HIGHER_WORSE
    assert all(it.scale.min == 0 and it.scale.max == 10 for it in ONS4.items)
    score = score_measure(ONS4, {"life_satisfaction": 7, "worthwhile": 8, "happy": 6,
                                 "anxious": 3})
    assert score.total is None and score.why_no_total == "this measure is never totalled"
    assert "Open Government Licence" in ONS4.licence


def test_a_measure_with_reversed_items_totals_them_the_other_way():
    m = _load()
    assert [m.reversed_item(it) for it in m.items] == [False, True, False]
    assert m.item("sleep").scale.label_for(10) == "Every night"
    # calm 4, tense 2 (reversed on 1-5: 4), sleep 7 -> 15
    assert score_measure(m, {"calm": 4, "tense": 2, "sleep": 7}).total == 15
    assert score_measure(m, {"calm": 1, "tense": 5, "sleep": 0}).total == 2  # the lowest
    assert score_measure(m, {"calm": 5, "tense": 1, "sleep": 10}).total == 20  # the highest
    assert m.total_range == (2.0, 20.0)


def test_a_mean_total_and_a_total_that_counts_higher_as_worse():
    raw = REVERSED.replace(b'method = "sum"\ndirection = "higher_better"',
                           b'method = "mean"\ndirection = "higher_worse"')
    m = _load(raw)
    assert [m.reversed_item(it) for it in m.items] == [True, False, True]
    # calm 4 -> 2, tense 2, sleep 7 -> 3: mean of 2, 2, 3
    assert score_measure(m, {"calm": 4, "tense": 2, "sleep": 7}).total == 2.33


def test_no_total_until_every_item_is_answered_and_wrong_answers_are_named():
    m = _load()
    partial = score_measure(m, {"calm": 4, "sleep": None})
    assert partial.total is None and partial.answers == (("calm", 4),)
    assert partial.why_no_total == "not every item was answered (1 of 3)"
    with pytest.raises(ValidationError) as err:
        score_measure(m, {"calm": 6, "tense": 2.5, "sleep": True, "mood": 3})
    assert err.value.errors == {
        "mood": "is not an item of Team check-in",
        "calm": "must be a whole number from 1 to 5",
        "tense": "must be a whole number from 1 to 5",
        "sleep": "must be a whole number from 0 to 10",
    }


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10))
def test_a_better_answer_never_lowers_a_higher_is_better_total(calm, tense, sleep):
    m = _load()
    total = score_measure(m, {"calm": calm, "tense": tense, "sleep": sleep}).total
    if calm < 5:
        assert score_measure(m, {"calm": calm + 1, "tense": tense, "sleep": sleep}).total \
            == total + 1
    if tense < 5:  # feeling more tense is worse: the total falls
        assert score_measure(m, {"calm": calm, "tense": tense + 1, "sleep": sleep}).total \
            == total - 1


def test_the_shipped_example_has_placeholder_wording_and_reversed_items():
    definition = parse_measure_definition(paths.example_measure_path().read_bytes()).definition
    assert definition is not None
    assert definition.name == "Example wellbeing check"
    assert all(it.wording.startswith("Placeholder item") for it in definition.items)
    assert "Not a real measure" in definition.licence
    assert [it.id for it in definition.items if definition.reversed_item(it)] == [
        "worn_out", "on_edge"]


def test_the_fingerprint_changes_with_what_a_score_means_and_not_with_notes():
    m = _load()
    assert _load(REVERSED.replace(b"Our own questions", b"Our questions")).fingerprint \
        == m.fingerprint
    assert _load(REVERSED.replace(b"max = 5", b"max = 7")).fingerprint != m.fingerprint
    assert _load(REVERSED.replace(b"I have felt calm.", b"I felt calm.")).fingerprint \
        != m.fingerprint


@pytest.mark.parametrize(("change", "location", "needle"), [
    ((b"format = 1", b"format = 2"), "format", "must be 1, not 2"),
    ((b'code = "TCI"', b'code = "ons4"'), "code", "is the measure shipped"),
    ((b'code = "TCI"', b'code = "T C I"'), "code", "must start with a letter"),
    ((b'licence = "Our own questions; no licence needed."', b""), "licence", "is missing"),
    ((b"min = 1\nmax = 5", b"min = 5\nmax = 1"), "scale", "min (5) must be below max (1)"),
    ((b"max = 5", b"max = 5.0"), "scale.max", "must be a whole number, not 5.0"),
    ((b"max = 5", b"max = inf"), "scale.max", "must be a whole number, not inf"),
    ((b"max = 5", b"max = nan"), "scale.max", "must be a whole number, not nan"),
    ((b"max = 5", b"max = true"), "scale.max", "must be a whole number, not True"),
    ((b"max = 5", b"max = 500"), "scale", "spans 499 points; at most 100"),
    ((b'method = "sum"', b'method = "product"'), "total.method", "must be one of none"),
    ((b'id = "tense"', b'id = "calm"'), "items[2].id", "calm is used by an earlier item"),
    ((b'id = "tense"', b'id = "Tense!"'), "items[2].id", "must start with a lower case"),
    ((b'direction = "higher_worse"', b'direction = "down"'), "items[2].direction",
     "must be one of higher_better, higher_worse"),
    ((b'wording = "I have felt tense."', b'wording = "I have felt <i>tense</i>."'),
     "items[2].wording", "must be plain text, not markup"),
    ((b'label = "Calm"', b'label = "Ca\\u202Elm"'), "items[1].label", "hidden character"),
    ((b'label = "Calm"', b'label = "Calm"\ncolour = "red"'), "items[1].colour",
     "unknown key"),
    ((b"0 = \"Not at all\"", b"11 = \"Too many\""), "items[3].scale.labels.11",
     "is not on the scale (0 to 10)"),
])
def test_each_problem_names_the_key_and_nothing_is_used(change, location, needle):
    old, new = change
    assert old in REVERSED
    load = parse_measure_definition(REVERSED.replace(old, new, 1), "tci.toml")
    assert load.definition is None
    assert any(p.location == location and needle in p.message for p in load.problems), \
        load.messages
    assert all(m.startswith("tci.toml: ") for m in load.messages)


@pytest.mark.parametrize(("raw", "needle"), [
    (b"format = 1\nname = ", "TOML syntax error"),
    (b"\xff\xfe", "is not UTF-8 text"),
    (b"x = " + b"[" * 50 + b"]" * 50, "nested more than 5 levels deep"),
    (b"x = " + b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    (b"# " + b"x" * MAX_MEASURE_BYTES, "is larger than 256 KB"),
])
def test_a_file_out_of_bounds_is_refused(raw, needle):
    load = parse_measure_definition(raw, "bad.toml")
    assert load.definition is None and any(needle in m for m in load.messages), load.messages


def test_a_total_of_none_takes_no_direction_and_items_need_a_scale():
    raw = (b'format = 1\nname = "N"\ncode = "N1"\nlicence = "Ours"\n[total]\nmethod = "none"\n'
           b'direction = "higher_better"\n[[items]]\nid = "a"\nlabel = "A"\nwording = "A?"\n'
           b'direction = "higher_better"\n')
    locations = {p.location for p in parse_measure_definition(raw).problems}
    assert locations == {"total.direction", "items[1].scale"}


def test_a_definition_file_is_read_within_bounds(tmp_path):
    good = tmp_path / "tci.toml"
    good.write_bytes(REVERSED)
    assert read_measure_definition(good).definition == replace(_load(), source=str(good))
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_MEASURE_BYTES + 1))
    assert "is larger than 256 KB" in read_measure_definition(big).messages[0]
    assert "is not a regular file" in read_measure_definition(tmp_path).messages[0]
    assert "file not found" in read_measure_definition(tmp_path / "no.toml").messages[0]


def test_a_pcns_folder_of_measures(tmp_path):
    folder = tmp_path / "measures"
    folder.mkdir()
    (folder / "a.toml").write_bytes(REVERSED)
    (folder / "b.toml").write_bytes(REVERSED.replace(b"Team check-in", b"Copy"))
    (folder / "c.toml").write_bytes(b"format = 1\n")
    (folder / "notes.txt").write_text("not a measure")
    load = load_measures(folder)
    assert [d.code for d in load.definitions] == ["ONS4", "TCI"]
    assert any(m.startswith(str(folder / "b.toml")) and "already the code of" in m
               for m in load.messages)
    assert any(m.startswith(str(folder / "c.toml") + ": name") for m in load.messages)
    assert load_measures(tmp_path / "none").definitions == (ONS4,)
    assert load.by_code("tci") is not None


def _rec(person: str, day: int, role: str = "splw", **scores: int) -> MeasureRecord:
    return MeasureRecord(person, date(2026, 3, day), tuple(scores.items()), role=role,
                         id=f"{person}{day}")


def test_first_to_latest_for_one_person_per_item_and_total():
    m = _load()
    records = [_rec("p", 20, calm=4, tense=2, sleep=6), _rec("p", 2, calm=2, tense=4, sleep=3),
               _rec("p", 10, calm=3)]
    rows = {r.key: r for r in first_to_latest(m, records)}
    assert (rows["calm"].first, rows["calm"].latest, rows["calm"].scores) == (2, 4, 3)
    assert rows["calm"].reading == "better"
    assert (rows["tense"].first, rows["tense"].latest, rows["tense"].change) == (4, 2, -2)
    assert rows["tense"].reading == "better"  # less tense
    # Totals only from complete recordings: 2 + (6-4=2) + 3 = 7, then 4 + 4 + 6 = 14.
    assert (rows[TOTAL_KEY].first, rows[TOTAL_KEY].latest) == (7, 14)
    assert rows[TOTAL_KEY].first_on == date(2026, 3, 2)
    before = {r.key: r for r in first_to_latest(m, records, up_to=date(2026, 3, 15))}
    assert before["calm"].latest == 3 and before["tense"].reading == "no change"


def test_change_summary_counts_people_as_the_ons4_report_does():
    m = _load()
    records = [
        _rec("a", 1, calm=2, tense=4, sleep=3), _rec("a", 20, calm=4, tense=2, sleep=5),
        _rec("b", 2, calm=3, tense=3, sleep=5), _rec("b", 25, calm=3, tense=4, sleep=5),
        _rec("c", 3, calm=1, tense=5, sleep=0),  # one recording only: not counted
        _rec("d", 1, calm=5, tense=1, sleep=9),  # no recording in the period below
        _rec("d", 2, calm=4, tense=1, sleep=9),
    ]
    rows = {r.key: r for r in change_summary(m, records, date(2026, 3, 15), date(2026, 3, 31))}
    assert rows["calm"].people == 2
    assert (rows["calm"].mean_first, rows["calm"].mean_latest, rows["calm"].mean_change) == (
        2.5, 3.5, 1.0)
    assert rows["tense"].mean_change == -0.5
    assert rows[TOTAL_KEY].people == 2
    table = change_table_rows(m, records, date(2026, 3, 15), date(2026, 3, 31),
                              [("splw", "Social Prescribing Link Worker"), (None, "All roles")])
    assert len(table) == 8 and all(len(row) == len(CHANGE_COLUMNS) for row in table)
    assert table[1][:4] == ("Social Prescribing Link Worker", "Tense", "Lower", 2)
    note = change_note(m)
    assert "reversed first" in note and "Lower is better for: Tense" in note
    assert note.endswith("Our own questions; no licence needed.")
    assert "never totalled" in change_note(ONS4)


def test_ons4_outcome_rows_become_recordings():
    rows = [OutcomeMeasure(person_id="p", date=date(2026, 3, 1), session_id="s1", id="o1",
                           ons4=Ons4(5, 6, 4, 8)),
            OutcomeMeasure(person_id="p", date=date(2026, 3, 8), swemwbs_raw=20, id="o2")]
    records = ons4_records(rows, {"s1": "splw"})
    assert records == (MeasureRecord("p", date(2026, 3, 1), (
        ("life_satisfaction", 5), ("worthwhile", 6), ("happy", 4), ("anxious", 8)),
        "splw", "s1", "o1", "ONS4"),)
