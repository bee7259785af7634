"""The personalised care and support plan: gathered from the store, written as simple HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from arrs_desktop import catalogue
from arrs_desktop.gp_codes import EpisodeCode
from arrs_desktop.validation import format_nhs_number

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


def build_care_plan(store, person_id: str, today: date | None = None) -> CarePlan:
    """Gather one person's plan from the store; raise KeyError if there is no such person."""
    today = today or date.today()
    person = store.get_person(person_id)
    if person is None or person.deleted_at:
        raise KeyError(person_id)
    needs = store.current_needs(person_id)
    episodes = store.episodes_for(person_id)
    support = tuple(
        PlanSupport(
            role=catalogue.ROLES_BY_CODE[e.role].name,
            worker=e.worker,
            status=catalogue.EPISODE_STATUSES.get(e.status, e.status),
            since=e.first_contact_date or e.referral_date,
            until=e.closure_date,
            codes=tuple(store.codes_for_episode(e.id)),
        )
        for e in episodes
    )
    goals = []
    for g in store.goals_for(person_id):
        progress = store.progress_for(g.id)
        last = progress[-1] if progress else None
        goals.append(PlanGoal(
            title=g.title, role=catalogue.ROLES_BY_CODE[g.owner_role].short_name,
            baseline=g.baseline, latest=last.score if last else None,
            latest_on=last.date if last else None, target_date=g.target_date,
            status=catalogue.GOAL_STATUSES.get(g.status, g.status), what_matters=g.what_matters,
        ))
    sessions = store.sessions_for(person_id, limit=50)
    actions = tuple(
        PlanAction(on=s.date, text=s.notes.strip(),
                   who=catalogue.ROLES_BY_CODE[s.role].short_name
                   + (f", {s.worker}" if s.worker else ""))
        for s in sessions if s.notes.strip()
    )[:4]
    connections = []
    for r in store.referrals_for(person_id)[:6]:
        asset = store.get_asset(r.asset_id)
        outcome = catalogue.REFERRAL_OUTCOMES.get(r.outcome, r.outcome)
        connections.append(PlanAction(on=r.referred_on,
                                      text=asset.name if asset else "A community group",
                                      who=outcome))
    next_contact, with_whom = None, ""
    for s in sessions:
        if s.next_follow_up is not None:
            next_contact = s.next_follow_up
            with_whom = catalogue.ROLES_BY_CODE[s.role].short_name.lower() + (
                f", {s.worker}" if s.worker else "")
            break
    return CarePlan(
        name=person.name,
        date_of_birth=person.date_of_birth,
        nhs_number=format_nhs_number(person.nhs_number),
        gp_practice=person.gp_practice,
        preferred_contact=catalogue.PREFERRED_CONTACT.get(person.preferred_contact,
                                                          person.preferred_contact),
        what_matters=person.what_matters,
        needs=tuple(catalogue.NEEDS_BY_ID[n].label for n in catalogue.NEED_IDS if n in needs),
        support=support,
        goals=tuple(goals),
        actions=actions,
        connections=tuple(connections),
        next_contact=next_contact,
        next_contact_with=with_whom,
        prepared_on=today,
    )


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _bar(score: int | None, colour: str) -> str:
    """Return a small 0-10 bar of squares with the score written beside it."""
    if score is None:
        return f'<span style="color:{NHS_DARK_GREY}">not scored yet</span>'
    return (f'<span style="color:{colour}; font-size:7pt">{"&#9632;" * score}</span>'
            f'<span style="color:{NHS_GREY_4}; font-size:7pt">{"&#9632;" * (10 - score)}'
            f"</span><br><b>{score}</b> of 10")


def _section(title: str, body: str) -> str:
    return (f'<h2 style="color:{NHS_DARK_BLUE}; font-size:14pt; margin-top:18px;'
            f' margin-bottom:6px">{escape(title)}</h2>{body}')


def care_plan_html(plan: CarePlan) -> str:
    """Return the plan as HTML that Qt's rich-text engine lays out for print."""
    facts = [("Date of birth", _day(plan.date_of_birth)), ("NHS number", plan.nhs_number),
             ("GP practice", plan.gp_practice), ("Best way to contact me",
                                                 plan.preferred_contact)]
    fact_rows = "".join(
        f'<tr><td style="color:{NHS_DARK_GREY}; padding-right:16px">{escape(k)}</td>'
        f"<td><b>{escape(v)}</b></td></tr>"
        for k, v in facts if v
    )
    parts = [
        f'<table width="100%" cellpadding="10" cellspacing="0" bgcolor="{NHS_BLUE}">'
        f'<tr><td><span style="color:white; font-size:11pt">My personalised care and support'
        f' plan</span><br><span style="color:white; font-size:22pt; font-weight:bold">'
        f"{escape(plan.name)}</span></td></tr></table>",
        f'<p style="color:{NHS_DARK_GREY}; font-size:9pt">Written with you on '
        f"{_day(plan.prepared_on)}. It belongs to you: keep it, share it with people who "
        "help you, and bring it to your next appointment.</p>",
        f'<table cellpadding="2" cellspacing="0">{fact_rows}</table>',
    ]
    matters = plan.what_matters.strip() or "We have not written this down together yet."
    parts.append(_section(
        "What matters to me",
        f'<table width="100%" cellpadding="10" cellspacing="0" bgcolor="{NHS_GREY_5}">'
        f'<tr><td style="font-size:12pt; color:{NHS_BLACK}"><i>{_text(matters)}</i>'
        "</td></tr></table>",
    ))
    if plan.needs:
        items = "".join(f"<li>{escape(n)}</li>" for n in plan.needs)
        parts.append(_section("What I would like help with", f"<ul>{items}</ul>"))
    if plan.support:
        rows = "".join(
            f'<tr><td><b>{escape(s.role)}</b></td><td>{escape(s.worker or "To be arranged")}'
            f"</td><td>{escape(s.status)}</td><td>{_day(s.since)}"
            f'{" to " + _day(s.until) if s.until else ""}</td></tr>'
            for s in plan.support
        )
        parts.append(_section(
            "Who is supporting me",
            f'<table width="100%" cellpadding="5" cellspacing="0" border="1"'
            f' style="border-color:{NHS_GREY_4}; border-style:solid">'
            f'<thead><tr bgcolor="{NHS_GREY_5}"><th align="left">Role</th>'
            '<th align="left">Name</th><th align="left">Status</th><th align="left">Since</th>'
            f"</tr></thead>{rows}</table>",
        ))
    if plan.goals:
        rows = []
        for g in plan.goals:
            colour = NHS_GREEN if g.status == "Achieved" else NHS_BLUE
            target = f"<br><small>Aiming for {_day(g.target_date)}</small>" \
                if g.target_date and g.status == "Active" else ""
            when = f"<br><small>on {_day(g.latest_on)}</small>" if g.latest_on else ""
            rows.append(
                f"<tr><td><b>{escape(g.title)}</b><br><small>with my "
                f"{escape(g.role.lower())}</small>{target}</td>"
                f"<td>{_bar(g.baseline, '#768692')}</td>"
                f"<td>{_bar(g.latest, colour)}{when}</td>"
                f"<td>{escape(g.status)}</td></tr>"
            )
        parts.append(_section(
            "My goals",
            f'<p style="color:{NHS_DARK_GREY}">Scores are out of 10, where 10 means the goal'
            " feels fully reached. The first score is where I started.</p>"
            f'<table width="100%" cellpadding="6" cellspacing="0" border="1"'
            f' style="border-color:{NHS_GREY_4}; border-style:solid">'
            f'<thead><tr bgcolor="{NHS_GREY_5}"><th align="left" width="36%">Goal</th>'
            '<th align="left" width="24%">Where I started</th>'
            '<th align="left" width="24%">Where I am now</th>'
            f'<th align="left" width="16%">Status</th></tr></thead>{"".join(rows)}</table>',
        ))
    if plan.actions or plan.connections:
        body = ""
        if plan.actions:
            body += "".join(
                f'<p style="margin-bottom:6px"><b>{_day(a.on)}</b>'
                f' <span style="color:{NHS_DARK_GREY}">({escape(a.who)})</span><br>'
                f"{_text(a.text)}</p>"
                for a in plan.actions
            )
        if plan.connections:
            items = "".join(
                f"<li>{escape(c.text)} <span style=\"color:{NHS_DARK_GREY}\">"
                f"(suggested {_day(c.on)}; {escape(c.who.lower())})</span></li>"
                for c in plan.connections
            )
            body += f"<p><b>Groups and services we talked about</b></p><ul>{items}</ul>"
        parts.append(_section("What we agreed", body))
    if plan.next_contact:
        nxt = (f"<p style=\"font-size:12pt\"><b>{_day(plan.next_contact)}</b> with my "
               f"{escape(plan.next_contact_with)}.</p>")
    else:
        nxt = "<p>We will agree the next time we speak.</p>"
    parts.append(_section("When we will next be in touch", nxt))
    codes = [(s, c) for s in plan.support for c in s.codes]
    if codes:
        items = "".join(
            f"<tr><td>{escape(c.term)}</td><td>{escape(c.code)}</td>"
            f"<td>{_day(c.on)}</td></tr>" for _s, c in codes
        )
        parts.append(_section(
            "For my GP record",
            f'<p style="color:{NHS_DARK_GREY}; font-size:9pt">Codes my practice records so'
            " my GP knows about this support.</p>"
            f'<table cellpadding="4" cellspacing="0" style="font-size:9pt">'
            '<thead><tr><th align="left">What</th><th align="left">Code</th>'
            f'<th align="left">Date</th></tr></thead>{items}</table>',
        ))
    parts.append(
        f'<p style="color:{NHS_DARK_GREY}; font-size:9pt; margin-top:24px">If anything here'
        " is wrong or has changed, tell the person supporting you. You can ask for this plan"
        " to be reviewed at any time.</p>"
    )
    return (f'<html><body style="color:{NHS_BLACK}; font-size:11pt">'
            + "".join(parts) + "</body></html>")
