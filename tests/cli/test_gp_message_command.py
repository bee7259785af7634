"""`arrs gp-message`, `arrs codes import` and `arrs export --dataset` on a real file holding a
link-worker episode from referral to closure."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from standards_journey import (
    DOG,
    NOTE,
    WHAT_MATTERS,
    install_team_check_in,
    link_worker_journey,
)

from arrs_desktop.cli import main
from arrs_desktop.store import open_store

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")


@pytest.fixture
def journey_db(db_path):
    install_team_check_in()
    store = open_store(db_path, user="Wendy Link")
    journey = link_worker_journey(store)
    store.close()
    return db_path, journey


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def test_arrs_gp_message_lists_the_letter_on_the_episode(journey_db, tmp_path, capsys):
    db, journey = journey_db
    out = tmp_path / "letter.txt"
    assert main(["gp-message", "--db", str(db), "--episode", journey.episode_id, "--out",
                 str(out), "--on", "2026-04-21", "--worker", "Wendy Link"]) == 0
    printed = capsys.readouterr().out
    assert "Message to the GP and referrer: closure" in printed
    assert "871731000000106" in printed
    text = out.read_text(encoding="utf-8")
    for needle in ("Ann Archer", "943 476 5919", WHAT_MATTERS, "Lonely or isolated",
                   "Tuesday Lunch Club", "Life satisfaction", "871731000000106", "Wendy Link",
                   "Social Prescribing Link Worker", "21 Apr 2026", DOG, "Dr Asha Patel"):
        assert needle in text, needle
    assert NOTE not in text
    assert out.stat().st_mode & 0o077 == 0
    store = open_store(db, user="check")
    try:
        (row,) = store.gp_messages.for_episode(journey.episode_id)
        assert (row["occasion"], row["written_on"], row["consent"], row["written_by"]) == (
            "closure", "2026-04-21", 1, "Wendy Link")
        assert row["text"] == text
    finally:
        store.close()


@needs_poppler
def test_arrs_gp_message_writes_a_pdf_letter_a_gp_can_read(journey_db, tmp_path):
    db, journey = journey_db
    out = tmp_path / "letter.pdf"
    assert main(["gp-message", "--db", str(db), "--episode", journey.episode_id, "--out",
                 str(out), "--on", "2026-04-21", "--occasion", "closure"]) == 0
    text = _pdf_text(out)
    for needle in ("Message to the GP and referrer: closure", "Ann Archer", "17 May 1948",
                   "943 476 5919", "871731000000106", "Referral to social prescribing service",
                   "Safety alerts for staff", "Large dog at the address", "Tuesday Lunch Club",
                   "Calm", "Page 1 of"):
        assert needle in text, needle


@needs_poppler
def test_without_consent_the_letter_carries_only_the_codes_and_dates(db_path, tmp_path):
    store = open_store(db_path, user="Wendy Link")
    journey = link_worker_journey(store, consent=False)
    store.close()
    out = tmp_path / "letter.pdf"
    assert main(["gp-message", "--db", str(db_path), "--episode", journey.episode_id, "--out",
                 str(out), "--on", "2026-04-21"]) == 0
    text = _pdf_text(out)
    assert "871731000000106" in text and "Ann Archer" in text and "943 476 5919" in text
    for secret in (WHAT_MATTERS, "Lonely", "Tuesday Lunch Club", "Large dog", "Dr Asha Patel",
                   "12 Mill Lane", "Life satisfaction"):
        assert secret not in text, secret
    store = open_store(db_path, user="check")
    try:
        assert [r["consent"] for r in store.gp_messages.for_episode(journey.episode_id)] == [0]
    finally:
        store.close()


def test_a_first_contact_letter_before_any_contact_is_refused(db_path, tmp_path, capsys):
    store = open_store(db_path, user="Wendy Link")
    journey = link_worker_journey(store, close=False)
    store.close()
    out = tmp_path / "letter.txt"
    assert main(["gp-message", "--db", str(db_path), "--episode", journey.episode_id, "--out",
                 str(out), "--on", "2026-01-06", "--occasion", "first_contact"]) == 1
    assert "no first contact yet" in capsys.readouterr().err
    assert not out.exists()
    assert main(["gp-message", "--db", str(db_path), "--episode", journey.episode_id,
                 "--out", str(tmp_path / "letter.doc")]) == 2


def test_arrs_codes_import_names_a_bad_check_digit_and_imports_nothing(db_path, tmp_path,
                                                                       capsys):
    open_store(db_path, user="x").close()
    bad = tmp_path / "pcn.csv"
    bad.write_text("role,event,sctid,term\n"
                   "cc,first_contact,871731000000106,Referral to social prescribing service\n"
                   "hwbc,first_contact,871731000000107,Mistyped id\n", encoding="utf-8")
    assert main(["codes", "import", "--db", str(db_path), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "pcn.csv, line 3" in err and "check digit" in err and "nothing was imported" in err
    store = open_store(db_path, user="check")
    try:
        assert {r["shipped"] for r in store.code_list.all()} == {1}
    finally:
        store.close()
    good = tmp_path / "good.csv"
    good.write_text("role,event,sctid,term\n"
                    "cc,first_contact,871731000000106,Referral to social prescribing service\n",
                    encoding="utf-8")
    assert main(["codes", "import", "--db", str(db_path), str(good)]) == 0
    assert "Imported 1 codes" in capsys.readouterr().out
    assert main(["codes", "list", "--db", str(db_path)]) == 0
    listed = capsys.readouterr().out
    assert "871711000000103" in listed and "Care coordinator" in listed


def test_arrs_export_dataset_writes_the_four_groups_and_a_dictionary(journey_db, tmp_path,
                                                                     capsys):
    from openpyxl import load_workbook

    db, _journey = journey_db
    out = tmp_path / "msd"
    assert main(["export", "--db", str(db), "--out", str(out), "--dataset", "--from",
                 "2026-01-01", "--to", "2026-04-30"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "minimum-dataset-2026-01-01-2026-04-30.xlsx" in names
    assert len([n for n in names if n.endswith(".csv")]) == 6
    wb = load_workbook(out / "minimum-dataset-2026-01-01-2026-04-30.xlsx", read_only=True)
    assert wb.sheetnames == ["Patient demographics", "Needs and concerns", "Support offered",
                             "Activities referred to", "Outcomes", "Data dictionary"]
    demo = next(p for p in out.iterdir() if p.name.startswith("msd_demographics"))
    rows = list(csv.reader(demo.open(encoding="utf-8-sig")))
    assert "NHS number" in rows[0] and "9434765919" in rows[1]


def test_arrs_codes_import_needs_one_kind_of_file(db_path, tmp_path, capsys):
    open_store(db_path, user="x").close()
    assert main(["codes", "import", "--db", str(db_path)]) == 2
    assert "give a code list CSV" in capsys.readouterr().err
    assert main(["codes", "import", "--db", str(db_path), str(tmp_path / "a.csv"),
                 "--refset", "r.txt"]) == 2
    assert "either a CSV file or --refset" in capsys.readouterr().err
    assert main(["codes", "import", "--db", str(db_path), str(tmp_path / "missing.csv")]) == 1
    assert "nothing was imported" in capsys.readouterr().err
