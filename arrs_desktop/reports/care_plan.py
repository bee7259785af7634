"""The personalised care and support plan: gathered from the store, written as simple HTML.

The plan is written as a list of blocks (`care_plan_blocks`): a heading is kept with the
block after it and a block is never split across pages unless it is taller than a page, so
the printer (ui/care_plan.py) lays out whole blocks page by page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.episodes import is_open
from arrs_desktop.domain.gp_codes import EpisodeCode
from arrs_desktop.domain.validation import format_nhs_number
from arrs_desktop.standards.pcsp import GOALS_INTRO, PcspSection, PlanPart, arrange

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_GREY_4 = "#D8DDE0"
NHS_GREY_5 = "#F0F4F5"
NHS_BLACK = "#231F20"
NHS_GREEN = "#009639"


@dataclass(frozen=True)
class PlanGoal:
    """A goal as the plan shows it: where the person started and where they are now."""

    title: str
    role: str
    baseline: int
    latest: int | None
    latest_on: date | None
    target_date: date | None
    status: str
    what_matters: str = ""


@dataclass(frozen=True)
class PlanSupport:
    """One role supporting the person (an episode)."""

    role: str
    worker: str
    status: str
    since: date | None
    until: date | None
    codes: tuple[EpisodeCode, ...] = ()


@dataclass(frozen=True)
class PlanAction:
    """Something agreed: a session's notes or a community connection."""

    on: date | None
    text: str
    who: str = ""


@dataclass(frozen=True)
class PlanContact:
    """Someone the person can contact about their support."""

    name: str
    role: str  # "social prescribing link worker", as in "my social prescribing link worker"


@dataclass(frozen=True)
class CarePlan:
    """Everything printed on one person's care and support plan."""

    name: str
    date_of_birth: date | None
    nhs_number: str
    gp_practice: str
    preferred_contact: str
    what_matters: str
    needs: tuple[str, ...]
    support: tuple[PlanSupport, ...]
    goals: tuple[PlanGoal, ...]
    actions: tuple[PlanAction, ...]
    connections: tuple[PlanAction, ...]
    next_contact: date | None
    next_contact_with: str
    prepared_on: date
    contacts: tuple[PlanContact, ...] = ()
    practice: str = ""  # where the workers can be reached (settings), else the GP practice
    practice_phone: str = ""
    # Communication needs the person agreed to have printed on their plan
    # (standards.referral.alerts_for_plan); never a risk or safeguarding alert.
    communication: tuple[str, ...] = ()


def build_care_plan(store, person_id: str, today: date | None = None, practice: str = "",
                    practice_phone: str = "") -> CarePlan:
    """Gather one person's plan from the store; raise KeyError if there is no such person.

    `practice` and `practice_phone` are where the person can reach the team (from the
    user's settings); with no practice given the person's own GP practice is shown.
    """
    today = today or date.today()
    person = store.people.get(person_id)
    if person is None or person.deleted_at:
        raise KeyError(person_id)
    needs = store.needs.current(person_id)
    episodes = store.episodes.for_person(person_id)
    support = tuple(
        PlanSupport(
            role=catalogue.ROLES_BY_CODE[e.role].name,
            worker=e.worker,
            status=catalogue.EPISODE_STATUSES.get(e.status, e.status),
            since=e.first_contact_date or e.referral_date,
            until=e.closure_date,
            codes=tuple(store.gp_codes.for_episode(e.id)),
        )
        for e in episodes
    )
    goals = []
    for g in store.goals.for_person(person_id):
        progress = store.goals.progress_for(g.id)
        last = progress[-1] if progress else None
        goals.append(PlanGoal(
            title=g.title, role=catalogue.ROLES_BY_CODE[g.owner_role].short_name,
            baseline=g.baseline, latest=last.score if last else None,
            latest_on=last.date if last else None, target_date=g.target_date,
            status=catalogue.GOAL_STATUSES.get(g.status, g.status), what_matters=g.what_matters,
        ))
    sessions = store.sessions.for_person(person_id, limit=50)
    actions = tuple(
        PlanAction(on=s.date, text=s.notes.strip(),
                   who=catalogue.ROLES_BY_CODE[s.role].short_name
                   + (f", {s.worker}" if s.worker else ""))
        for s in sessions if s.notes.strip()
    )[:4]
    connections = []
    for r in store.community.referrals_for(person_id)[:6]:
        asset = store.community.get_asset(r.asset_id)
        outcome = catalogue.REFERRAL_OUTCOMES.get(r.outcome, r.outcome)
        connections.append(PlanAction(on=r.referred_on,
                                      text=asset.name if asset else "A community group",
                                      who=outcome))
    contacts: list[PlanContact] = []
    for e in episodes:
        if is_open(e.status) and e.worker.strip():
            contact = PlanContact(e.worker.strip(), catalogue.ROLES_BY_CODE[e.role].name.lower())
            if contact not in contacts:
                contacts.append(contact)
    next_contact, with_whom = None, ""
    upcoming = store.episodes.next_contact(person_id)  # the same rule as the caseload's column
    if upcoming is not None:
        next_contact, role, worker = upcoming
        with_whom = catalogue.ROLES_BY_CODE[role].short_name.lower() + (
            f", {worker}" if worker else "")
    return CarePlan(
        name=person.name,
        date_of_birth=person.date_of_birth,
        nhs_number=format_nhs_number(person.nhs_number),
        gp_practice=person.gp_practice,
        preferred_contact=catalogue.PREFERRED_CONTACT.get(person.preferred_contact,
                                                          person.preferred_contact),
        what_matters=person.what_matters,
        needs=tuple(catalogue.NEEDS_BY_ID[n].plan_text for n in catalogue.NEED_IDS if n in needs),
        support=support,
        goals=tuple(goals),
        actions=actions,
        connections=tuple(connections),
        next_contact=next_contact,
        next_contact_with=with_whom,
        prepared_on=today,
        contacts=tuple(contacts),
        practice=practice.strip() or person.gp_practice,
        practice_phone=practice_phone.strip(),
        communication=_communication_on_plan(store, person_id, today),
    )


def _communication_on_plan(store, person_id: str, today: date) -> tuple[str, ...]:
    """Return the communication needs the person agreed to have on their own plan (never a
    lone-worker risk or a safeguarding concern)."""
    from arrs_desktop.reports.standards_records import alert_from_row
    from arrs_desktop.standards.referral import alerts_for_plan

    alerts = alerts_for_plan((alert_from_row(r) for r in store.alerts.for_person(person_id)),
                             today)
    return tuple(a.text for a in alerts)


@dataclass(frozen=True)
class PlanBlock:
    """One piece of the plan that is printed whole (never split across two pages).

    `keep_with_next` marks a heading: it goes on the same page as the block after it.
    `space_before` is the gap above the block in CSS pixels (1/96 inch), dropped at the top
    of a page.
    """

    html: str
    keep_with_next: bool = False
    space_before: int = 8


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _bar(score: int | None, colour: str) -> str:
    """Return a small 0-10 bar of squares with the score written beside it."""
    if score is None:
        return f'<span style="color:{NHS_DARK_GREY}">Not scored yet</span>'
    return (f'<span style="color:{colour}; font-size:9pt">{"&#9632;" * score}</span>'
            f'<span style="color:{NHS_GREY_4}; font-size:9pt">{"&#9632;" * (10 - score)}'
            f"</span><br><b>{score}</b> of 10")


def _list(items: list[str]) -> str:
    """Return a bulleted list of already-escaped items, spaced for reading."""
    return "".join(
        f'<table cellpadding="0" cellspacing="0" style="margin-top:{0 if i == 0 else 5}px">'
        f'<tr><td width="22" style="color:{NHS_BLUE}">&#9679;</td><td>{item}</td></tr>'
        "</table>"
        for i, item in enumerate(items)
    )


def _goal_block(g: PlanGoal) -> PlanBlock:
    """Return one goal as a card: what it is, where I started and where I am now."""
    achieved = g.status == "Achieved"
    colour = NHS_GREEN if achieved else NHS_BLUE
    meta = [f"With my {escape(g.role.lower())}"]
    if achieved:
        meta.append(f'<b style="color:{NHS_GREEN}">Achieved</b>')
    elif g.status != "Active":
        meta.append(escape(g.status))
    elif g.target_date:
        meta.append(f"Aiming for {_day(g.target_date)}")
    why = (f'<br><span style="font-size:11pt"><i>Why it matters to me:'
           f" {_text(g.what_matters.strip())}</i></span>" if g.what_matters.strip() else "")
    when = (f'<br><span style="color:{NHS_DARK_GREY}; font-size:10pt">on '
            f"{_day(g.latest_on)}</span>" if g.latest_on else "")
    label = f'<span style="color:{NHS_DARK_GREY}; font-size:10pt">'
    return PlanBlock(
        f'<table width="100%" cellpadding="9" cellspacing="0" bgcolor="{NHS_GREY_5}">'
        f'<tr><td width="42%"><span style="font-size:13pt"><b>{escape(g.title)}</b></span>'
        f'<br><span style="color:{NHS_DARK_GREY}; font-size:11pt">'
        f'{" &middot; ".join(meta)}</span>{why}</td>'
        f"<td width=\"29%\">{label}Where I started</span><br>{_bar(g.baseline, '#768692')}"
        "</td>"
        f'<td width="29%">{label}Where I am now</span><br>{_bar(g.latest, colour)}{when}'
        "</td></tr></table>",
        space_before=8,
    )


def _contact_block(plan: CarePlan) -> PlanBlock:
    """Return who the person can contact, how, and where to go when it is urgent."""
    rows = []
    for c in plan.contacts:
        rows.append(f"<b>{escape(c.name)}</b>, my {escape(c.role)}")
    if plan.practice and plan.practice_phone:
        reach = (f"Contact them through <b>{escape(plan.practice)}</b> on "
                 f'<b style="font-size:14pt">{escape(plan.practice_phone)}</b>.')
    elif plan.practice_phone:
        reach = f'Phone <b style="font-size:14pt">{escape(plan.practice_phone)}</b>.'
    elif plan.practice:
        reach = (f"Contact them through <b>{escape(plan.practice)}</b>: ask the practice to"
                 " pass on a message.")
    else:
        reach = "Ask your GP practice to pass on a message."
    if not rows:
        reach = reach.replace("Contact them through", "Contact")
        rows.append("The team at your GP practice")
    return PlanBlock(
        f'<table width="100%" cellpadding="10" cellspacing="0" bgcolor="{NHS_GREY_5}">'
        f"<tr><td>{'<br>'.join(rows)}"
        f'<p style="margin-top:8px; margin-bottom:0">{reach}</p>'
        f'<p style="margin-top:8px; margin-bottom:0; color:{NHS_DARK_GREY}; font-size:11pt">'
        "If you need medical help fast, call NHS 111. In an emergency, call 999.</p>"
        "</td></tr></table>"
    )


def _section_heading(section: PcspSection) -> PlanBlock:
    """Return a PCSP section's heading, with a rule under it, kept with what follows."""
    return PlanBlock(
        f'<p style="color:{NHS_DARK_BLUE}; font-size:18pt; font-weight:bold; margin:0">'
        f"{escape(section.title)}</p>"
        f'<table width="100%" cellpadding="0" cellspacing="0" style="margin-top:4px">'
        f'<tr><td bgcolor="{NHS_BLUE}" style="font-size:2pt">&nbsp;</td></tr></table>',
        keep_with_next=True, space_before=28)


def _part_heading(part: PlanPart) -> PlanBlock:
    """Return the heading of one part of the plan (and its line of explanation)."""
    html = (f'<p style="color:{NHS_DARK_BLUE}; font-size:14pt; font-weight:bold;'
            f' margin:0">{escape(part.heading)}</p>')
    if part.intro:
        html += (f'<p style="color:{NHS_DARK_GREY}; font-size:11pt; margin-top:4px;'
                 f' margin-bottom:0">{escape(part.intro)}</p>')
    return PlanBlock(html, keep_with_next=True, space_before=14)


def care_plan_blocks(plan: CarePlan) -> list[PlanBlock]:
    """Return the plan as blocks of HTML for Qt's rich-text engine, in reading order.

    After the opening panel the parts follow the PCSP standard's sections
    (arrs_desktop/standards/pcsp.py): "About me", "Care and support plan", the people
    supporting the person, and the codes for their GP record.
    """
    facts = [("Date of birth", _day(plan.date_of_birth)), ("NHS number", plan.nhs_number),
             ("GP practice", plan.gp_practice),
             ("Best way to contact me", plan.preferred_contact)]
    fact_rows = "".join(
        f'<tr><td style="color:{NHS_DARK_GREY}; padding-right:16px">{escape(k)}</td>'
        f"<td><b>{escape(v)}</b></td></tr>"
        for k, v in facts if v
    )
    opening = PlanBlock(
        f'<table width="100%" cellpadding="12" cellspacing="0" bgcolor="{NHS_BLUE}">'
        f'<tr><td><span style="color:white; font-size:12pt">My personalised care and support'
        f' plan</span><br><span style="color:white; font-size:23pt; font-weight:bold">'
        f"{escape(plan.name)}</span></td></tr></table>"
        f'<p style="color:{NHS_DARK_GREY}; font-size:11pt; margin-top:10px">Written with you'
        f" on {_day(plan.prepared_on)}. It belongs to you: keep it, share it with people who"
        " help you, and bring it to your next appointment.</p>"
        f'<table cellpadding="2" cellspacing="0" style="margin-top:4px">{fact_rows}</table>',
        space_before=0,
    )
    parts: dict[str, list[PlanBlock]] = {}
    matters = plan.what_matters.strip() or "We have not written this down together yet."
    parts["what_matters"] = [PlanBlock(
        f'<table width="100%" cellpadding="10" cellspacing="0" bgcolor="{NHS_GREY_5}">'
        f'<tr><td style="font-size:13pt; color:{NHS_BLACK}"><i>{_text(matters)}</i>'
        "</td></tr></table>")]
    if plan.needs:
        parts["needs"] = [PlanBlock(_list([escape(n) for n in plan.needs]))]
    if plan.communication:
        parts["communication"] = [PlanBlock(_list([escape(c) for c in plan.communication]))]
    if plan.goals:
        # How to read the scores comes under the goals, as a key: kept with the heading it
        # would push the heading and the first goal onto the next page more often, leaving
        # a gap at the foot of this one.
        parts["goals"] = [*(_goal_block(g) for g in plan.goals), PlanBlock(
            f'<p style="color:{NHS_DARK_GREY}; font-size:10pt; margin:0">'
            f"{escape(GOALS_INTRO)}</p>", space_before=6)]
    if plan.actions:
        parts["agreed"] = [
            PlanBlock(f'<p style="margin:0"><b>{_day(a.on)}</b>'
                      f' <span style="color:{NHS_DARK_GREY}">({escape(a.who)})</span><br>'
                      f"{_text(a.text)}</p>", space_before=4 if i == 0 else 10)
            for i, a in enumerate(plan.actions)]
    if plan.connections:
        items = [f"{escape(c.text)} <span style=\"color:{NHS_DARK_GREY}\">"
                 f"(suggested {_day(c.on)}; {escape(c.who.lower())})</span>"
                 for c in plan.connections]
        parts["connections"] = [PlanBlock(_list(items), space_before=6)]
    if plan.next_contact:
        nxt = (f"<p style=\"font-size:13pt; margin:0\"><b>{_day(plan.next_contact)}</b> with"
               f" my {escape(plan.next_contact_with)}.</p>")
    else:
        nxt = '<p style="margin:0">We will agree the next time we speak.</p>'
    parts["next_contact"] = [PlanBlock(nxt)]
    if plan.support:
        rows = "".join(
            f'<tr><td><b>{escape(s.role)}</b></td><td>{escape(s.worker or "To be arranged")}'
            f"</td><td>{escape(s.status)}</td><td>{_day(s.since)}"
            f'{" to " + _day(s.until) if s.until else ""}</td></tr>'
            for s in plan.support
        )
        parts["support"] = [PlanBlock(
            f'<table width="100%" cellpadding="6" cellspacing="0" border="1"'
            f' style="border-color:{NHS_GREY_4}; border-style:solid">'
            f'<tr bgcolor="{NHS_GREY_5}"><th align="left" width="34%">Role</th>'
            '<th align="left" width="26%">Name</th><th align="left" width="14%">Status</th>'
            f'<th align="left" width="26%">Since</th></tr>{rows}</table>')]
    parts["contact"] = [_contact_block(plan)]
    codes = [c for s in plan.support for c in s.codes]
    if codes:
        items_html = "".join(
            f"<tr><td>{escape(c.term)}</td><td>{escape(c.code)}</td>"
            f"<td>{_day(c.on)}</td></tr>" for c in codes
        )
        parts["codes"] = [PlanBlock(
            '<table cellpadding="4" cellspacing="0" style="font-size:11pt">'
            '<tr><th align="left">What</th><th align="left">Code</th>'
            f'<th align="left">Date</th></tr>{items_html}</table>', space_before=6)]
    blocks = [opening, *arrange(parts, _section_heading, _part_heading)]
    blocks.append(PlanBlock(
        f'<p style="color:{NHS_DARK_GREY}; font-size:11pt; margin:0">If anything here'
        " is wrong or has changed, tell the person supporting you. You can ask for this plan"
        " to be reviewed at any time.</p>", space_before=24))
    return blocks


def care_plan_html(plan: CarePlan) -> str:
    """Return the whole plan as one HTML page (the blocks one after another)."""
    return (f'<html><body style="color:{NHS_BLACK}; font-size:12pt">'
            + "".join(f'<div style="margin-top:{b.space_before}px">{b.html}</div>'
                      for b in care_plan_blocks(plan))
            + "</body></html>")


MIN_SLICE = 80  # CSS pixels: a tall block starts on the current page only if this much fits


def paginate(heights: list[float], blocks: list[PlanBlock], page_height: float,
             cuts: dict[int, list[float]] | None = None,
             ) -> list[tuple[int, int, float, float, float]]:
    """Place blocks on pages; return (block, page, top, slice start, slice end) per slice.

    A block goes whole on the current page if it fits, else whole on the next page. A
    heading (keep_with_next) only stays if what follows it fits under it as well (for a
    block taller than a page: MIN_SLICE of it). Only a block taller than a page (or one
    that with its heading is taller than a page) is split: it is cut into slices at the
    points `cuts[block]` allows (between lines of text), or at the page's foot when no
    cut point fits.
    """
    cuts = cuts or {}

    def needed(k: int) -> float:
        return heights[k] if heights[k] <= page_height else MIN_SLICE

    out: list[tuple[int, int, float, float, float]] = []
    page, y = 0, 0.0
    for i, (block, height) in enumerate(zip(blocks, heights, strict=True)):
        gap = block.space_before if y > 0 else 0.0
        need, j = needed(i), i
        while blocks[j].keep_with_next and j + 1 < len(blocks):
            j += 1  # a heading brings the next block (and the next, if that is a heading too)
            need += blocks[j].space_before + needed(j)
        if y > 0 and y + gap + need > page_height:
            page, y, gap = page + 1, 0.0, 0.0
        if gap + height <= page_height - y:
            out.append((i, page, y + gap, 0.0, height))
            y += gap + height
            continue
        # Taller than a page, or a heading and its block together are: cut it into slices.
        start, top = 0.0, y + gap
        while True:
            room = page_height - top
            end = height if height - start <= room else _cut(cuts.get(i, []), start, room)
            out.append((i, page, top, start, end))
            if end >= height:
                break
            page, top, start = page + 1, 0.0, end
        y = top + end - start
    return out


def _cut(points: list[float], start: float, room: float) -> float:
    """Return the furthest allowed cut at most `room` below `start` (else a hard cut)."""
    fitting = [p for p in points if start < p <= start + room]
    return max(fitting) if fitting else start + room
