"""The report tables people read: titles, columns, labels and row order over the store's
figures (`store.reports`, which returns data only).

`report_set(store.reports, period, filter)` is every table the Reports view shows and the
exports write; the other functions build one table each. Each table's rows go role by role:
each role's workers (named first, then "(no worker recorded)"), the role's total, and
everyone's total last.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter
from arrs_desktop.reports.tables import ALL_ROLES, ALL_WORKERS, NO_WORKER, ReportSet, ReportTable
from arrs_desktop.store.reports import DECLINED, Figures, HomeContacts, Level, ReportsQuery

ONS4_REPORT_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things you do are worthwhile",
    "happy": "Happiness yesterday",
    "anxious": "Anxiety yesterday",
}
UNDATED = "(no reason recorded)"
DNA_LABEL = "Did not attend / no answer"
DECLINED_REASON = "Declined the referral"
_ONS4 = tuple(catalogue.ONS4_ITEMS)

# Where a care home stood at the period's end.
HOME_NO_CONTACT = "No contact recorded"
HOME_NO_NEXT_DATE = "No next contact date"
HOME_OVERDUE = "Overdue"
HOME_UP_TO_DATE = "Up to date"


def role_name(code: str | None) -> str:
    """Return a role's name in a report ("All roles" for everyone)."""
    if code is None:
        return ALL_ROLES
    return catalogue.ROLES_BY_CODE[code].name if code in catalogue.ROLES_BY_CODE else code


def worker_name(worker: str | None) -> str:
    """Return a worker's name in a report ("All workers" for a total)."""
    if worker is None:
        return ALL_WORKERS
    return worker or NO_WORKER


def _per_person(count: int, people: int) -> float | None:
    return round(count / people, 1) if people else None


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def ordered_levels(keys: Iterable[Level], filt: ReportFilter) -> list[Level]:
    """Order levels: each role's workers, the role's total, then everyone."""
    keys = set(keys)
    roles = [r for r in catalogue.ROLE_CODES if filt.role in (None, r)]
    out: list[Level] = []
    for role in roles:
        workers = sorted({w for (r, w) in keys if r == role and w is not None},
                         key=lambda w: (w == "", w.lower()))
        if not workers and (role, None) not in keys:
            continue
        out += [(role, w) for w in workers] + [(role, None)]
    if filt.role is None:
        out.append((None, None))
    return out


def _total(figures: dict[Level, Figures], filt: ReportFilter) -> Figures | None:
    """Return the figures of a table's last row (everyone, or the role filtered on), or
    None when the table has no rows."""
    if filt.role is None:
        return figures.get((None, None), {})
    return figures.get((filt.role, None))


# -- the tables ----------------------------------------------------------------------------
def caseload_table(figures: dict[Level, Figures], filt: ReportFilter) -> ReportTable:
    """Caseload, referrals, first contacts, waiting times and closures per worker."""
    rows = []
    for key in ordered_levels(figures, filt):
        f = figures.get(key, {})
        rows.append((
            role_name(key[0]), worker_name(key[1]), f.get("people") or 0,
            f.get("referrals") or 0, f.get("first_contacts") or 0, f.get("median_days"),
            f.get("closed") or 0, f.get("declined") or 0,
        ))
    return ReportTable(
        "caseload", "Caseload, referrals and closures",
        ("Role", "Worker", "Active caseload", "New referrals", "First contacts",
         "Median days to first contact", "Closed", "Declined"),
        tuple(rows),
        "Active caseload counts people with an episode open on any day of the period.",
    )


def contacts_table(figures: dict[Level, Figures], filt: ReportFilter) -> ReportTable:
    """Contacts, minutes and people seen per role and worker."""
    rows = []
    for key in ordered_levels(figures, filt):
        f = figures.get(key, {})
        contacts, people = f.get("contacts") or 0, f.get("people") or 0
        rows.append((role_name(key[0]), worker_name(key[1]), people, contacts,
                     f.get("minutes") or 0, _per_person(contacts, people),
                     f.get("did_not_attend") or 0))
    return ReportTable(
        "contacts", "Contacts and people seen",
        ("Role", "Worker", "People seen", "Contacts", "Minutes", "Contacts per person",
         DNA_LABEL),
        tuple(rows),
        f"Sessions logged as '{DNA_LABEL}' are not contacts: they are counted apart.",
    )


def contacts_by_month_table(by_month: dict[tuple[str, str], tuple[int, int]],
                            period: Period, filt: ReportFilter) -> ReportTable:
    """Contacts and minutes per calendar month and role (every month of the period)."""
    rows = []
    for month in period.months():
        for role in catalogue.ROLE_CODES:
            if filt.role not in (None, role):
                continue
            contacts, minutes = by_month.get((month.isoformat()[:7], role), (0, 0))
            rows.append((month, role_name(role), contacts, minutes))
    return ReportTable("contacts_by_month", "Contacts per month",
                       ("Month", "Role", "Contacts", "Minutes"), tuple(rows))


def goals_table(figures: dict[Level, Figures], filt: ReportFilter) -> ReportTable:
    """Goals set and achieved per owning role and episode worker."""
    rows = []
    for key in ordered_levels(figures, filt):
        f = figures.get(key, {})
        rows.append((role_name(key[0]), worker_name(key[1]), f.get("goals_set") or 0,
                     f.get("achieved") or 0))
    return ReportTable(
        "goals", "Goals set and achieved",
        ("Role", "Worker", "Goals set", "Goals achieved"), tuple(rows),
        "A goal counts as set on the day it was agreed (its set date); its worker is its"
        " episode's worker.",
    )


def referral_tables(counts: dict[str, dict[tuple[str | None, str | None], int]]
                    ) -> tuple[ReportTable, ReportTable]:
    """New referrals per role by source and by reason."""
    tables = []
    for by in ("source", "reason"):
        labelled: dict[tuple[str | None, str], int] = {}
        for (role, k), n in counts[by].items():
            key = (role, UNDATED if k is None else str(k))
            labelled[key] = labelled.get(key, 0) + n
        found = sorted(labelled.items(), key=lambda item: (
            catalogue.ROLE_CODES.index(item[0][0]) if item[0][0] else 9, -item[1],
            item[0][1]))
        rows = []
        for (role, k), n in found:
            label = catalogue.REFERRAL_SOURCES.get(k, k) if by == "source" else k
            rows.append((role_name(role), label, n))
        tables.append(rows)
    return (
        ReportTable("referrals_by_source", "New referrals by source",
                    ("Role", "Source", "Referrals"), tuple(tables[0])),
        ReportTable("referrals_by_reason", "New referrals by reason",
                    ("Role", "Reason", "Referrals"), tuple(tables[1])),
    )


def closures_table(counts: dict[tuple[str | None, str], int]) -> ReportTable:
    """Episodes closed (and referrals declined) in the period, by reason."""
    order = [*catalogue.CLOSURE_REASONS, DECLINED]
    found = sorted(counts.items(), key=lambda item: (
        catalogue.ROLE_CODES.index(item[0][0]) if item[0][0] else 9,
        order.index(item[0][1]) if item[0][1] in order else 99))
    rows = []
    for (role, k), n in found:
        label = DECLINED_REASON if k == DECLINED else catalogue.CLOSURE_REASONS.get(k, k)
        rows.append((role_name(role), label, n))
    return ReportTable("closures_by_reason", "Closures by reason",
                       ("Role", "Reason", "Episodes"), tuple(rows))


def ons4_table(found: dict[str, Figures], filt: ReportFilter) -> ReportTable:
    """The mean change in each ONS4 item from first to latest score, per role."""
    keys = [r for r in catalogue.ROLE_CODES if filt.role in (None, r)]
    if not filt.role:
        keys.append("all")
    rows = []
    for key in keys:
        f = found.get(key)
        for item in _ONS4:
            rows.append((
                ALL_ROLES if key == "all" else role_name(key),
                ONS4_REPORT_LABELS[item],
                "Lower" if item == "anxious" else "Higher",
                f["people"] if f else 0,
                _mean(f[f"f_{item}"]) if f else None,
                _mean(f[f"l_{item}"]) if f else None,
                _mean(f[f"d_{item}"]) if f else None,
            ))
    return ReportTable(
        "ons4_change", "ONS4 well-being: first to latest score",
        ("Role", "Item", "Better when", "People with both scores", "Mean first score",
         "Mean latest score", "Mean change"),
        tuple(rows),
        "Each item is reported on its own and never totalled. For anxiety, lower is "
        "better, so a fall (negative change) is an improvement.",
    )


def home_status(home: HomeContacts, as_of: date) -> str:
    """Say where a care home stood on a day: no contact, no next date, overdue, up to date."""
    if home.latest is None:
        return HOME_NO_CONTACT
    if home.next_due is None:
        return HOME_NO_NEXT_DATE
    if home.next_due < as_of:
        return HOME_OVERDUE
    return HOME_UP_TO_DATE


def care_homes_table(homes: list[HomeContacts], as_of: date) -> ReportTable:
    """Contacts per care home in the period and whether each is overdue."""
    rows = tuple((h.name, h.contacts, h.latest, h.next_due, home_status(h, as_of))
                 for h in homes)
    return ReportTable(
        "care_homes", "Care-home contacts",
        ("Care home", "Contacts in period", "Latest contact", "Next contact due", "Status"),
        rows,
        f"Overdue means the latest contact's next-due date was before {as_of:%d %b %Y}.",
    )


def sp_referral_code_table(people: dict[str, int] | None) -> ReportTable:
    """People whose first social prescribing referral code falls in the period."""
    rows: list[tuple[Any, ...]] = []
    if people is not None:
        workers = sorted(people, key=lambda w: (w == "", w.lower()))
        rows = [(worker_name(w), people[w]) for w in workers]
        rows.append((ALL_WORKERS, sum(people.values())))
    return ReportTable(
        "sp_referral_code",
        "People with a first 'Referral to social prescribing service' code",
        ("Worker", "People"), tuple(rows),
        f"SNOMED CT {catalogue.SP_REFERRAL_CODE}: people whose first ever link-worker "
        "first contact fell in the period.",
    )


def summary_table(filt: ReportFilter, caseload: dict[Level, Figures],
                  contacts: dict[Level, Figures], goals: dict[Level, Figures],
                  homes: list[HomeContacts], as_of: date,
                  sp_people: dict[str, int] | None) -> ReportTable:
    """The headline figures: the totals of the other tables."""
    def total(figures: dict[Level, Figures], name: str, empty: Any = 0) -> Any:
        found = _total(figures, filt)
        if found is None:
            return empty
        return found.get(name) or (0 if empty == 0 else found.get(name))

    seen = total(contacts, "people")
    made = total(contacts, "contacts")
    people_with_code = None if sp_people is None else sum(sp_people.values())
    figures = (
        ("Active caseload (people)", total(caseload, "people")),
        ("New referrals", total(caseload, "referrals")),
        ("Median days from referral to first contact", total(caseload, "median_days", None)),
        ("People seen", seen),
        ("Contacts", made),
        ("Contact minutes", total(contacts, "minutes")),
        ("Contacts per person seen",
         0 if _total(contacts, filt) is None else _per_person(made, seen)),
        (DNA_LABEL, total(contacts, "did_not_attend")),
        ("Goals set", total(goals, "goals_set")),
        ("Goals achieved", total(goals, "achieved")),
        ("Episodes closed", total(caseload, "closed")),
        ("Care homes overdue a contact at the end of the period",
         sum(1 for h in homes if home_status(h, as_of) == HOME_OVERDUE)),
        ("People with a first 'Referral to social prescribing service' code",
         people_with_code),
    )
    return ReportTable("summary", "Summary", ("Figure", "Value"), figures)


# -- the report set ------------------------------------------------------------------------
def report_set(reports: ReportsQuery, period: Period, filt: ReportFilter | None = None,
               today: date | None = None) -> ReportSet:
    """Return every report table for a period and a role/worker filter."""
    filt = filt or ReportFilter()
    today = today or date.today()
    caseload = reports.caseload(period, filt)
    contacts, by_month = reports.contacts_with_months(period, filt)
    goals = reports.goals(period, filt)
    homes = reports.care_homes(period, filt, today)
    as_of = period.as_of(today)
    sp_people = reports.sp_referral_code(period, filt)
    by_source, by_reason = referral_tables(reports.referrals(period, filt))
    tables = (
        summary_table(filt, caseload, contacts, goals, homes, as_of, sp_people),
        caseload_table(caseload, filt),
        contacts_table(contacts, filt),
        goals_table(goals, filt),
        by_source,
        by_reason,
        closures_table(reports.closures(period, filt)),
        ons4_table(reports.ons4_change(period, filt), filt),
        care_homes_table(homes, as_of),
        sp_referral_code_table(sp_people),
        contacts_by_month_table(by_month, period, filt),
    )
    return ReportSet(period=period, filter=filt, tables=tables)


def contacts_by_month(reports: ReportsQuery, period: Period,
                      filt: ReportFilter) -> ReportTable:
    """Return the contacts-per-month table alone (the Reports view's twelve-month chart)."""
    return contacts_by_month_table(reports.contacts_by_month(period, filt), period, filt)


def referrals_by(reports: ReportsQuery, period: Period, filt: ReportFilter,
                 by: str) -> ReportTable:
    """Return new referrals per role by source or by reason."""
    by_source, by_reason = referral_tables(reports.referrals(period, filt))
    return by_source if by == "source" else by_reason


def goals_report(reports: ReportsQuery, period: Period, filt: ReportFilter) -> ReportTable:
    """Return the goals table alone."""
    return goals_table(reports.goals(period, filt), filt)


def care_homes_report(reports: ReportsQuery, period: Period, filt: ReportFilter,
                      today: date | None = None) -> ReportTable:
    """Return the care-home contacts table alone."""
    today = today or date.today()
    return care_homes_table(reports.care_homes(period, filt, today), period.as_of(today))
