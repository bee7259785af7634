"""What the app remembers about caseload files outside them: bounded, private, atomic."""

from __future__ import annotations

import os
import stat

from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desktop.remembered import RememberedFiles


def test_remembers_forgets_and_keeps_the_newest_within_its_limit(tmp_path):
    where = tmp_path / "config" / "remembered.json"
    where.parent.mkdir()
    memory = RememberedFiles(lambda: where, limit=3)
    for n in range(5):
        memory.put(tmp_path / f"c{n}.db", {"n": n})
    assert memory.get(tmp_path / "c0.db") is None and memory.get(tmp_path / "c1.db") is None
    assert [v["n"] for v in memory.read().values()] == [2, 3, 4]
    memory.put(tmp_path / "c2.db", {"n": 22})  # remembered again: now the newest
    memory.put(tmp_path / "c5.db", {"n": 5})
    assert memory.get(tmp_path / "c3.db") is None
    assert memory.get(tmp_path / "c2.db") == {"n": 22}
    memory.forget(tmp_path / "c2.db")
    assert memory.get(tmp_path / "c2.db") is None
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o600
    assert [p.name for p in where.parent.iterdir()] == ["remembered.json"]  # no temp left


def test_a_spoilt_or_missing_map_reads_as_empty_and_is_replaced(tmp_path):
    where = tmp_path / "remembered.json"
    memory = RememberedFiles(lambda: where)
    assert memory.read() == {} and memory.get(tmp_path / "a.db") is None
    where.write_text("[1, 2", encoding="utf-8")
    assert memory.read() == {}
    memory.put(tmp_path / "a.db", [1, 2, 3])
    assert memory.get(tmp_path / "a.db") == [1, 2, 3]


def test_a_settings_folder_that_cannot_be_written_loses_only_the_memory(tmp_path):
    where = tmp_path / "missing-folder" / "remembered.json"
    memory = RememberedFiles(lambda: where)
    memory.put(tmp_path / "a.db", 1)  # no error
    assert memory.get(tmp_path / "a.db") is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.booleans()), max_size=30))
def test_the_map_holds_the_last_value_of_each_file_remembered(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("memory")
    memory = RememberedFiles(lambda: folder / "m.json", limit=4)
    model: dict[str, int] = {}
    for i, (name, keep) in enumerate(steps):
        if keep:
            model.pop(name, None)
            model[name] = i
            memory.put(folder / f"{name}.db", i)
        else:
            model.pop(name, None)
            memory.forget(folder / f"{name}.db")
        while len(model) > 4:
            model.pop(next(iter(model)))
    assert {k.rsplit("/", 1)[1][0]: v for k, v in memory.read().items()} == model
