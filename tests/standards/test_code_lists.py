"""Code lists a PCN brings: its own CSV or NHS England's refset files, all or nothing.

Ids other than the two shipped ones are made here with make_sctid (well formed, with a
correct check digit) for the test only: they are not codes anyone should record.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop.domain.models import Episode, Goal, Session
from arrs_desktop.standards.codes import (
    EVENTS,
    MAX_CSV_BYTES,
    SHIPPED_CODE_LIST,
    CodeListEntry,
    EpisodeMilestones,
    codes_due,
    episode_milestones,
    parse_code_list_csv,
    parse_refset,
    read_code_list,
    read_refset,
    with_shipped,
)
from arrs_desktop.standards.snomed import DESCRIPTION, make_sctid

REFERRAL = "871731000000106"
DECLINED = "871711000000103"
CC_CODE = make_sctid(4561, namespace="1000000")
HWBC_CODE = make_sctid(4562, namespace="1000000")
CLOSE_CODE = make_sctid(4563, namespace="1000000")
HEADER = "role,event,sctid,term\n"


def _broken(code: str) -> str:
    """Return a code with its check digit changed."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def _csv(*lines: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + HEADER + "".join(f"{line}\n" for line in lines)
            ).encode("utf-8")


def test_shipped_list_holds_only_the_two_confirmed_ids():
    assert [(e.role, e.event, e.sctid, e.term) for e in SHIPPED_CODE_LIST] == [
        ("splw", "first_contact", REFERRAL, "Referral to social prescribing service"),
        ("splw", "declined", DECLINED, "Social prescribing declined"),
    ]
    assert all(e.shipped for e in SHIPPED_CODE_LIST)


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_pcn_list_is_read_whole(bom):
    load = parse_code_list_csv(_csv(
        f"cc,first_contact,{CC_CODE},Seen by care coordinator",
        f"HWBC,First_Contact,{HWBC_CODE},\"Seen by health and wellbeing coach, first time\"",
        "",
        f"cc,closure,{CLOSE_CODE},Discharged from personalised care",
        f"hwbc,closure,{CLOSE_CODE},Discharged from personalised care",
        bom=bom), "codes.csv")
    assert load.ok and load.problems == ()
    assert [(e.role, e.event, e.sctid, e.line) for e in load.entries] == [
        ("cc", "first_contact", CC_CODE, 2), ("hwbc", "first_contact", HWBC_CODE, 3),
        ("cc", "closure", CLOSE_CODE, 5), ("hwbc", "closure", CLOSE_CODE, 6)]
    assert load.entries[1].term == "Seen by health and wellbeing coach, first time"


def test_columns_may_come_in_any_order_and_case():
    raw = f"Term,SCTID,Event,Role\nSeen,{CC_CODE},first_contact,cc\n".encode()
    load = parse_code_list_csv(raw)
    assert load.ok and load.entries[0].sctid == CC_CODE and load.entries[0].term == "Seen"


def test_a_bad_check_digit_names_the_line_and_nothing_is_read():
    bad = _broken(REFERRAL)
    load = parse_code_list_csv(_csv(
        f"splw,first_contact,{REFERRAL},Referral to social prescribing service",
        f"cc,first_contact,{bad},Seen by care coordinator",
        f"hwbc,first_contact,{HWBC_CODE},Seen by coach"), "codes.csv")
    assert not load.ok and load.entries == ()
    assert load.messages == [
        f"codes.csv, line 3: code '{bad}' is not a valid SNOMED CT id: the check digit (the "
        "last digit) does not match, so a digit is mistyped or two are swapped"]


def test_every_wrong_line_is_named_with_its_reason():
    description = make_sctid(99, DESCRIPTION, namespace="1000000")
    load = parse_code_list_csv(_csv(
        f"splw,first_contact,{REFERRAL},Referral to social prescribing service",  # 2 good
        f"nurse,first_contact,{CC_CODE},Seen",                                   # 3 role
        f"cc,discharge,{CC_CODE},Seen",                                          # 4 event
        f"cc,first_contact,{CC_CODE},",                                          # 5 term
        f"cc,first_contact,{description},Seen",                                  # 6 kind
        f"splw,first_contact,{REFERRAL},Referral to social prescribing service",  # 7 repeat
        f"cc,first_contact,{REFERRAL},Another term",                              # 8 2 terms
        "cc,first_contact",                                                       # 9 count
        f"cc,first_contact,{CC_CODE},<b>Seen</b>",                               # 10 markup
        f"cc,first_contact,0{CC_CODE},Seen",                                     # 11 zero
    ), "codes.csv")
    assert load.entries == ()
    by_line = {p.line: p.message for p in load.problems}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "role 'nurse' is not one of splw, cc, hwbc" in by_line[3]
    assert "event 'discharge' is not one of referral, first_contact, declined" in by_line[4]
    assert "the term is missing" in by_line[5]
    assert "is a description id (partition 11), not a concept id" in by_line[6]
    assert "repeats line 2" in by_line[7]
    assert f"gives code {REFERRAL} the term 'Another term', but line 2" in by_line[8]
    assert "has 2 values; each line has 4" in by_line[9]
    assert "must be plain text, not markup" in by_line[10]
    assert "cannot start with 0" in by_line[11]


@pytest.mark.parametrize(("raw", "needle"), [
    (b"", "is empty"),
    (HEADER.encode(), "holds no codes"),
    (b"role,event,code,term\n", "unknown column 'code'"),
    (b"role,event,sctid\n", "the header has no term column"),
    ("role,event,sctid,term\ncc,closure,123,Caf\xe9\n".encode("cp1252"), "is not UTF-8 text"),
    (b"role,event,sctid,term\ncc,closure,\"12\x00\",x\n", "NUL character"),
])
def test_a_file_that_is_not_a_code_list_is_refused(raw, needle):
    load = parse_code_list_csv(raw, "codes.csv")
    assert not load.ok and load.entries == ()
    assert any(needle in m for m in load.messages), load.messages


def test_the_not_utf8_message_names_the_line():
    raw = _csv(f"cc,closure,{CLOSE_CODE},Discharged").replace(b"Discharged", b"Discharg\xe9")
    assert parse_code_list_csv(raw, "codes.csv").problems[0].line == 2


def test_reading_a_file_is_bounded(tmp_path):
    good = tmp_path / "codes.csv"
    good.write_bytes(_csv(f"cc,closure,{CLOSE_CODE},Discharged"))
    assert read_code_list(good).ok
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (MAX_CSV_BYTES + 1))
    assert "is larger than 5 MB" in read_code_list(big).messages[0]
    assert "file not found" in read_code_list(tmp_path / "none.csv").messages[0]
    assert "it is a folder" in read_code_list(tmp_path).messages[0]


def test_many_wrong_lines_are_counted_after_the_first_hundred():
    load = parse_code_list_csv(_csv(*[f"nurse,closure,{CLOSE_CODE},x{i}" for i in range(150)]))
    assert len(load.problems) == 101 and load.messages[-1].endswith("and 50 more problems")


@given(st.lists(st.tuples(st.sampled_from(("splw", "cc", "hwbc")), st.sampled_from(
    tuple(EVENTS)), st.integers(100, 10**9)), min_size=1, max_size=12, unique=True),
    st.data())
def test_one_wrong_line_anywhere_means_nothing_is_read(rows, data):
    lines = [f"{role},{event},{make_sctid(item)},Term {item}" for role, event, item in rows]
    assert parse_code_list_csv(_csv(*lines)).ok
    at = data.draw(st.integers(0, len(lines) - 1))
    code = make_sctid(rows[at][2])
    lines[at] = lines[at].replace(code, _broken(code))
    load = parse_code_list_csv(_csv(*lines))
    assert load.entries == () and [p.line for p in load.problems] == [at + 2]


# --- NHS England refset files --------------------------------------------------------------

MODULE = make_sctid(9001, namespace="1000000")
REFSET_FIRST = make_sctid(9002, namespace="1000000")
REFSET_CLOSE = make_sctid(9003, namespace="1000000")
REFSET_HEADER = "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId"
DESC_HEADER = ("id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\t"
               "caseSignificanceId")
FSN, SYNONYM = "900000000000003001", "900000000000013009"
CASE = "900000000000448009"


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _refset(*rows: tuple[int, str, str, str, str]) -> bytes:
    lines = [REFSET_HEADER] + [f"{_uuid(n)}\t{when}\t{active}\t{MODULE}\t{refset}\t{concept}"
                               for n, when, active, refset, concept in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _descriptions(*rows: tuple[int, str, str, str, str]) -> bytes:
    lines = [DESC_HEADER] + [
        f"{make_sctid(n, DESCRIPTION, namespace='1000000')}\t20250401\t{active}\t{MODULE}\t"
        f"{concept}\ten\t{kind}\t{term}\t{CASE}" for n, active, concept, kind, term in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


MAPPING = (f"refset_id,role,event,name\n{REFSET_FIRST},cc,first_contact,Care coordination\n"
           f"{REFSET_FIRST},hwbc,first_contact,Coaching\n"
           f"{REFSET_CLOSE},cc,closure,Closures\n").encode()
DESCRIPTIONS = _descriptions(
    (1, "1", CC_CODE, FSN, "Seen by care coordinator (finding)"),
    (2, "1", CC_CODE, SYNONYM, "Care coordinator contact"),
    (3, "1", HWBC_CODE, FSN, "Seen by health and wellbeing coach (finding)"),
    (4, "1", CLOSE_CODE, FSN, "Discharged from personalised care (procedure)"),
)


def test_refset_files_with_the_pcns_mapping_give_codes_per_role_and_event():
    refset = _refset(
        (1, "20250401", "1", REFSET_FIRST, CC_CODE),
        (2, "20250401", "1", REFSET_FIRST, HWBC_CODE),
        (3, "20250401", "1", REFSET_CLOSE, CLOSE_CODE),
        (4, "20250401", "1", REFSET_CLOSE, HWBC_CODE),
        (4, "20251001", "0", REFSET_CLOSE, HWBC_CODE),  # a later row took it out again
    )
    load = parse_refset(refset, MAPPING, DESCRIPTIONS)
    assert load.ok, load.messages
    assert [(e.role, e.event, e.sctid, e.term) for e in load.entries] == [
        ("cc", "first_contact", CC_CODE, "Seen by care coordinator"),
        ("cc", "first_contact", HWBC_CODE, "Seen by health and wellbeing coach"),
        ("cc", "closure", CLOSE_CODE, "Discharged from personalised care"),
        ("hwbc", "first_contact", CC_CODE, "Seen by care coordinator"),
        ("hwbc", "first_contact", HWBC_CODE, "Seen by health and wellbeing coach"),
    ]


def test_refset_files_are_checked_line_by_line_and_yield_nothing_when_wrong():
    other_refset = make_sctid(9004, namespace="1000000")
    refset = _refset(
        (1, "20250401", "1", REFSET_FIRST, CC_CODE),                 # 2 good
        (2, "20251301", "1", REFSET_FIRST, HWBC_CODE),               # 3 month 13
        (3, "20250401", "2", REFSET_FIRST, HWBC_CODE),               # 4 active 2
        (4, "20250401", "1", other_refset, HWBC_CODE),               # 5 not mapped
        (5, "20250401", "1", REFSET_FIRST, _broken(HWBC_CODE)),    # 6 check digit
        (1, "20250401", "1", REFSET_FIRST, CC_CODE),                 # 7 repeat of line 2
    ) + b"not-a-uuid\t20250401\t1\t" + MODULE.encode() + b"\t" + REFSET_FIRST.encode() + \
        b"\t" + CC_CODE.encode() + b"\r\nshort\tline\r\n"
    load = parse_refset(refset, MAPPING, DESCRIPTIONS, refset_file="der2_Refset.txt")
    assert load.entries == ()
    by_line = {p.line: p.message for p in load.problems if p.file == "der2_Refset.txt"}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "effectiveTime 20251301 is not a real calendar date" in by_line[3]
    assert "active '2' must be 1 (active) or 0 (inactive)" in by_line[4]
    assert f"refset {other_refset} is not in refset mapping" in by_line[5]
    assert "check digit" in by_line[6]
    assert "repeats line 2" in by_line[7]
    assert "is not a UUID" in by_line[8]
    assert "has 2 tab-separated values; each line has 6" in by_line[9]


def test_a_member_without_a_term_or_a_mapped_refset_without_members_is_named():
    refset = _refset((1, "20250401", "1", REFSET_FIRST, make_sctid(4599, namespace="1000000")))
    load = parse_refset(refset, MAPPING, DESCRIPTIONS, refset_file="r.txt",
                        mapping_file="map.csv")
    assert load.entries == ()
    assert any("r.txt, line 2: concept" in m and "has no active fully specified name" in m
               for m in load.messages)
    assert any(m.startswith("map.csv, line 4") and "(Closures) has no active members" in m
               for m in load.messages)


def test_the_mapping_and_description_files_are_checked_too():
    mapping = (f"refset_id,role,event\n{REFSET_FIRST},cc,first_visit\n"
               f"{_broken(REFSET_FIRST)},cc,closure\n").encode()
    descriptions = DESCRIPTIONS + (f"{CC_CODE}\t20250401\t1\t{MODULE}\t{CC_CODE}\ten\t{FSN}\t"
                                   f"Seen\t{CASE}\r\n").encode()
    load = parse_refset(_refset((1, "20250401", "1", REFSET_FIRST, CC_CODE)), mapping,
                        descriptions, mapping_file="map.csv", descriptions_file="desc.txt")
    assert load.entries == ()
    messages = load.messages
    assert any(m.startswith("map.csv, line 2") and "event 'first_visit'" in m
               for m in messages)
    assert any(m.startswith("map.csv, line 3") and "refset id" in m and "check digit" in m
               for m in messages)
    assert any(m.startswith("desc.txt, line 6") and "is a concept id" in m for m in messages)


def test_an_rf2_file_needs_its_header():
    load = parse_refset(b"id,effectiveTime\n", MAPPING, DESCRIPTIONS, refset_file="r.txt")
    assert any(m.startswith("r.txt, line 1: the header is not the RF2 one") for m in
               load.messages)


def test_refset_files_are_read_from_disk_within_bounds(tmp_path):
    paths = []
    for name, raw in (("r.txt", _refset((1, "20250401", "1", REFSET_CLOSE, CLOSE_CODE))),
                      ("map.csv", f"refset_id,role,event\n{REFSET_CLOSE},cc,closure\n".encode()),
                      ("d.txt", DESCRIPTIONS)):
        (tmp_path / name).write_bytes(raw)
        paths.append(tmp_path / name)
    load = read_refset(*paths)
    assert load.ok and [e.sctid for e in load.entries] == [CLOSE_CODE]
    assert "file not found" in read_refset(paths[0], tmp_path / "none.csv", paths[2]
                                           ).messages[0]


# --- codes an episode calls for ------------------------------------------------------------

def test_milestones_of_an_episode():
    episode = Episode(id="e1", person_id="p", role="cc", referral_date=date(2026, 1, 5),
                      referral_source="gp", status="closed", first_contact_date=date(2026, 1, 9),
                      closure_date=date(2026, 4, 1))
    sessions = [Session(person_id="p", episode_id="e1", date=date(2026, d[0], d[1]), role="cc",
                        kind=kind, mode="telephone", minutes=20)
                for d, kind in (((1, 20), "review"), ((2, 20), "review"), ((3, 5), "follow_up"),
                                ((3, 20), "review"))]
    sessions.append(Session(person_id="p", episode_id="other", date=date(2026, 3, 1), role="cc",
                            kind="review", mode="telephone", minutes=20))
    goals = [Goal(person_id="p", episode_id="e1", title="Walk", owner_role="cc", baseline=3,
                  set_date=date(2026, 2, 1)),
             Goal(person_id="p", episode_id="e1", title="Cook", owner_role="cc", baseline=3,
                  set_date=date(2026, 2, 10))]
    m = episode_milestones(episode, sessions, goals)
    assert m == EpisodeMilestones(role="cc", referral=date(2026, 1, 5),
                                  first_contact=date(2026, 1, 9), plan_agreed=date(2026, 2, 1),
                                  plan_reviewed=(date(2026, 2, 20), date(2026, 3, 20)),
                                  closure=date(2026, 4, 1))
    declined = Episode(id="e2", person_id="p", role="splw", referral_date=date(2026, 1, 5),
                       referral_source="gp", status="declined", closure_date=date(2026, 1, 8))
    assert episode_milestones(declined).declined == date(2026, 1, 8)
    assert episode_milestones(declined).closure is None


def test_codes_due_follow_the_events_of_the_episodes_role():
    pcn = [CodeListEntry("cc", "first_contact", CC_CODE, "Seen by care coordinator"),
           CodeListEntry("cc", "plan_reviewed", HWBC_CODE, "Plan reviewed"),
           CodeListEntry("cc", "closure", CLOSE_CODE, "Discharged"),
           CodeListEntry("hwbc", "closure", CLOSE_CODE, "Discharged")]
    codes = with_shipped(pcn)
    m = EpisodeMilestones(role="cc", referral=date(2026, 1, 5), first_contact=date(2026, 1, 9),
                          plan_reviewed=(date(2026, 2, 20), date(2026, 3, 20)),
                          closure=date(2026, 4, 1))
    assert [(c.sctid, c.on, c.why) for c in codes_due(m, codes)] == [
        (CC_CODE, date(2026, 1, 9), "First contact"),
        (HWBC_CODE, date(2026, 2, 20), "Care and support plan reviewed"),
        (HWBC_CODE, date(2026, 3, 20), "Care and support plan reviewed"),
        (CLOSE_CODE, date(2026, 4, 1), "Episode closed"),
    ]
    link = EpisodeMilestones(role="splw", referral=date(2026, 1, 5),
                             first_contact=date(2026, 1, 12))
    due = codes_due(link, codes)
    assert [(c.sctid, c.on, c.shipped) for c in due] == [(REFERRAL, date(2026, 1, 12), True)]
    assert codes_due(EpisodeMilestones(role="splw", referral=date(2026, 1, 5)), codes) == ()
    declined = EpisodeMilestones(role="splw", referral=date(2026, 1, 5),
                                 declined=date(2026, 1, 6))
    assert [c.sctid for c in codes_due(declined, codes)] == [DECLINED]


def test_with_shipped_keeps_the_shipped_codes_first_and_once():
    again = CodeListEntry("splw", "first_contact", REFERRAL, "Referral to social prescribing "
                                                            "service")
    merged = with_shipped([again, CodeListEntry("cc", "closure", CLOSE_CODE, "Discharged")])
    assert [e.sctid for e in merged] == [REFERRAL, DECLINED, CLOSE_CODE]
    assert merged[0].shipped
