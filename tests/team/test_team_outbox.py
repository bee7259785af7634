"""The laptop's side on real caseload files: outbox, cursor, pulled entries, lists."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from arrs_desktop.team import outbox
from arrs_desktop.team.entries import EntryKind
from arrs_desktop.team.tables import TableSpec
from tests.team.laptop_file import SCHEMA, Laptop
from tests.team.team_sim import episode_values, next_id, person_values, session_values


@pytest.fixture
def laptops(tmp_path: Path):
    made = [Laptop(tmp_path / f"laptop-{c}.db", f"laptop-{c}") for c in "ab"]
    yield made
    for laptop in made:
        laptop.conn.close()


def test_a_local_write_and_its_outbox_entry_are_kept_or_lost_together(laptops):
    a = laptops[0]
    pid = next_id()
    a.conn.execute("BEGIN")
    a.conn.execute("INSERT INTO people (id, name, search_name, created_at, updated_at,"
                   " device_id) VALUES (?, 'Ada', 'ada', 'x', 'x', 'laptop-a')", [pid])
    outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", pid, EntryKind.INSERT,
                         {"name": "Ada", "search_name": "ada"})
    a.conn.rollback()
    assert outbox.waiting_count(a.conn) == 0 and a.value("people", pid, "name") is None
    entry = a.insert("people", person_values("Ada Lovelace"))
    assert outbox.waiting(a.conn) == [entry]


def test_an_update_names_the_version_it_replaced_and_leaves_out_local_columns(laptops):
    a = laptops[0]
    first = a.insert("people", person_values("Ada Lovelace"))
    second = a.update("people", first.row_id, {"phone": "1", "lead_worker": "Ann"})
    third = a.update("people", first.row_id, {"phone": "2"})
    assert second.seen == {"phone": (first.change_id,)}
    assert third.seen == {"phone": (second.change_id,)}
    assert "lead_worker" not in second.values
    assert first.hlc < second.hlc < third.hlc


def test_the_clock_carries_on_after_the_file_is_opened_again(laptops, tmp_path):
    a = laptops[0]
    last = a.insert("people", person_values("Ada Lovelace"))
    again = outbox.load_clock(sqlite3.connect(a.path), "laptop-a")
    assert again.now() > last.hlc


def test_pulled_entries_land_in_the_caseload_tables_with_the_cursor(laptops):
    a, b = laptops
    person = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    session = a.insert("sessions", session_values(person.row_id, "phoned"))
    applied = b.take(outbox.waiting(a.conn), cursor=2)
    assert b.value("people", person.row_id, "name") == "Ada Lovelace"
    assert b.value("sessions", session.row_id, "notes") == "phoned"
    assert b.value("people", person.row_id, "device_id") == "laptop-a"
    assert outbox.cursor(b.conn) == 2
    assert applied.people == {person.row_id}
    assert outbox.waiting_count(b.conn) == 0  # what others did is not pushed again
    b.take(outbox.waiting(a.conn), cursor=2)  # the same again changes nothing
    assert b.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


class _FailingTables(outbox.SqliteTables):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write_row(self, conn, spec: TableSpec, row_id, values, device_id) -> None:
        self.writes += 1
        if self.writes == 2:
            raise sqlite3.OperationalError("disk I/O error")
        super().write_row(conn, spec, row_id, values, device_id)


def test_a_pull_that_fails_half_way_leaves_the_tables_and_the_cursor_as_they_were(laptops):
    a, b = laptops
    person = a.insert("people", person_values("Ada Lovelace"))
    a.insert("sessions", session_values(person.row_id))
    with pytest.raises(sqlite3.OperationalError):
        outbox.apply_pulled(b.conn, SCHEMA, outbox.waiting(a.conn), 2, b.clock,
                            _FailingTables())
    assert b.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert b.conn.execute("SELECT count(*) FROM team_rows").fetchone()[0] == 0
    assert outbox.cursor(b.conn) == 0
    b.take(outbox.waiting(a.conn), 2)
    assert b.value("people", person.row_id, "name") == "Ada Lovelace"


def test_a_concurrent_edit_is_listed_on_both_laptops_and_keeping_one_settles_it(laptops):
    a, b = laptops
    person = a.insert("people", person_values("Ada Lovelace"))
    b.take(outbox.waiting(a.conn), 1)
    outbox.mark_pushed(a.conn, [person.change_id])
    mine = a.update("people", person.row_id, {"phone": "1"})
    theirs = b.update("people", person.row_id, {"phone": "2"})
    a.take([theirs], 2)
    b.take([mine], 2)
    assert a.value("people", person.row_id, "phone") == b.value(
        "people", person.row_id, "phone") == "2"
    assert outbox.conflicts(a.conn) == outbox.conflicts(b.conn)
    [conflict] = outbox.conflicts(a.conn)
    assert (conflict.value, conflict.winner_value) == ("1", "2")
    keep = b.update("people", person.row_id, {"phone": "1"}, resolve=True)
    a.take([keep], 3)
    assert outbox.conflicts(a.conn) == outbox.conflicts(b.conn) == []
    assert a.value("people", person.row_id, "phone") == "1"


def test_the_same_person_added_on_two_laptops_is_listed_for_merging(laptops):
    a, b = laptops
    mine = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    theirs = b.insert("people", person_values("Ada King", nhs="9434765919"))
    a.take([theirs], 1)
    [dup] = outbox.possible_duplicates(a.conn)
    assert {dup.first_id, dup.second_id} == {mine.row_id, theirs.row_id}
    assert dup.reason == "nhs_number"
    with a.conn:
        outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", mine.row_id,
                             EntryKind.MERGE, {"absorbed_id": theirs.row_id})
    assert outbox.possible_duplicates(a.conn) == []
    assert a.value("people", theirs.row_id, "deleted_at") is not None


def test_a_pulled_erasure_leaves_no_trace_of_the_person_in_the_caseload_file(laptops):
    a, b = laptops
    person = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    a.insert("sessions", session_values(person.row_id, "Ada Lovelace talked of her garden"))
    b.take(outbox.waiting(a.conn), 2)
    offline = b.update("people", person.row_id, {"phone": "0161 496 0000"})
    with a.conn:
        for table in ("sessions", "people"):
            column = "person_id" if table == "sessions" else "id"
            a.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [person.row_id])
        erase = outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", person.row_id,
                                     EntryKind.ERASE)
    applied = b.take([erase], 3)
    a.take([offline], 4)
    assert applied.erased == {person.row_id}
    for laptop in (a, b):
        laptop.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(laptop.conn.iterdump())
        for secret in ("Lovelace", "9434765919", "garden", "0161 496 0000"):
            assert secret not in dump
        assert laptop.conn.execute("SELECT reason FROM team_tombstones WHERE row_id = ?",
                                   [person.row_id]).fetchone() == ("erased",)
    assert outbox.waiting(b.conn) == []  # the offline change to them is not sent either



def test_a_refused_merge_stays_listed_when_the_record_is_edited_later(laptops):
    a, b = laptops
    first = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    second = a.insert("people", person_values("Ada King", nhs="9434765919"))
    b.take(outbox.waiting(a.conn), 2)
    with a.conn:  # merged one way here, the other way on the other laptop
        one_way = outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people",
                                       first.row_id, EntryKind.MERGE,
                                       {"absorbed_id": second.row_id})
    with b.conn:
        other_way = outbox.record_change(b.conn, SCHEMA, b.clock, "Bob", "people",
                                         second.row_id, EntryKind.MERGE,
                                         {"absorbed_id": first.row_id})
    a.take([other_way], 3)
    b.take([one_way], 3)
    refused = [c for c in outbox.conflicts(a.conn) if c.kind == "merge"]
    assert len(refused) == 1 and outbox.conflicts(a.conn) == outbox.conflicts(b.conn)
    for laptop in (a, b):  # an edit of either record leaves the refused merge listed
        edit = laptop.update("people", refused[0].row_id, {"phone": "0161 496 0000"})
        (b if laptop is a else a).take([edit], 4)
    assert outbox.conflicts(a.conn) == outbox.conflicts(b.conn) == refused


def test_erasing_a_person_also_erases_records_a_refused_merge_linked_to_them(laptops):
    """The erasure reaches every record any merge linked (refused ones too): their rows go
    children first, in the erasing laptop's own transaction."""
    a = laptops[0]
    survivor = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    absorbed = a.insert("people", person_values("Ada King", nhs="9434765919"))
    other = a.insert("people", person_values("Ada Byron", nhs="9434765919"))
    episode = a.insert("episodes", episode_values(absorbed.row_id))
    session = a.insert("sessions", {**session_values(absorbed.row_id, "Ada spoke of her garden"),
                                    "episode_id": episode.row_id})
    for keeper in (other, survivor):  # the second is refused: Ada King is merged already
        with a.conn:
            outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", keeper.row_id,
                                 EntryKind.MERGE, {"absorbed_id": absorbed.row_id})
    with a.conn:
        a.conn.execute("DELETE FROM people WHERE id = ?", [survivor.row_id])
        outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", survivor.row_id,
                             EntryKind.ERASE)
    for table, row in (("sessions", session), ("episodes", episode), ("people", other),
                       ("people", absorbed)):
        assert a.value(table, row.row_id, "id") is None
    assert "garden" not in "\n".join(a.conn.iterdump())


def test_a_merge_arriving_late_names_the_record_that_lost_the_rows_for_redrawing(laptops):
    """Two laptops merge one record into two different people; the earlier merge wins on
    both, and the laptop that had made the later one redoes that person's caseload line."""
    a, b = laptops
    first = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    second = a.insert("people", person_values("Ada Byron", nhs="9434765919"))
    twin = a.insert("people", person_values("Ada King", nhs="9434765919"))
    episode = a.insert("episodes", episode_values(twin.row_id))
    b.take(outbox.waiting(a.conn), 4)
    merges = []
    for laptop, keeper in ((a, first), (b, second)):
        with laptop.conn:
            merges.append(outbox.record_change(
                laptop.conn, SCHEMA, laptop.clock, "Ann", "people", keeper.row_id,
                EntryKind.MERGE, {"absorbed_id": twin.row_id}))
    assert b.value("episodes", episode.row_id, "person_id") == second.row_id
    applied = b.take([merges[0]], 5)
    a.take([merges[1]], 5)
    for laptop in (a, b):
        assert laptop.value("episodes", episode.row_id, "person_id") == first.row_id
    assert second.row_id in applied.people | {r for t, r in applied.rows if t == "people"}


def test_a_page_whose_person_was_erased_on_the_server_since_holds_together(laptops):
    """The server purges an erased person's entries: a laptop pulling a page that has the
    purged record and a merge into it, but not yet the erasure, takes the person as erased
    already (their rows would otherwise point at a record that never arrives)."""
    import dataclasses

    a, b = laptops
    survivor = a.insert("people", person_values("Ada Lovelace", nhs="9434765919"))
    twin = a.insert("people", person_values("Ada King", nhs="9434765919"))
    session = a.insert("sessions", session_values(twin.row_id, "Ada spoke of her garden"))
    with a.conn:
        merged = outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people",
                                      survivor.row_id, EntryKind.MERGE,
                                      {"absorbed_id": twin.row_id})
    with a.conn:
        a.conn.execute("DELETE FROM sessions")
        a.conn.execute("DELETE FROM people")
        erase = outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people",
                                     survivor.row_id, EntryKind.ERASE)
    b.take([twin, session], 2)  # pulled before the erasure
    purged = dataclasses.replace(survivor, values={}, seen={}, purged=True)
    b.take([purged, merged], 4)  # the erasure is on the next page
    assert b.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert b.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    b.take([erase], 5)
    assert b.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert {r[0] for r in b.conn.execute("SELECT row_id FROM team_tombstones")} >= {
        survivor.row_id, twin.row_id}
