"""The people-level extract (the social prescribing minimum dataset's four sets of columns).

One row per episode open in the period, from the store's raw records (`store.reports.extract`).
People with any episode whose "share with GP" consent is off get a pseudonymous reference
instead of their name, NHS number, address, postcode, phone and birth date.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter
from arrs_desktop.reports.report_set import role_name
from arrs_desktop.reports.tables import ReportTable
from arrs_desktop.store.reports import ExtractRecord, ReportsQuery

EXTRACT_DEMOGRAPHICS = (
    "Record ID", "Person reference", "Identifiable", "NHS number", "Name", "Address",
    "Postcode", "Phone", "Date of birth", "Age at referral", "Gender", "Ethnicity",
    "GP practice", "Lives in a care home",
)
EXTRACT_NEEDS = ("Needs and concerns", "Referral reason", "Referral source", "Referral date")
EXTRACT_SUPPORT = (
    "Role", "Worker", "Episode status", "First contact date", "Days referral to first contact",
    "Contacts", "Contact minutes", "Community referrals", "Community referrals attended",
    "Closure date", "Closure reason",
)
EXTRACT_OUTCOMES = (
    "Goals set", "Goals achieved",
    "ONS4 life satisfaction first", "ONS4 life satisfaction latest",
    "ONS4 worthwhile first", "ONS4 worthwhile latest",
    "ONS4 happiness first", "ONS4 happiness latest",
    "ONS4 anxiety first (lower is better)", "ONS4 anxiety latest (lower is better)",
    "SWEMWBS first", "SWEMWBS latest",
)
EXTRACT_SETS = (
    ("Demographics", EXTRACT_DEMOGRAPHICS),
    ("Needs and concerns", EXTRACT_NEEDS),
    ("Support offered", EXTRACT_SUPPORT),
    ("Outcomes", EXTRACT_OUTCOMES),
)
EXTRACT_COLUMNS = tuple(
    f"{set_name}: {col}" for set_name, cols in EXTRACT_SETS for col in cols)


def pseudonym(person_id: str, salt: str) -> str:
    """Return a stable-within-one-export stand-in for a person id that cannot be reversed."""
    digest = hashlib.sha256(f"{salt}:{person_id}".encode()).hexdigest()
    return f"P-{digest[:12].upper()}"


def extract_row(r: ExtractRecord, salt: str) -> tuple[Any, ...]:
    """Return one record as the extract's row, withheld details left out."""
    withheld = r.withheld
    referral = r.referral_date
    dob = r.date_of_birth
    first = r.first_contact_date
    age = None
    if dob is not None:
        age = referral.year - dob.year - ((referral.month, referral.day) < (dob.month, dob.day))
    needs = sorted(
        r.needs,
        key=lambda n: catalogue.NEED_IDS.index(n) if n in catalogue.NEED_IDS else 99)
    return (
        r.episode_id,
        pseudonym(r.person_id, salt) if withheld else r.person_id,
        "No" if withheld else "Yes",
        None if withheld else r.nhs_number,
        None if withheld else r.name,
        None if withheld else r.address,
        None if withheld else r.postcode,
        None if withheld else r.phone,
        None if withheld else dob,
        age,
        catalogue.GENDERS.get(r.gender, r.gender),
        r.ethnicity,
        r.gp_practice,
        "Yes" if r.care_home_id else "No",
        "; ".join(catalogue.NEEDS_BY_ID[n].label if n in catalogue.NEEDS_BY_ID else n
                  for n in needs),
        r.referral_reason,
        catalogue.REFERRAL_SOURCES.get(r.referral_source, r.referral_source),
        referral,
        role_name(r.role),
        r.worker,
        catalogue.EPISODE_STATUSES.get(r.status, r.status),
        first,
        (first - referral).days if first else None,
        r.contacts,
        r.minutes,
        r.referred,
        r.attended,
        r.closure_date,
        catalogue.CLOSURE_REASONS.get(r.closure_reason or "", r.closure_reason),
        r.goals_set,
        r.goals_achieved,
        *r.outcomes,
    )


def people_extract(reports: ReportsQuery, period: Period, filt: ReportFilter | None = None,
                   salt: str | None = None) -> ReportTable:
    """Return one row per episode open in the period, in the minimum dataset's four sets."""
    salt = salt or secrets.token_hex(16)
    records = reports.extract(period, filt or ReportFilter())
    return ReportTable("people_extract", "People-level extract (minimum dataset)",
                       EXTRACT_COLUMNS, tuple(extract_row(r, salt) for r in records),
                       "People who have not agreed to share with their GP are shown by "
                       "a reference only.")
