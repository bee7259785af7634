"""The personalised care and support plan: content, PDF text and rendering."""

import shutil
import subprocess
from datetime import date

import pytest
from fixture_caseload import build_fixture

from arrs_desktop.care_plan import build_care_plan, care_plan_html
from arrs_desktop.cli import main

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")


@pytest.fixture
def fx(store):
    return build_fixture(store)


def test_plan_content(store, fx):
    plan = build_care_plan(store, fx.people["ann"], today=date(2025, 10, 6))
    assert plan.name == "Ann Archer"
    assert plan.nhs_number == "943 476 5919"
    assert plan.needs == ("Lonely or isolated", "Struggling carer")
    assert [g.title for g in plan.goals] == ["Get to the lunch club"]
    assert plan.goals[0].baseline == 3 and plan.goals[0].status == "Achieved"
    assert plan.support[0].worker == "Wendy"
    assert [c.code for c in plan.support[0].codes] == ["871731000000106"]
    assert plan.actions[0].text == "Agreed to try the Tuesday lunch club."
    assert plan.next_contact == date(2025, 11, 2)
    html = care_plan_html(plan)
    assert "Seeing my grandchildren every week" in html
    assert "NHS logo" not in html


def test_plan_for_unknown_person(store):
    with pytest.raises(KeyError):
        build_care_plan(store, "nobody")


@needs_poppler
def test_plan_pdf_has_the_text_and_renders(qapp, store, fx, tmp_path):
    from arrs_desktop.ui.care_plan import write_care_plan_pdf

    pdf = write_care_plan_pdf(build_care_plan(store, fx.people["ann"]), tmp_path / "plan.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    for needle in ("Ann Archer", "Get to the lunch club", "What matters to me",
                   "Seeing my grandchildren every week", "871731000000106"):
        assert needle in text
    done = subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "p")],
                          capture_output=True)
    assert done.returncode == 0
    assert list(tmp_path.glob("p-*.png"))


@needs_poppler
def test_arrs_plan_command(qapp, store, fx, db_path, tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    assert main(["plan", "--db", str(db_path), "--person", fx.people["bob"],
                 "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Bob Baker" in text
    assert main(["plan", "--db", str(db_path), "--person", "nobody", "--out", str(out)]) == 1
    assert "no person" in capsys.readouterr().err
