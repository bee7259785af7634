"""The message back to the GP and referrer, as the PRSB social prescribing standard's
"Message back to GP and referrer" model has it.

A message is written for one episode on one of three occasions: at first contact, at any
point the worker chooses (an update), and at closure. It carries the standard's items:
the person's identifiers, what matters to them, their needs and concerns, the support
offered and the activities they were referred to (with what came of each), their outcome
measures first to latest, the codes to record in the GP system, and the worker, role and
date; and, for staff, the person's safety alerts.

With "share with GP" off, the message carries only what the person's consent allows: the
codes to record and the episode's dates, with the identifiers the practice needs to put
them on the right record (name, date of birth, NHS number) and who sent it. It goes to the
practice only, not the referrer, and says why it holds nothing more.

`build_gp_message` gives structured sections; `gp_message_text` renders them as plain text
to paste into the GP record, and `gp_message_blocks` as HTML blocks in the care plan's
style, which the PDF printer lays out page by page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.validation import ValidationError, format_nhs_number
from arrs_desktop.reports.care_plan import (
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_GREY_4,
    NHS_GREY_5,
    PlanBlock,
)
from arrs_desktop.standards.codes import SHIPPED_CODE_LIST, CodeDue, CodeListEntry
from arrs_desktop.standards.measures import HIGHER_WORSE, ONS4, FirstLatest, MeasureDefinition
from arrs_desktop.standards.records import EpisodeRecords
from arrs_desktop.standards.referral import URGENCIES, alerts_for_staff

FIRST_CONTACT = "first_contact"
UPDATE = "update"
CLOSURE = "closure"
OCCASIONS: dict[str, str] = {
    FIRST_CONTACT: "First contact",
    UPDATE: "Update",
    CLOSURE: "Closure",
}
STANDARD = "PRSB Social Prescribing Information Standard: message back to GP and referrer"
NHS_RED = "#DA291C"

# What a message holds without consent: who it is about, the dates, the codes, who sent it.
WITHOUT_CONSENT: tuple[str, ...] = ("to", "person", "consent", "episode", "codes", "sender")


@dataclass(frozen=True)
class Sender:
    """Who writes the message: the worker, their role, and where to reach them."""

    worker: str
    role: str  # role code: splw, cc or hwbc
    organisation: str = ""  # the PCN or practice (from the settings)
    phone: str = ""
    email: str = ""

    @property
    def role_name(self) -> str:
        """Return the role in words."""
        role = catalogue.ROLES_BY_CODE.get(self.role)
        return role.name if role else self.role


@dataclass(frozen=True)
class MessageSection:
    """One section of a message: labelled fields, a list, a table and/or a paragraph."""

    key: str
    title: str
    fields: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class GpMessage:
    """A message back to the GP and referrer for one episode, on one occasion."""

    occasion: str
    title: str
    written_on: date
    consent: bool
    episode_id: str
    person_name: str
    sections: tuple[MessageSection, ...]
    codes: tuple[CodeDue, ...] = ()

    def section(self, key: str) -> MessageSection | None:
        """Return a section by key, or None when the message does not have it."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the keys of the sections, in order."""
        return tuple(s.key for s in self.sections)


def day_text(value: date | None) -> str:
    """Return a day as a GP record writes it: '12 Jan 2026'."""
    return f"{value.day} {value:%b %Y}" if value else ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _number(value)


def message_problems(records: EpisodeRecords, occasion: str,
                     written_on: date) -> dict[str, str]:
    """Return field -> why a message cannot be written now (an empty dict when it can)."""
    e = records.episode
    out: dict[str, str] = {}
    if occasion not in OCCASIONS:
        out["occasion"] = f"must be one of: {', '.join(OCCASIONS)}"
    elif occasion == FIRST_CONTACT and (e.first_contact_date is None
                                        or e.first_contact_date > written_on):
        out["occasion"] = "the episode has had no first contact yet"
    elif occasion == CLOSURE and (e.status not in ("closed", "declined")
                                  or e.closure_date is None or e.closure_date > written_on):
        out["occasion"] = "the episode is not closed yet"
    if written_on < e.referral_date:
        out["written_on"] = "cannot be before the referral date"
    return out


def build_gp_message(records: EpisodeRecords, occasion: str, sender: Sender,
                     written_on: date, *,
                     code_list: Iterable[CodeListEntry] = SHIPPED_CODE_LIST,
                     definitions: Sequence[MeasureDefinition] = (ONS4,),
                     note: str = "") -> GpMessage:
    """Return the message for an episode on an occasion, as known on `written_on`.

    `code_list` is the codes to choose from (the shipped ones and the PCN's), `definitions`
    the measures to report (ONS4 and the PCN's), `note` the worker's own words for this
    message. Raise ValidationError when the occasion does not fit the episode yet.
    """
    problems = message_problems(records, occasion, written_on)
    if problems:
        raise ValidationError(problems)
    e, p = records.episode, records.person
    consent = records.shares_with_gp
    role = catalogue.ROLES_BY_CODE[e.role].name if e.role in catalogue.ROLES_BY_CODE else e.role
    codes = tuple(c for c in records.codes_due(code_list) if c.on <= written_on)
    sections: list[MessageSection] = []

    recipients = [("GP", f"The GP at {p.gp_practice}" if p.gp_practice else "The GP")]
    referral = records.referral
    if consent and referral is not None and not referral.self_referral:
        r = referral.referrer
        who = ", ".join(x for x in (r.name, r.role, r.organisation) if x)
        if who:
            recipients.append(("Referrer", who))
    sections.append(MessageSection("to", "To", tuple(recipients)))

    identifiers = [("Name", p.name), ("Date of birth", day_text(p.date_of_birth)),
                   ("NHS number", format_nhs_number(p.nhs_number) or "Not recorded")]
    if consent:
        address = ", ".join(line.strip() for line in p.address.splitlines() if line.strip())
        address = ", ".join(x for x in (address, p.postcode) if x)
        identifiers += [("Address", address), ("GP practice", p.gp_practice)]
    sections.append(MessageSection("person", "About the person",
                                   tuple((k, v) for k, v in identifiers if v)))

    if not consent:
        sections.append(MessageSection(
            "consent", "Consent",
            text="The person has not agreed to share the details of their support with "
                 "their GP. This message carries only the codes to record and the dates of "
                 "the episode."))
    else:
        alerts = alerts_for_staff(records.alerts, written_on)
        if alerts:
            sections.append(MessageSection("safety", "Safety alerts for staff",
                                           items=tuple(a.text for a in alerts)))

    dates = [("Role", role), ("Worker", e.worker or "Not yet allocated"),
             ("Referred on", day_text(e.referral_date))]
    if e.first_contact_date and e.first_contact_date <= written_on:
        dates.append(("First contact", day_text(e.first_contact_date)))
    if e.closure_date and e.closure_date <= written_on:
        label = "Declined on" if e.status == "declined" else "Closed on"
        dates.append((label, day_text(e.closure_date)))
    if consent:
        status = catalogue.EPISODE_STATUSES.get(e.status, e.status)
        if e.closure_date and e.closure_date > written_on:
            status = "Active"  # what was true on the day written
        dates.append(("Status", status))
        if e.closure_reason and e.closure_date and e.closure_date <= written_on:
            dates.append(("Reason for closure",
                          catalogue.CLOSURE_REASONS.get(e.closure_reason, e.closure_reason)))
    sections.append(MessageSection("episode", "The episode", tuple(dates)))

    if codes:
        sections.append(MessageSection(
            "codes", "Codes to record in the GP record",
            columns=("SNOMED CT code", "Term", "Date", "Records"),
            rows=tuple((c.sctid, c.term, day_text(c.on), c.why.lower()) for c in codes)))
    else:
        sections.append(MessageSection("codes", "Codes to record in the GP record",
                                       text="No codes to record yet."))

    if consent:
        sections += _shared_sections(records, written_on, definitions, note)

    contact = " · ".join(x for x in (sender.phone, sender.email) if x)
    sections.append(MessageSection("sender", "From", tuple((k, v) for k, v in (
        ("Worker", sender.worker), ("Role", sender.role_name),
        ("Organisation", sender.organisation), ("Contact", contact),
        ("Date", day_text(written_on))) if v)))

    title = f"Message to the GP and referrer: {OCCASIONS[occasion].lower()}"
    if not consent:
        title = f"Message to the GP: {OCCASIONS[occasion].lower()}"
    return GpMessage(occasion, title, written_on, consent, e.id or "", p.name,
                     tuple(s for s in sections if consent or s.key in WITHOUT_CONSENT), codes)


def _shared_sections(records: EpisodeRecords, day: date,
                     definitions: Sequence[MeasureDefinition],
                     note: str) -> list[MessageSection]:
    """Return the sections only a consenting person's message carries."""
    e, p = records.episode, records.person
    out: list[MessageSection] = []
    referral = records.referral
    fields = [("Reason", e.referral_reason.strip()),
              ("Source", catalogue.REFERRAL_SOURCES.get(e.referral_source, e.referral_source))]
    if referral is not None:
        r = referral.referrer
        if not referral.self_referral:
            fields.append(("Referred by", ", ".join(x for x in (r.name, r.role,
                                                                 r.organisation) if x)))
        fields.append(("Urgency", URGENCIES.get(referral.urgency, referral.urgency)))
    out.append(MessageSection("referral", "Referral", tuple((k, v) for k, v in fields if v)))

    matters = p.what_matters.strip() or (referral.what_matters.strip() if referral else "")
    out.append(MessageSection("what_matters", "What matters to the person",
                              text=matters or "Not written down yet."))

    needs = tuple(f"{catalogue.NEEDS_BY_ID[n].label}: {catalogue.NEEDS_BY_ID[n].meaning}"
                  if n in catalogue.NEEDS_BY_ID else n for n in records.need_ids())
    out.append(MessageSection("needs", "Needs and concerns", items=needs,
                              text="" if needs else "None recorded."))

    contacts = records.contacts(day)
    minutes = sum(s.minutes for s in contacts)
    support = [("Contacts", f"{len(contacts)} ({minutes} minutes)")]
    missed = records.missed(day)
    if missed:
        support.append(("Missed contacts", str(missed)))
    goal_rows = []
    for g in sorted(records.goals, key=lambda g: (g.set_date or date.min, g.title)):
        if g.set_date is not None and g.set_date > day:
            continue
        progress = records.goal_progress(g, day)
        latest = f"{progress[-1].score} of 10 ({day_text(progress[-1].date)})" if progress \
            else "Not scored yet"
        achieved = g.status == "achieved" and (g.achieved_date is None
                                               or g.achieved_date <= day)
        status = "Achieved" if achieved else catalogue.GOAL_STATUSES.get(
            "active" if g.status == "achieved" else g.status, g.status)
        goal_rows.append((g.title, f"{g.baseline} of 10", latest, status))
    out.append(MessageSection("support", "Support offered", tuple(support),
                              columns=("Goal", "Started at", "Latest", "Status")
                              if goal_rows else (), rows=tuple(goal_rows)))

    activity_rows = []
    for a in sorted(records.activities, key=lambda a: (a.referred_on, a.id or "")):
        if a.referred_on > day:
            continue
        outcome = a.outcome if a.outcome_date is None or a.outcome_date <= day else "pending"
        activity_rows.append((records.asset_name(a.asset_id), day_text(a.referred_on),
                              catalogue.REFERRAL_OUTCOMES.get(outcome, outcome)))
    out.append(MessageSection("activities", "Activities referred to",
                              columns=("Activity", "Referred on", "Outcome")
                              if activity_rows else (), rows=tuple(activity_rows),
                              text="" if activity_rows else "None yet."))

    measure_rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for definition, rows in records.first_to_latest(definitions, day):
        measure_rows += [_measure_row(definition, fl) for fl in rows]
        worse = [fl.label for fl in rows if fl.direction == HIGHER_WORSE]
        line = f"{definition.name}:"
        if worse:
            line += f" for {', '.join(worse).lower()} lower is better."
        if not definition.has_total:
            line += " The items are never totalled."
        notes.append(f"{line} {definition.licence}")
    out.append(MessageSection("measures", "Outcome measures, first to latest",
                              columns=("Measure", "Item", "First", "Latest", "Change")
                              if measure_rows else (), rows=tuple(measure_rows),
                              text="" if measure_rows else "None recorded.",
                              note=" ".join(notes)))

    if note.strip():
        out.append(MessageSection("note", "From the worker", text=note.strip()))
    return out


def _measure_row(definition: MeasureDefinition, fl: FirstLatest) -> tuple[str, ...]:
    first = f"{_number(fl.first)} ({day_text(fl.first_on)})"
    if fl.scores < 2:
        return (definition.name, fl.label, first, "Only one score so far", "")
    latest = f"{_number(fl.latest)} ({day_text(fl.latest_on)})"
    change = _signed(fl.change) + ("" if fl.reading == "no change" else f", {fl.reading}")
    return (definition.name, fl.label, first, latest, change)


# --- plain text, to paste into the GP record -------------------------------------------------

def gp_message_text(message: GpMessage) -> str:
    """Return the message as plain text to paste into the GP record."""
    lines = [message.title.upper(), ""]
    for section in message.sections:
        lines.append(section.title)
        for label, value in section.fields:
            lines.append(f"  {label}: {' '.join(value.split())}")
        for item in section.items:
            lines.append(f"  - {' '.join(item.split())}")
        if section.rows:
            for row in section.rows:
                cells = [f"{c}: {v}" for c, v in zip(section.columns, row, strict=True) if v]
                lines.append(f"  - {'; '.join(cells)}")
        if section.text:
            lines += [f"  {line}" if line.strip() else "" for line in
                      section.text.splitlines()]
        if section.note:
            lines.append(f"  ({' '.join(section.note.split())})")
        lines.append("")
    lines.append(STANDARD)
    return "\n".join(lines).rstrip() + "\n"


# --- HTML blocks, for the PDF printer ----------------------------------------------------------

def _heading(title: str) -> PlanBlock:
    return PlanBlock(f'<p style="color:{NHS_DARK_BLUE}; font-size:14pt; font-weight:bold;'
                     f' margin:0">{escape(title)}</p>', keep_with_next=True, space_before=16)


def _fields_html(fields: Sequence[tuple[str, str]]) -> str:
    rows = "".join(
        f'<tr><td width="30%" style="color:{NHS_DARK_GREY}; padding-right:12px">'
        f"{escape(k)}</td><td>{escape(v).replace(chr(10), '<br>')}</td></tr>"
        for k, v in fields)
    return f'<table width="100%" cellpadding="3" cellspacing="0">{rows}</table>'


def _table_html(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th align="left">{escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    return (f'<table width="100%" cellpadding="5" cellspacing="0" border="1"'
            f' style="border-color:{NHS_GREY_4}; border-style:solid; font-size:11pt">'
            f'<tr bgcolor="{NHS_GREY_5}">{head}</tr>{body}</table>')


def _list_html(items: Sequence[str]) -> str:
    return "".join(
        f'<table cellpadding="0" cellspacing="0" style="margin-top:{0 if i == 0 else 4}px">'
        f'<tr><td width="20" style="color:{NHS_BLUE}">&#9679;</td><td>{escape(item)}</td>'
        "</tr></table>" for i, item in enumerate(items))


def gp_message_blocks(message: GpMessage) -> list[PlanBlock]:
    """Return the message as blocks of HTML for Qt's rich-text engine, in reading order."""
    blocks = [PlanBlock(
        f'<table width="100%" cellpadding="12" cellspacing="0" bgcolor="{NHS_BLUE}">'
        f'<tr><td><span style="color:white; font-size:12pt">{escape(message.title)}</span>'
        f'<br><span style="color:white; font-size:20pt; font-weight:bold">'
        f"{escape(message.person_name)}</span><br>"
        f'<span style="color:white; font-size:11pt">Written {day_text(message.written_on)}'
        "</span></td></tr></table>", space_before=0)]
    for section in message.sections:
        if section.key == "safety":
            blocks.append(PlanBlock(
                f'<table width="100%" cellpadding="10" cellspacing="0" border="2"'
                f' style="border-color:{NHS_RED}; border-style:solid"><tr><td>'
                f'<p style="color:{NHS_RED}; font-weight:bold; margin:0">'
                f"&#9888; {escape(section.title)}</p>{_list_html(section.items)}"
                "</td></tr></table>", space_before=14))
            continue
        parts = []
        if section.fields:
            parts.append(_fields_html(section.fields))
        if section.items:
            parts.append(_list_html(section.items))
        if section.rows:
            parts.append(_table_html(section.columns, section.rows))
        if section.text:
            parts.append(f'<p style="margin:0">{escape(section.text).replace(chr(10), "<br>")}'
                         "</p>")
        if section.note:
            parts.append(f'<p style="color:{NHS_DARK_GREY}; font-size:10pt; margin-top:6px;'
                         f' margin-bottom:0">{escape(section.note)}</p>')
        blocks += [_heading(section.title), PlanBlock("".join(parts), space_before=6)]
    blocks.append(PlanBlock(f'<p style="color:{NHS_DARK_GREY}; font-size:10pt; margin:0">'
                            f"{escape(STANDARD)}.</p>", space_before=20))
    return blocks


def gp_message_html(message: GpMessage) -> str:
    """Return the whole message as one HTML page (the blocks one after another)."""
    return ('<html><body style="font-size:12pt">'
            + "".join(f'<div style="margin-top:{b.space_before}px">{b.html}</div>'
                      for b in gp_message_blocks(message))
            + "</body></html>")
