"""A referral in, to the PRSB model "Referral to social prescribing services", and the
person's safety alerts.

A referral says who referred (name, role, organisation, a phone or email to reach them),
why, how urgently, what matters to the person in their own words, and whether the person
consents to share information about their support with their GP (and the referrer). Safety
alerts belong to the person, not to one episode: a risk to a lone worker, a safeguarding
concern, or a communication need (an interpreter, hearing loss, sight loss, speech or
language, or another need), each with free-text detail. They are shown wherever the person
appears and on every document meant for staff. Only a communication need the person agrees
to may be printed on their own care and support plan; a lone-worker risk or a
safeguarding concern never is (the plan is theirs to keep and share).

`clean_referral` and `clean_alert` return the trimmed record or raise ValidationError with a
plain message per field, as the store's own checks do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Episode
from arrs_desktop.domain.validation import LONG_TEXT_MAX, NAME_MAX, ValidationError, clean_email
from arrs_desktop.settings import practice_phone_error
from arrs_desktop.standards.text import plain_text_problem

URGENCIES: dict[str, str] = {
    "routine": "Routine",
    "urgent": "Urgent",
}

LONE_WORKER = "lone_worker"
SAFEGUARDING = "safeguarding"
ALERT_KINDS: dict[str, str] = {
    LONE_WORKER: "Risk to a lone worker",
    SAFEGUARDING: "Safeguarding concern",
    "interpreter": "Needs an interpreter",
    "hearing": "Hearing loss",
    "sight": "Sight loss",
    "speech": "Speech or language needs",
    "other_communication": "Other communication need",
}
COMMUNICATION_KINDS: frozenset[str] = frozenset(
    {"interpreter", "hearing", "sight", "speech", "other_communication"})
# Kinds whose detail must say something: which language, or what the need is.
DETAIL_REQUIRED: dict[str, str] = {
    "interpreter": "say which language (and whether British Sign Language)",
    "other_communication": "say what the need is and what helps",
    LONE_WORKER: "say what the risk is and what to do (for example: visit in pairs)",
}
DETAIL_MAX = 1000
ROLE_MAX = 120


@dataclass(frozen=True)
class SafetyAlert:
    """Something every member of staff must know before contacting or visiting a person."""

    kind: str
    detail: str = ""
    raised_on: date | None = None
    raised_by: str = ""
    show_on_plan: bool = False  # a communication need the person agrees to print on their plan
    ended_on: date | None = None  # the day it stopped applying (kept for the record)
    id: str | None = None

    @property
    def label(self) -> str:
        """Return the kind of alert in plain words."""
        return ALERT_KINDS.get(self.kind, self.kind)

    @property
    def is_communication(self) -> bool:
        """Return True for a communication need."""
        return self.kind in COMMUNICATION_KINDS

    def active_on(self, day: date) -> bool:
        """Return True while the alert applies."""
        return self.ended_on is None or self.ended_on > day

    @property
    def text(self) -> str:
        """Return the alert as one line: its kind, then its detail."""
        return f"{self.label}: {self.detail}" if self.detail else self.label


def alert_problems(alert: SafetyAlert, today: date | None = None) -> dict[str, str]:
    """Return field -> why it is wrong, for one alert (an empty dict when it is right)."""
    today = today or date.today()
    out: dict[str, str] = {}
    if alert.kind not in ALERT_KINDS:
        out["kind"] = f"must be one of: {', '.join(ALERT_KINDS)}"
    detail = alert.detail.strip() if isinstance(alert.detail, str) else None
    if detail is None:
        out["detail"] = "must be text"
    else:
        problem = plain_text_problem(detail, max_len=DETAIL_MAX, multiline=True)
        if problem:
            out["detail"] = problem
        elif not detail and alert.kind in DETAIL_REQUIRED:
            out["detail"] = f"is required: {DETAIL_REQUIRED[alert.kind]}"
    if alert.show_on_plan and alert.kind not in COMMUNICATION_KINDS:
        out["show_on_plan"] = ("only a communication need is printed on the person's own "
                               "plan; a risk or safeguarding concern never is")
    if alert.raised_on is not None and alert.raised_on > today:
        out["raised_on"] = "cannot be in the future"
    if alert.ended_on is not None:
        if alert.ended_on > today:
            out["ended_on"] = "cannot be in the future"
        elif alert.raised_on is not None and alert.ended_on < alert.raised_on:
            out["ended_on"] = "cannot be before the day it was raised"
    raised_by = alert.raised_by.strip()
    problem = plain_text_problem(raised_by, max_len=NAME_MAX)
    if problem:
        out["raised_by"] = problem
    return out


def clean_alert(alert: SafetyAlert, today: date | None = None) -> SafetyAlert:
    """Return the alert with its text trimmed; raise ValidationError naming wrong fields."""
    problems = alert_problems(alert, today)
    if problems:
        raise ValidationError(problems)
    return replace(alert, detail=alert.detail.strip(), raised_by=alert.raised_by.strip())


def alerts_for_staff(alerts: Iterable[SafetyAlert], day: date) -> tuple[SafetyAlert, ...]:
    """Return the alerts that apply on a day, risks first, for any document meant for staff."""
    order = {kind: i for i, kind in enumerate(ALERT_KINDS)}
    return tuple(sorted((a for a in alerts if a.active_on(day)),
                        key=lambda a: (order.get(a.kind, 99), a.raised_on or date.min)))


def alerts_for_plan(alerts: Iterable[SafetyAlert], day: date) -> tuple[SafetyAlert, ...]:
    """Return the communication needs the person agreed to print on their own plan."""
    return tuple(a for a in alerts_for_staff(alerts, day)
                 if a.is_communication and a.show_on_plan)


@dataclass(frozen=True)
class Referrer:
    """Who referred the person, and how to reach them with the message back."""

    name: str = ""
    role: str = ""  # "GP", "Practice nurse", "Housing officer"...
    organisation: str = ""
    phone: str = ""
    email: str = ""

    @property
    def contact(self) -> str:
        """Return the ways to reach the referrer, as one line."""
        return " · ".join(p for p in (self.phone, self.email) if p)


@dataclass(frozen=True)
class Referral:
    """A referral in, as the standard's referral model has it."""

    role: str  # the role referred to: splw, cc or hwbc
    received_on: date
    source: str  # catalogue.REFERRAL_SOURCES
    reason: str
    referrer: Referrer = Referrer()
    urgency: str = "routine"
    what_matters: str = ""  # the person's own words, if the referrer wrote them down
    consent_to_share: bool | None = None  # None: not asked yet (a referral needs an answer)
    alerts: tuple[SafetyAlert, ...] = ()

    @property
    def self_referral(self) -> bool:
        """Return True when the person referred themselves (there is no referrer)."""
        return self.source == "self"


def referral_problems(referral: Referral, today: date | None = None) -> dict[str, str]:
    """Return field -> why it is wrong (an empty dict when the referral is right).

    Fields are named as the form shows them: `referrer.name`, `reason`, `alerts[1].detail`.
    """
    today = today or date.today()
    out: dict[str, str] = {}
    if referral.role not in catalogue.ROLE_CODES:
        out["role"] = f"must be one of: {', '.join(catalogue.ROLE_CODES)}"
    if not isinstance(referral.received_on, date):
        out["received_on"] = "is required (the day the referral came in)"
    elif referral.received_on > today:
        out["received_on"] = "cannot be in the future"
    elif referral.received_on < date(1900, 1, 1):
        out["received_on"] = "cannot be before 1900-01-01"
    if referral.source not in catalogue.REFERRAL_SOURCES:
        out["source"] = f"must be one of: {', '.join(catalogue.REFERRAL_SOURCES)}"
    reason = referral.reason.strip()
    problem = plain_text_problem(reason, max_len=LONG_TEXT_MAX, multiline=True)
    if problem:
        out["reason"] = problem
    elif not reason:
        out["reason"] = "is required: say why the person is referred"
    if referral.urgency not in URGENCIES:
        out["urgency"] = f"must be one of: {', '.join(URGENCIES)}"
    problem = plain_text_problem(referral.what_matters.strip(), max_len=LONG_TEXT_MAX,
                                 multiline=True)
    if problem:
        out["what_matters"] = problem
    if referral.consent_to_share is None:
        out["consent_to_share"] = ("is required: ask the person whether they agree to share "
                                   "what happens with their GP and the referrer")
    out.update(_referrer_problems(referral))
    for n, alert in enumerate(referral.alerts, start=1):
        for field, message in alert_problems(alert, today).items():
            out[f"alerts[{n}].{field}"] = message
    return out


def _referrer_problems(referral: Referral) -> dict[str, str]:
    r = referral.referrer
    out: dict[str, str] = {}
    for field, value, limit in (("name", r.name, NAME_MAX), ("role", r.role, ROLE_MAX),
                                ("organisation", r.organisation, NAME_MAX)):
        text = value.strip()
        problem = plain_text_problem(text, max_len=limit)
        if problem:
            out[f"referrer.{field}"] = problem
        elif not text and not referral.self_referral:
            out[f"referrer.{field}"] = "is required (who referred the person)"
    phone_problem = practice_phone_error(r.phone)
    if phone_problem:
        out["referrer.phone"] = phone_problem
    try:
        clean_email(r.email)
    except ValueError as exc:
        out["referrer.email"] = str(exc)
    if (not referral.self_referral and not r.phone.strip() and not r.email.strip()
            and "referrer.phone" not in out and "referrer.email" not in out):
        out["referrer.phone"] = ("give a phone number or an email, so the message back "
                                 "reaches the referrer")
    return out


def clean_referral(referral: Referral, today: date | None = None) -> Referral:
    """Return the referral with its text trimmed; raise ValidationError naming wrong fields."""
    problems = referral_problems(referral, today)
    if problems:
        raise ValidationError(problems)
    r = referral.referrer
    referrer = Referrer(name=r.name.strip(), role=r.role.strip(),
                        organisation=r.organisation.strip(), phone=r.phone.strip(),
                        email=r.email.strip())
    return replace(referral, reason=referral.reason.strip(), referrer=referrer,
                   what_matters=referral.what_matters.strip(),
                   alerts=tuple(clean_alert(a, today) for a in referral.alerts))


def episode_from_referral(referral: Referral, person_id: str, worker: str = "") -> Episode:
    """Return the episode a checked referral opens (its date, source, reason and consent)."""
    return Episode(person_id=person_id, role=referral.role, referral_date=referral.received_on,
                   referral_source=referral.source, referral_reason=referral.reason,
                   worker=worker, share_with_gp=bool(referral.consent_to_share))
