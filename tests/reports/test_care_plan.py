"""The personalised care and support plan: content, PDF text and rendering."""

import shutil
import subprocess
from datetime import date

import pytest

from arrs_desktop.cli import main
from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Episode, Goal, Person, Session, SessionEntry
from arrs_desktop.reports.care_plan import PlanBlock, build_care_plan, care_plan_html, paginate
from arrs_desktop.settings import Settings, save_settings
from tests.fixture_caseload import build_fixture

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")


@pytest.fixture
def fx(store):
    return build_fixture(store)


def test_plan_content(store, fx):
    plan = build_care_plan(store, fx.people["ann"], today=date(2025, 10, 6))
    assert plan.name == "Ann Archer"
    assert plan.nhs_number == "943 476 5919"
    assert plan.needs == ("I feel lonely or cut off from other people.",
                          "I look after someone and I am finding it hard.")
    assert [g.title for g in plan.goals] == ["Get to the lunch club"]
    assert plan.goals[0].baseline == 3 and plan.goals[0].status == "Achieved"
    assert plan.support[0].worker == "Wendy"
    assert [c.code for c in plan.support[0].codes] == ["871731000000106"]
    assert plan.actions[0].text == "Agreed to try the Tuesday lunch club."
    assert plan.next_contact == date(2025, 11, 2)
    html = care_plan_html(plan)
    assert "Seeing my grandchildren every week" in html
    assert "NHS logo" not in html
    assert "Struggling carer" not in html  # the catalogue's label is not the person's words
    assert [(c.name, c.role) for c in plan.contacts] == [
        ("Wendy", "social prescribing link worker")]
    assert plan.practice == "" and plan.practice_phone == ""


def test_every_need_has_first_person_plan_wording():
    texts = [n.plan_text for n in catalogue.NEEDS]
    assert len(set(texts)) == len(texts)
    for need in catalogue.NEEDS:
        text = need.plan_text
        assert text, f"{need.id} has no plan_text"
        assert text.endswith(".") and text[0].isupper(), need.id
        assert " I " in f" {text} " or " my " in f" {text} ", f"{need.id}: {text!r}"


def test_contact_section_names_workers_practice_and_phone(store, fx):
    plan = build_care_plan(store, fx.people["ann"], practice="Riverside Surgery",
                           practice_phone="0113 496 0000")
    html = care_plan_html(plan)
    assert "Who to contact" in html
    assert "<b>Wendy</b>, my social prescribing link worker" in html
    assert "Riverside Surgery" in html and "0113 496 0000" in html
    # Closed and declined episodes (Cat's, Dan's) name nobody to contact.
    cat = build_care_plan(store, fx.people["cat"])
    assert cat.contacts == ()
    assert "The team at your GP practice" in care_plan_html(cat)


def _blocks(*spec):
    return [PlanBlock("x", keep_with_next=k, space_before=0) for k in spec]


def test_paginate_keeps_headings_with_their_block_and_blocks_whole():
    # heading, block, heading, block: the second block does not fit under its heading.
    slices = paginate([20, 500, 20, 400], _blocks(True, False, True, False), 800)
    assert [(b, page) for b, page, *_ in slices] == [(0, 0), (1, 0), (2, 1), (3, 1)]
    assert all(start == 0 and end == h for (_b, _p, _t, start, end), h
               in zip(slices, [20, 500, 20, 400], strict=True))
    # A block taller than a page is cut only where it may be (between lines).
    slices = paginate([20, 1500], _blocks(True, False), 800, {1: [0, 700, 760, 1400]})
    assert [(b, page, start, end) for b, page, _top, start, end in slices] == [
        (0, 0, 0, 20), (1, 0, 0, 760), (1, 1, 760, 1500)]


def _busy_person(store):
    """A person whose plan runs to several pages: many needs and goals, long notes."""
    person = store.people.add(Person(name="Rhiannon Pagewright", gp_practice="Elm Practice",
                                     what_matters="Walking the dog by the river " * 40))
    store.needs.set(person.id, list(catalogue.NEED_IDS))
    episode = store.episodes.open(Episode(person_id=person.id, role="splw", worker="Hal Coach",
                                         referral_date=date(2026, 1, 5),
                                         referral_source="gp"))
    for i in range(9):
        store.goals.add(Goal(person_id=person.id, episode_id=episode.id, owner_role="splw",
                            title=f"Goal {i + 1}: walk a little further each week",
                            baseline=i, what_matters="To keep up with my grandchildren."))
    for day in (2, 9, 16):
        store.sessions.log(SessionEntry(Session(
            person_id=person.id, episode_id=episode.id, date=date(2026, 3, day), role="splw",
            kind="follow_up", mode="telephone", minutes=30, worker="Hal Coach",
            notes="We talked it through and agreed the next small step. " * 12)))
    return person.id


def _pages(pdf) -> list[str]:
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


# The PCSP standard's sections, each followed by its parts' headings.
HEADINGS = ("About me", "What matters to me", "What I would like help with",
            "Care and support plan", "My goals and how I am getting on", "What we agreed",
            "When we will next be in touch", "People supporting me", "Who is supporting me",
            "Who to contact", "For my GP record", "What my practice records")


@needs_poppler
def test_no_heading_ends_a_page_and_goals_stay_whole(qapp, store, tmp_path):
    from arrs_desktop.ui.person.care_plan_pdf import write_care_plan_pdf

    person_id = _busy_person(store)
    plan = build_care_plan(store, person_id, practice="Elm Practice",
                           practice_phone="01632 960000")
    pages = _pages(write_care_plan_pdf(plan, tmp_path / "plan.pdf"))
    assert len(pages) >= 3
    seen = []
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[-1].endswith(f"Page {number} of {len(pages)}")  # the footer
        assert "Rhiannon Pagewright" in lines[-1]
        content = lines[:-1]
        assert content[-1] not in HEADINGS, f"page {number} ends on a heading"
        seen += [line for line in content if line in HEADINGS]
        flat = " ".join(" ".join(content).split())
        for i in range(9):  # a goal's card is whole on one page: title, scores, status
            title = f"Goal {i + 1}: walk a little further each week"
            if title in flat:
                assert f"{i} of 10" in flat and "Not scored yet" in flat
    assert seen == list(HEADINGS)
    everything = " ".join(" ".join(pages).split())
    for need in catalogue.NEEDS:
        assert need.plan_text in everything
    assert "Hal Coach, my social prescribing link worker" in everything
    assert "01632 960000" in everything


def test_plan_for_unknown_person(store):
    with pytest.raises(KeyError):
        build_care_plan(store, "nobody")


@needs_poppler
def test_plan_pdf_has_the_text_and_renders(qapp, store, fx, tmp_path):
    from arrs_desktop.ui.person.care_plan_pdf import write_care_plan_pdf

    pdf = write_care_plan_pdf(build_care_plan(store, fx.people["ann"]), tmp_path / "plan.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    for needle in ("Ann Archer", "Get to the lunch club", "What matters to me",
                   "Seeing my grandchildren every week", "871731000000106",
                   "I feel lonely or cut off from other people.",
                   "I look after someone and I am finding it hard.", "Who to contact",
                   "Wendy, my social prescribing link worker"):
        assert needle in text
    done = subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "p")],
                          capture_output=True)
    assert done.returncode == 0
    assert list(tmp_path.glob("p-*.png"))


@needs_poppler
def test_arrs_plan_command(qapp, store, fx, db_path, tmp_path, capsys):
    save_settings(Settings(user_name="Wendy", practice="Riverside Surgery",
                           practice_phone="0113 496 0000"))
    out = tmp_path / "plan.pdf"
    assert main(["plan", "--db", str(db_path), "--person", fx.people["bob"],
                 "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Bob Baker" in text
    assert "Riverside Surgery on 0113 496 0000" in " ".join(text.split())
    assert main(["plan", "--db", str(db_path), "--person", "nobody", "--out", str(out)]) == 1
    assert "no person" in capsys.readouterr().err


def test_next_contact_is_the_caseloads_next_follow_up_not_a_discharged_roles(store):
    from datetime import timedelta

    from arrs_desktop.reports.care_plan import build_care_plan as plan_for

    today = date.today()
    person = store.people.add(Person(name="Nina Next"))
    link = store.episodes.open(Episode(person_id=person.id, role="splw", worker="Lee Link",
                                      referral_source="gp",
                                      referral_date=today - timedelta(days=60)))
    coach = store.episodes.open(Episode(person_id=person.id, role="hwbc", worker="Hana Coach",
                                       referral_source="gp",
                                       referral_date=today - timedelta(days=50)))
    for ep, role, day, follow in ((coach, "hwbc", 20, 9), (link, "splw", 10, 3)):
        store.sessions.log(SessionEntry(session=Session(
            person_id=person.id, episode_id=ep.id, role=role, kind="follow_up",
            mode="telephone", minutes=20, date=today - timedelta(days=day),
            next_follow_up=today + timedelta(days=follow))))
    store.episodes.change_status(link.id, "closed", closure_reason="goals_met")
    plan = plan_for(store, person.id, today=today)
    assert plan.next_contact == today + timedelta(days=9)
    assert plan.next_contact_with == "health coach, Hana Coach"
    column = store.db.execute("SELECT next_follow_up FROM people WHERE id = ?",
                              [person.id]).fetchone()[0]
    assert column == plan.next_contact.isoformat()


def test_the_plan_carries_only_the_communication_needs_the_person_agreed_to(store, fx):
    ann = fx.people["ann"]
    store.alerts.add(ann, {"kind": "lone_worker", "detail": "Large dog",
                           "raised_on": "2025-09-01", "raised_by": "Wendy"})
    store.alerts.add(ann, {"kind": "safeguarding", "detail": "Ask the lead",
                           "raised_on": "2025-09-01", "raised_by": "Wendy"})
    store.alerts.add(ann, {"kind": "hearing", "detail": "Face me when you speak",
                           "raised_on": "2025-09-01", "raised_by": "Wendy",
                           "show_on_plan": True})
    store.alerts.add(ann, {"kind": "sight", "detail": "Large print",
                           "raised_on": "2025-09-01", "raised_by": "Wendy"})  # not agreed
    plan = build_care_plan(store, ann, today=date(2025, 10, 6))
    assert plan.communication == ("Hearing loss: Face me when you speak",)
    html = care_plan_html(plan)
    assert "Face me when you speak" in html
    for secret in ("Large dog", "Ask the lead", "Large print", "Safeguarding"):
        assert secret not in html, secret
