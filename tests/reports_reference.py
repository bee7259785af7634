"""The report figures worked out the plain way: every raw row read, added up in Python.

Written from the definitions in docs/reports.md, independently of the store's queries (it
shares none of their SQL or helpers): each method reads whole tables with `SELECT *` and
answers what the same method of `store.reports` (`ReportsQuery`) answers, so the tests
can hold the two to the same figures, and `report_set` can be built from either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from statistics import median
from typing import Any

from arrs_desktop.domain.periods import Period, ReportFilter

Level = tuple[str | None, str | None]
SPLW = "splw"
MISSED = "did_not_attend"
DECLINED = "~declined"  # the store's key for a declined referral in closures
ITEMS = ("life_satisfaction", "worthwhile", "happy", "anxious")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _between(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


class ReferenceReports:
    """The same questions as `ReportsQuery`, answered from the raw rows."""

    def __init__(self, store) -> None:
        conn = store.conn

        def table(name: str) -> list[dict[str, Any]]:
            cursor = conn.execute(f"SELECT * FROM {name}")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor]

        self.raw_deleted = {p["id"] for p in table("people") if p["deleted_at"] is not None}
        self.raw_episodes = table("episodes")
        for e in self.raw_episodes:
            for col in ("referral_date", "first_contact_date", "closure_date"):
                e[col] = _day(e[col])
        self.raw_episodes_by_id = {e["id"]: e for e in self.raw_episodes}
        self.raw_sessions = table("sessions")
        for s in self.raw_sessions:
            s["date"] = _day(s["date"])
        self.raw_sessions_by_id = {s["id"]: s for s in self.raw_sessions}
        self.raw_goals = table("goals")
        for g in self.raw_goals:
            g["set_date"], g["achieved_date"] = _day(g["set_date"]), _day(g["achieved_date"])
        self.raw_measures = table("outcome_measures")
        for m in self.raw_measures:
            m["date"] = _day(m["date"])
        self.raw_homes = table("care_homes")
        self.raw_contacts_log = table("care_home_contacts")
        for c in self.raw_contacts_log:
            c["date"], c["next_due"] = _day(c["date"]), _day(c["next_due"])

    # -- helpers -------------------------------------------------------------------------
    def _live(self, person_id: str) -> bool:
        return person_id not in self.raw_deleted

    @staticmethod
    def _passes(filt: ReportFilter, role: str | None, worker: str | None) -> bool:
        return (not filt.role or role == filt.role) and (
            filt.worker is None or worker == filt.worker)

    @staticmethod
    def _levels(records: Iterable[dict[str, Any]], role_of: Callable[[Any], Any],
                worker_of: Callable[[Any], Any],
                figures: Callable[[list[dict[str, Any]]], dict[str, Any]]
                ) -> dict[Level, dict[str, Any]]:
        """Work figures out afresh for each level: (role, worker), (role, None), everyone;
        levels whose figures are all zero are left out."""
        groups: dict[Level, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            role, worker = role_of(r), worker_of(r)
            for key in ((role, worker), (role, None), (None, None)):
                groups[key].append(r)
        out = {}
        for key, members in groups.items():
            found = figures(members)
            if any(found.values()):
                out[key] = found
        return out

    # -- the figures ---------------------------------------------------------------------
    def caseload(self, period: Period, filt: ReportFilter) -> dict[Level, dict[str, Any]]:
        """Episodes open on a day of the period; first contacts and their waits."""
        open_eps = [e for e in self.raw_episodes if self._live(e["person_id"])
                    and self._passes(filt, e["role"], e["worker"])
                    and e["referral_date"] <= period.end
                    and (e["closure_date"] is None or e["closure_date"] >= period.start)]

        def figures(eps: list[dict[str, Any]]) -> dict[str, Any]:
            return {
                "people": len({e["person_id"] for e in eps if e["status"] != "declined"}),
                "referrals": sum(e["referral_date"] >= period.start for e in eps),
                "first_contacts": sum(_between(e["first_contact_date"], period) for e in eps),
                "closed": sum(e["status"] == "closed" and _between(e["closure_date"], period)
                              for e in eps),
                "declined": sum(e["status"] == "declined"
                                and _between(e["closure_date"], period) for e in eps),
            }

        out = self._levels(open_eps, lambda e: e["role"], lambda e: e["worker"], figures)
        waits: dict[Level, list[int]] = defaultdict(list)
        for e in self.raw_episodes:
            if (self._live(e["person_id"]) and self._passes(filt, e["role"], e["worker"])
                    and _between(e["first_contact_date"], period)):
                days = (e["first_contact_date"] - e["referral_date"]).days
                for key in ((e["role"], e["worker"]), (e["role"], None), (None, None)):
                    waits[key].append(days)
        for key, found in out.items():
            found["median_days"] = float(median(waits[key])) if waits.get(key) else None
        return out

    def _sessions_in(self, period: Period, filt: ReportFilter) -> list[dict[str, Any]]:
        return [s for s in self.raw_sessions if self._live(s["person_id"])
                and self._passes(filt, s["role"], s["worker"]) and _between(s["date"], period)]

    def contacts(self, period: Period, filt: ReportFilter) -> dict[Level, dict[str, Any]]:
        """Sessions in the period: missed contacts counted apart."""
        def figures(sessions: list[dict[str, Any]]) -> dict[str, Any]:
            seen = [s for s in sessions if s["kind"] != MISSED]
            return {"people": len({s["person_id"] for s in seen}), "contacts": len(seen),
                    "minutes": sum(s["minutes"] or 0 for s in seen),
                    "did_not_attend": len(sessions) - len(seen)}

        return self._levels(self._sessions_in(period, filt), lambda s: s["role"],
                            lambda s: s["worker"], figures)

    def contacts_by_month(self, period: Period,
                          filt: ReportFilter) -> dict[tuple[str, str], tuple[int, int]]:
        """Contacts and minutes per month and role."""
        found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for s in self._sessions_in(period, filt):
            if s["kind"] != MISSED:
                acc = found[(s["date"].isoformat()[:7], s["role"])]
                acc[0] += 1
                acc[1] += s["minutes"] or 0
        return {k: (v[0], v[1]) for k, v in found.items()}

    def contacts_with_months(self, period: Period, filt: ReportFilter):
        return self.contacts(period, filt), self.contacts_by_month(period, filt)

    def goals(self, period: Period, filt: ReportFilter) -> dict[Level, dict[str, Any]]:
        """Goals agreed or achieved in the period, by owner role and episode worker."""
        def worker(g: dict[str, Any]) -> str:
            episode = self.raw_episodes_by_id.get(g["episode_id"]) if g["episode_id"] else None
            return episode["worker"] if episode else ""

        chosen = [g for g in self.raw_goals if self._live(g["person_id"])
                  and self._passes(filt, g["owner_role"], worker(g))
                  and (_between(g["set_date"], period) or _between(g["achieved_date"], period))]
        return self._levels(chosen, lambda g: g["owner_role"], worker, lambda gs: {
            "goals_set": sum(_between(g["set_date"], period) for g in gs),
            "achieved": sum(_between(g["achieved_date"], period) for g in gs)})

    def referrals(self, period: Period, filt: ReportFilter):
        """New referrals by source and by reason (blank reasons as None)."""
        counts: dict[str, dict[tuple[str | None, str | None], int]] = {
            "source": defaultdict(int), "reason": defaultdict(int)}
        for e in self.raw_episodes:
            if not (self._live(e["person_id"]) and self._passes(filt, e["role"], e["worker"])
                    and _between(e["referral_date"], period)):
                continue
            reason = (e["referral_reason"] or "").strip(" ") or None  # as SQLite's trim()
            for by, key in (("source", e["referral_source"]), ("reason", reason)):
                counts[by][(e["role"], key)] += 1
                if not filt.role:
                    counts[by][(None, key)] += 1
        return {by: dict(found) for by, found in counts.items()}

    def closures(self, period: Period, filt: ReportFilter) -> dict[tuple[str | None, str], int]:
        """Episodes closed and referrals declined in the period, by reason."""
        counts: dict[tuple[str | None, str], int] = defaultdict(int)
        for e in self.raw_episodes:
            if (e["status"] in ("closed", "declined") and self._live(e["person_id"])
                    and self._passes(filt, e["role"], e["worker"])
                    and _between(e["closure_date"], period)):
                key = DECLINED if e["status"] == "declined" else (e["closure_reason"] or "other")
                counts[(e["role"], key)] += 1
                if not filt.role:
                    counts[(None, key)] += 1
        return dict(counts)

    def ons4_change(self, period: Period, filt: ReportFilter) -> dict[str, dict[str, Any]]:
        """First and latest ONS4 scores of people scored in the period with two or more."""
        scored_in_period = {m["person_id"] for m in self.raw_measures
                            if _between(m["date"], period)}
        scores = []
        for m in self.raw_measures:
            if (m["ons4_life_satisfaction"] is None or m["date"] > period.end
                    or m["person_id"] not in scored_in_period
                    or not self._live(m["person_id"])):
                continue
            session = self.raw_sessions_by_id.get(m["session_id"]) if m["session_id"] else None
            role = session["role"] if session else None
            worker = session["worker"] if session else None
            if self._passes(filt, role, worker):
                scores.append((role, m))
        groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list))
        for role, m in scores:
            if role is not None:
                groups[role][m["person_id"]].append(m)
            if not filt.role:
                groups["all"][m["person_id"]].append(m)
        out = {}
        for grp, people in groups.items():
            pairs = []
            for measures in people.values():
                measures.sort(key=lambda m: (m["date"], m["created_at"], m["id"]))
                if len(measures) >= 2 and measures[-1]["date"] >= period.start:
                    pairs.append((measures[0], measures[-1]))
            if not pairs:
                continue
            found: dict[str, Any] = {"people": len(pairs)}
            for item in ITEMS:
                col = f"ons4_{item}"
                firsts = [f[col] for f, _ in pairs if f[col] is not None]
                lasts = [latest[col] for _, latest in pairs if latest[col] is not None]
                changes = [latest[col] - f[col] for f, latest in pairs
                           if f[col] is not None and latest[col] is not None]
                found[f"f_{item}"] = sum(firsts) / len(firsts) if firsts else None
                found[f"l_{item}"] = sum(lasts) / len(lasts) if lasts else None
                found[f"d_{item}"] = sum(changes) / len(changes) if changes else None
            out[grp] = found
        return out

    def care_homes(self, period: Period, filt: ReportFilter, today: date | None = None):
        """Each care home: contacts in the period, its latest contact by the as-of day."""
        from arrs_desktop.store.reports import HomeContacts

        as_of = period.as_of(today or date.today())
        out = []
        for home in sorted((h for h in self.raw_homes if h["deleted_at"] is None),
                           key=lambda h: h["name"]):
            log = [c for c in self.raw_contacts_log if c["care_home_id"] == home["id"]]
            counted = sum(_between(c["date"], period)
                          and (filt.worker is None or c["worker"] == filt.worker) for c in log)
            before = sorted((c for c in log if c["date"] <= as_of),
                            key=lambda c: (c["date"], c["created_at"]))
            latest = before[-1] if before else None
            out.append(HomeContacts(home["name"], counted, latest["date"] if latest else None,
                                    latest["next_due"] if latest else None))
        return out

    def sp_referral_code(self, period: Period, filt: ReportFilter) -> dict[str, int] | None:
        """People whose first link-worker first contact ever fell in the period, by worker."""
        if filt.role not in (None, SPLW):
            return None
        firsts: dict[str, dict[str, Any]] = {}
        for e in self.raw_episodes:
            if e["role"] != SPLW or e["first_contact_date"] is None:
                continue
            key = (e["first_contact_date"], e["referral_date"], e["created_at"], e["id"])
            held = firsts.get(e["person_id"])
            if held is None or key < (held["first_contact_date"], held["referral_date"],
                                      held["created_at"], held["id"]):
                firsts[e["person_id"]] = e
        out: dict[str, int] = defaultdict(int)
        for e in firsts.values():
            if (self._live(e["person_id"]) and _between(e["first_contact_date"], period)
                    and (filt.worker is None or e["worker"] == filt.worker)):
                out[e["worker"]] += 1
        return dict(out)

    def workers(self, role: str | None = None) -> list[str]:
        names = {e["worker"] for e in self.raw_episodes if role is None or e["role"] == role}
        return sorted(names, key=lambda w: (w == "", w.lower()))
