"""Plain words for the audit trail: field names, codes and dates as a care worker reads them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from arrs_desktop.domain import catalogue

# Columns that say nothing to a reader of a person's history.
_SKIP = {"id", "created_at", "updated_at", "device_id", "person_id", "search_name",
         "suggestion", "suggestion_json", "lead_role", "episode_status", "lead_worker",
         "added_at", "added_by", "removed_by"}  # the When and Who columns say these

FIELD_LABELS: dict[str, str] = {
    "name": "Name", "nhs_number": "NHS number", "date_of_birth": "Date of birth",
    "gender": "Gender", "ethnicity": "Ethnicity", "address": "Address", "postcode": "Postcode",
    "phone": "Phone", "email": "Email", "preferred_contact": "Best way to contact",
    "gp_practice": "GP practice", "what_matters": "What matters to me",
    "deleted_at": "Removed from the caseload",
    "need_id": "Need", "added_at": "Ticked", "added_by": "Ticked by",
    "removed_at": "Unticked", "removed_by": "Unticked by",
    "role": "Role", "worker": "Worker", "status": "Status",
    "referral_date": "Referral date", "referral_source": "Referred by",
    "referral_reason": "Reason for referral", "suggested_role": "Suggested role",
    "followed_suggestion": "Followed the suggestion",
    "first_contact_date": "First contact", "closure_date": "Closed on",
    "closure_reason": "Closure reason", "share_with_gp": "Share with GP",
    "title": "Goal", "owner_role": "Owner", "baseline": "Starting score",
    "target_date": "Target date", "set_date": "Agreed on", "achieved_date": "Achieved on",
    "swemwbs_raw": "SWEMWBS score", "category": "Category", "contact": "Contact",
    "practice": "Practice", "clinical_lead": "Clinical lead", "lead_worker": "Lead worker",
    "date": "Date", "score": "Score", "note": "Note", "notes": "Notes",
    "kind": "Kind", "mode": "How", "minutes": "Minutes", "next_follow_up": "Next follow-up",
    "outcome": "Outcome", "outcome_date": "Outcome date", "referred_on": "Referred on",
    "actions": "Actions", "next_due": "Next contact due", "reason": "Reason",
    "referrer_name": "Referrer", "referrer_role": "Referrer's role",
    "referrer_organisation": "Referrer's organisation", "referrer_phone": "Referrer's phone",
    "referrer_email": "Referrer's email", "urgency": "Urgency",
    "consent_to_share": "Agreed to share", "detail": "Detail", "raised_on": "Recorded on",
    "raised_by": "Recorded by", "show_on_plan": "On their care plan", "ended_on": "Ended on",
    "measure_code": "Measure", "item_id": "Item", "fingerprint": "Definition",
    "occasion": "Occasion", "written_on": "Letter date", "written_by": "Written by",
    "written_by_role": "Writer's role", "consent": "Full letter (consent)",
    "text": "Letter",
}
FIELD_LABELS.update({f"ons4_{k}": v for k, v in catalogue.ONS4_ITEMS.items()})

_ROLE_NAMES = {r.code: r.short_name for r in catalogue.ROLES}
_CODES_BY_FIELD: dict[str, dict[str, str]] = {
    "role": _ROLE_NAMES, "owner_role": _ROLE_NAMES, "suggested_role": _ROLE_NAMES,
    "referral_source": catalogue.REFERRAL_SOURCES,
    "closure_reason": catalogue.CLOSURE_REASONS, "mode": catalogue.SESSION_MODES,
    "outcome": catalogue.REFERRAL_OUTCOMES, "gender": catalogue.GENDERS,
    "preferred_contact": catalogue.PREFERRED_CONTACT,
    "category": catalogue.ASSET_CATEGORIES,
    "need_id": {n.id: n.label for n in catalogue.NEEDS},
}
_CODES_BY_TABLE_FIELD: dict[tuple[str, str], dict[str, str]] = {
    ("episodes", "status"): catalogue.EPISODE_STATUSES,
    ("goals", "status"): catalogue.GOAL_STATUSES,
    ("sessions", "kind"): catalogue.SESSION_KINDS,
    ("care_home_contacts", "kind"): catalogue.CARE_HOME_CONTACT_KINDS,
    ("safety_alerts", "kind"): {
        "lone_worker": "Risk to a lone worker", "safeguarding": "Safeguarding concern",
        "interpreter": "Needs an interpreter", "hearing": "Hearing loss",
        "sight": "Sight loss", "speech": "Speech or language needs",
        "other_communication": "Other communication need"},
    ("referrals", "urgency"): {"routine": "Routine", "urgent": "Urgent"},
    ("gp_messages", "occasion"): {"first_contact": "First contact", "update": "Update",
                                  "closure": "Closure"},
}
_YES_NO = {"followed_suggestion", "share_with_gp", "active", "consent_to_share",
           "show_on_plan", "consent"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
MAX_VALUE = 60
MAX_PARTS = 8


def show_date(day: date | None) -> str:
    """A date as the window shows it everywhere: 07 Oct 2026."""
    return f"{day:%d %b %Y}" if day else ""


def show_stamp(stamp: str) -> str:
    """A stored ISO time as local day and time (07 Oct 2026 14:05); odd text as it is."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except (TypeError, ValueError):
        return str(stamp)


def field_label(name: str) -> str:
    """The plain name of a stored column."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def show_value(table: str, name: str, value: object, *, limit: int | None = MAX_VALUE) -> str:
    """A stored value in plain words: codes as labels, dates as dates, flags as yes or no."""
    if value is None or value == "":
        return "—"
    if name in _YES_NO and value in (0, 1, True, False):
        return "Yes" if value else "No"
    codes = _CODES_BY_TABLE_FIELD.get((table, name)) or _CODES_BY_FIELD.get(name)
    if codes is not None and isinstance(value, str) and value in codes:
        return codes[value]
    text = str(value)
    if _DAY.match(text):
        try:
            return show_date(date.fromisoformat(text))
        except ValueError:
            pass
    elif _STAMP.match(text):
        text = show_stamp(text)
    text = " ".join(text.split()) or "—"
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def change_parts(table: str, action: str, before: Mapping[str, Any] | None,
                 after: Mapping[str, Any] | None, *,
                 limit: int | None = MAX_VALUE) -> list[str]:
    """Each field an audit line touched, in words: 'Status: Referred → Active'."""
    before, after = before or {}, after or {}
    if action == "erase":
        return [f"Erased for good. Reason: {after.get('reason', '')}"]
    if table == "care_home_contact_residents":
        return ["Discussed at a care-home contact" if action == "create"
                else "No longer listed as discussed at a care-home contact"]
    fields = [k for k in (after or before) if k not in _SKIP
              and not (k.endswith("_id") and k not in _CODES_BY_FIELD)]
    if action == "create":
        return [f"{field_label(k)}: {show_value(table, k, after.get(k), limit=limit)}"
                for k in fields if after.get(k) not in (None, "")]
    return [f"{field_label(k)}: {show_value(table, k, before.get(k), limit=limit)} → "
            f"{show_value(table, k, after.get(k), limit=limit)}" for k in fields]


def describe_change(table: str, action: str, before: Mapping[str, Any] | None,
                    after: Mapping[str, Any] | None) -> str:
    """One line saying what an audit line changed (at most eight fields)."""
    parts = change_parts(table, action, before, after)
    return "; ".join(parts[:MAX_PARTS]) + ("; …" if len(parts) > MAX_PARTS else "")


def describe_change_in_full(table: str, action: str, before: Mapping[str, Any] | None,
                            after: Mapping[str, Any] | None) -> str:
    """Every field an audit line touched, one per line, nothing cut short."""
    return "\n".join(change_parts(table, action, before, after, limit=None))


__all__ = ["FIELD_LABELS", "change_parts", "describe_change", "describe_change_in_full",
           "field_label", "show_date", "show_stamp", "show_value"]
