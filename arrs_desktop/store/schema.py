"""The caseload schema, created and upgraded only by these numbered migrations.

Released migrations are never edited: add a new numbered one instead.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from arrs_desktop.domain.catalogue import SHIPPED_GP_CODES

MIGRATION_SET = "arrs_desktop"
APP_ID = "arrs-desktop"

migrations = Migrations(MIGRATION_SET)
_SHIPPED_AT = "2026-01-01T00:00:00+00:00"

_COMMON = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL"""

_ROLE = "CHECK ({col} IN ('splw', 'cc', 'hwbc'))"

M0001_SQL = f"""
CREATE TABLE arrs_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE care_homes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    practice TEXT NOT NULL DEFAULT '',
    clinical_lead TEXT NOT NULL DEFAULT '',
    lead_worker TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,{_COMMON}
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    search_name TEXT NOT NULL,
    date_of_birth TEXT,
    nhs_number TEXT CHECK (nhs_number IS NULL OR length(nhs_number) = 10),
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    gp_practice TEXT NOT NULL DEFAULT '',
    care_home_id TEXT REFERENCES care_homes(id),
    preferred_contact TEXT NOT NULL DEFAULT '',
    what_matters TEXT NOT NULL DEFAULT '',
    lead_role TEXT,
    episode_status TEXT,
    lead_worker TEXT NOT NULL DEFAULT '',
    next_follow_up TEXT,
    deleted_at TEXT,{_COMMON}
);
CREATE UNIQUE INDEX people_nhs_number ON people(nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX people_search_name ON people(search_name);
CREATE INDEX people_name_dob ON people(search_name, date_of_birth);
CREATE INDEX people_lead_role ON people(lead_role, episode_status);
CREATE INDEX people_next_follow_up ON people(next_follow_up);
CREATE INDEX people_care_home ON people(care_home_id);

CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    need_id TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL DEFAULT '',
    removed_at TEXT,
    removed_by TEXT NOT NULL DEFAULT '',{_COMMON}
);
CREATE INDEX needs_person ON needs(person_id, need_id, removed_at);
CREATE UNIQUE INDEX needs_one_current ON needs(person_id, need_id) WHERE removed_at IS NULL;

CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL {_ROLE.format(col="role")},
    worker TEXT NOT NULL DEFAULT '',
    referral_date TEXT NOT NULL,
    referral_source TEXT NOT NULL,
    referral_reason TEXT NOT NULL DEFAULT '',
    suggested_role TEXT,
    suggestion_json TEXT NOT NULL DEFAULT '{{}}',
    followed_suggestion INTEGER CHECK (followed_suggestion IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'referred'
        CHECK (status IN ('referred', 'active', 'on_hold', 'closed', 'declined')),
    first_contact_date TEXT,
    closure_date TEXT,
    closure_reason TEXT,
    share_with_gp INTEGER NOT NULL DEFAULT 1 CHECK (share_with_gp IN (0, 1)),{_COMMON}
);
CREATE INDEX episodes_person ON episodes(person_id, status);
CREATE INDEX episodes_role_status ON episodes(role, status);
CREATE INDEX episodes_referral_date ON episodes(referral_date);

CREATE TABLE goals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    episode_id TEXT REFERENCES episodes(id),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    what_matters TEXT NOT NULL DEFAULT '',
    owner_role TEXT NOT NULL {_ROLE.format(col="owner_role")},
    baseline INTEGER NOT NULL CHECK (baseline BETWEEN 0 AND 10),
    target_date TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'achieved', 'stopped')),
    achieved_date TEXT,{_COMMON}
);
CREATE INDEX goals_person ON goals(person_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    episode_id TEXT REFERENCES episodes(id),
    date TEXT NOT NULL,
    role TEXT NOT NULL {_ROLE.format(col="role")},
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
    notes TEXT NOT NULL DEFAULT '',
    worker TEXT NOT NULL DEFAULT '',
    next_follow_up TEXT,{_COMMON}
);
CREATE INDEX sessions_person ON sessions(person_id, date);
CREATE INDEX sessions_date ON sessions(date, role);

CREATE TABLE goal_progress (
    id TEXT PRIMARY KEY,
    goal_id TEXT NOT NULL REFERENCES goals(id),
    session_id TEXT REFERENCES sessions(id),
    date TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '',{_COMMON}
);
CREATE INDEX goal_progress_goal ON goal_progress(goal_id, date);

CREATE TABLE outcome_measures (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    session_id TEXT REFERENCES sessions(id),
    date TEXT NOT NULL,
    ons4_life_satisfaction INTEGER CHECK (ons4_life_satisfaction BETWEEN 0 AND 10),
    ons4_worthwhile INTEGER CHECK (ons4_worthwhile BETWEEN 0 AND 10),
    ons4_happy INTEGER CHECK (ons4_happy BETWEEN 0 AND 10),
    ons4_anxious INTEGER CHECK (ons4_anxious BETWEEN 0 AND 10),
    swemwbs_raw INTEGER CHECK (swemwbs_raw BETWEEN 7 AND 35),{_COMMON}
);
CREATE INDEX outcome_measures_person ON outcome_measures(person_id, date);
CREATE INDEX outcome_measures_session ON outcome_measures(session_id);

CREATE TABLE care_home_contacts (
    id TEXT PRIMARY KEY,
    care_home_id TEXT NOT NULL REFERENCES care_homes(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('weekly_check_in', 'home_round', 'phone', 'visit')),
    actions TEXT NOT NULL DEFAULT '',
    next_due TEXT,
    worker TEXT NOT NULL DEFAULT '',{_COMMON}
);
CREATE INDEX care_home_contacts_home ON care_home_contacts(care_home_id, date);

CREATE TABLE care_home_contact_residents (
    contact_id TEXT NOT NULL REFERENCES care_home_contacts(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (contact_id, person_id)
);

CREATE TABLE community_assets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),{_COMMON}
);

CREATE TABLE asset_referrals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    asset_id TEXT NOT NULL REFERENCES community_assets(id),
    session_id TEXT REFERENCES sessions(id),
    referred_on TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending'
        CHECK (outcome IN ('pending', 'attended', 'did_not_attend', 'declined')),
    outcome_date TEXT,
    notes TEXT NOT NULL DEFAULT '',{_COMMON}
);
CREATE INDEX asset_referrals_person ON asset_referrals(person_id);
CREATE INDEX asset_referrals_asset ON asset_referrals(asset_id);

CREATE TABLE gp_codes (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    term TEXT NOT NULL,
    applies_to TEXT NOT NULL DEFAULT 'custom',
    shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),{_COMMON}
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    person_id TEXT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_person ON audit_log(person_id, seq);
CREATE INDEX audit_log_row ON audit_log(table_name, row_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""


def _run_script(db: Database, sql: str) -> None:
    """Run each statement of a script inside the migration's transaction."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if _complete(statement):
            if statement.strip():
                db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


def _complete(statement: str) -> bool:
    import sqlite3

    text = statement.strip()
    return bool(text) and text.endswith(";") and sqlite3.complete_statement(text)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    """Create every table of the caseload log."""
    _run_script(db, M0001_SQL)
    db.execute("INSERT INTO arrs_meta (key, value) VALUES ('app', ?)", [APP_ID])
    for code, term, applies_to in SHIPPED_GP_CODES:
        db.execute(
            "INSERT INTO gp_codes (id, code, term, applies_to, shipped, created_at, updated_at,"
            " device_id) VALUES (?, ?, ?, ?, 1, ?, ?, 'shipped')",
            [f"shipped-{code}", code, term, applies_to, _SHIPPED_AT, _SHIPPED_AT],
        )


M0002_REPORTS_SQL = """
CREATE INDEX sessions_report ON sessions(date, role, worker, person_id, minutes);
CREATE INDEX episodes_first_contact ON episodes(role, first_contact_date);
CREATE INDEX outcome_measures_date ON outcome_measures(date, person_id);
CREATE INDEX goals_created ON goals(created_at);
CREATE INDEX goals_achieved ON goals(achieved_date);
CREATE INDEX people_deleted ON people(deleted_at) WHERE deleted_at IS NOT NULL;
"""


@migrations(name="0002_reports_indexes")
def m0002_reports_indexes(db: Database) -> None:
    """Add the indexes the period reports read through."""
    _run_script(db, M0002_REPORTS_SQL)


M0003_PERF_SQL = """
DROP INDEX IF EXISTS people_lead_role;
CREATE INDEX people_live_name ON people(search_name) WHERE deleted_at IS NULL;
CREATE INDEX people_caseload_name
    ON people(search_name, id, lead_role, episode_status, next_follow_up)
    WHERE deleted_at IS NULL;
CREATE INDEX people_caseload_role
    ON people(lead_role, search_name, id, episode_status, next_follow_up)
    WHERE deleted_at IS NULL;
CREATE INDEX people_caseload_status ON people(episode_status, lead_role, next_follow_up)
    WHERE deleted_at IS NULL;
"""


@migrations(name="0003_perf_caseload_indexes")
def m0003_perf_caseload_indexes(db: Database) -> None:
    """Add the indexes the caseload list's counts, pages and filters read through.

    Each covers the people not deleted: `people_live_name` is narrow, for counting name
    searches; `people_caseload_name` and `people_caseload_role` give pages in name order
    with the filter columns to hand; `people_caseload_status` counts by status and role.
    The 0001 index on (lead_role, episode_status) is replaced by the last two.
    """
    _run_script(db, M0003_PERF_SQL)


@migrations(name="0004_goal_set_date")
def m0004_goal_set_date(db: Database) -> None:
    """Record the day a goal was agreed (it may be logged later than that)."""
    db.execute("ALTER TABLE goals ADD COLUMN set_date TEXT")
    db.execute("UPDATE goals SET set_date = substr(created_at, 1, 10)")
    db.execute("CREATE INDEX goals_set_date ON goals(set_date)")


M0005_PERF_SQL = """
CREATE INDEX episodes_person_role ON episodes(person_id, role, status);
CREATE INDEX episodes_closure ON episodes(closure_date, status);
CREATE INDEX episodes_report_caseload
    ON episodes(role, worker, person_id, status, referral_date, first_contact_date,
                closure_date);
"""


@migrations(name="0005_perf_episode_indexes")
def m0005_perf_episode_indexes(db: Database) -> None:
    """Add episode indexes for logging a session and for the period reports.

    `episodes_person_role` finds a person's open episodes for a role when a session is
    logged (otherwise SQLite walks every episode of that role); `episodes_closure` finds
    the period's closures; `episodes_report_caseload` covers the caseload report in its
    grouping order, so it reads no table rows and sorts nothing.
    """
    _run_script(db, M0005_PERF_SQL)


M0006_PERF_SQL = """
CREATE INDEX outcome_measures_person_scores
    ON outcome_measures(person_id, date, created_at, id, session_id, ons4_life_satisfaction,
                        ons4_worthwhile, ons4_happy, ons4_anxious);
CREATE INDEX episodes_first_contacts
    ON episodes(role, person_id, first_contact_date, referral_date, created_at, id, worker);
"""


@migrations(name="0006_perf_report_indexes")
def m0006_perf_report_indexes(db: Database) -> None:
    """Add covering indexes for the ONS4 change and first-contact parts of the reports.

    Both reports read every earlier row of each person in the period; with these the rows
    come from the index in the order the window functions want, without table reads.
    """
    _run_script(db, M0006_PERF_SQL)


_M0007_LEAD = (
    "SELECT {col} FROM episodes e WHERE e.person_id = people.id ORDER BY"
    " CASE e.status WHEN 'active' THEN 0 WHEN 'referred' THEN 1 WHEN 'on_hold' THEN 2"
    " ELSE 3 END, CASE WHEN e.status IN ('referred', 'active', 'on_hold')"
    " THEN e.referral_date END, e.referral_date DESC, e.created_at LIMIT 1"
)


@migrations(name="0007_person_email_and_lead")
def m0007_person_email_and_lead(db: Database) -> None:
    """Add the person's email address; re-derive the lead of people with several open episodes.

    The lead episode is now the one being worked (active, then referred, then on hold, then
    the earliest referred). Only people with more than one open episode can change lead.
    """
    db.execute("ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE people SET"
        f" lead_role = ({_M0007_LEAD.format(col='e.role')}),"
        f" episode_status = ({_M0007_LEAD.format(col='e.status')}),"
        f" lead_worker = coalesce(({_M0007_LEAD.format(col='e.worker')}), '')"
        " WHERE id IN (SELECT person_id FROM episodes"
        " WHERE status IN ('referred', 'active', 'on_hold')"
        " GROUP BY person_id HAVING count(*) > 1)"
    )


M0008_PERF_SQL = """
CREATE INDEX episodes_report_open
    ON episodes(closure_date, referral_date, role, worker, person_id, status, first_contact_date);
CREATE INDEX episodes_report_first_contact
    ON episodes(first_contact_date, role, worker, referral_date, person_id, created_at, id);
CREATE INDEX sessions_person_role ON sessions(person_id, id, role, worker);
"""


@migrations(name="0008_perf_report_rollups")
def m0008_perf_report_rollups(db: Database) -> None:
    """Add covering indexes for the period reports' rolled-up queries.

    `episodes_report_open` reads only the episodes open in a period (still open, or closed
    since its start) instead of every episode; `episodes_report_first_contact` reads the
    first contacts of a period for the waiting times and the social prescribing code;
    `sessions_person_role` gives each outcome measure its session's role and worker from
    the pages of its person's sessions, without reading the session rows.
    """
    _run_script(db, M0008_PERF_SQL)


M0009_SORT_SQL = """
CREATE INDEX people_sort_birth ON people((date_of_birth IS NULL), date_of_birth, search_name, id)
    WHERE deleted_at IS NULL;
CREATE INDEX people_sort_birth_desc ON people(date_of_birth, search_name, id)
    WHERE deleted_at IS NULL;
CREATE INDEX people_sort_nhs ON people((nhs_number IS NULL), nhs_number, search_name, id)
    WHERE deleted_at IS NULL;
CREATE INDEX people_sort_nhs_desc ON people(nhs_number, search_name, id)
    WHERE deleted_at IS NULL;
"""


@migrations(name="0009_caseload_sort_indexes")
def m0009_caseload_sort_indexes(db: Database) -> None:
    """Add indexes that give the caseload in age or NHS-number order without a sort.

    Blanks come last both ways: ascending pages walk `(x IS NULL), x`; descending pages walk
    `x` backwards, which puts NULL (the smallest value) last already.
    """
    _run_script(db, M0009_SORT_SQL)


M0010_SQL = """
DROP INDEX IF EXISTS sessions_report;
CREATE INDEX sessions_report_kind ON sessions(date, role, worker, person_id, minutes, kind);
"""


@migrations(name="0010_sessions_report_kind")
def m0010_sessions_report_kind(db: Database) -> None:
    """Cover the session kind in the contacts report's index.

    Missed contacts (kind `did_not_attend`) are counted apart from contacts, so the contacts
    report reads the kind; `sessions_report_kind` replaces `sessions_report` (0002) with the
    same columns and the kind, so the report still reads no session rows.
    """
    _run_script(db, M0010_SQL)


_M0011_NEXT_FOLLOW_UP = (
    "SELECT min(f.next_follow_up) FROM episodes e JOIN sessions f ON f.id = ("
    "SELECT s.id FROM sessions s WHERE s.person_id = e.person_id"
    " AND (s.episode_id = e.id OR (s.episode_id IS NULL AND s.role = e.role))"
    " ORDER BY s.date DESC, s.created_at DESC, s.id DESC LIMIT 1)"
    " WHERE e.person_id = people.id AND e.status IN ('referred', 'active', 'on_hold')"
)


@migrations(name="0011_next_follow_up_per_episode")
def m0011_next_follow_up_per_episode(db: Database) -> None:
    """Re-derive people's next follow-up from each open episode's latest session.

    It was taken from the person's latest session of any role, so one role's discharge
    session hid the follow-up another role had set. Now it is the earliest, over the
    person's open episodes, of the follow-up set at each episode's latest session. Only
    people with an open episode can change (everyone else's is empty under both rules), and
    only rows whose value differs are written.
    """
    db.execute(
        f"UPDATE people SET next_follow_up = ({_M0011_NEXT_FOLLOW_UP})"
        " WHERE id IN (SELECT person_id FROM episodes"
        " WHERE status IN ('referred', 'active', 'on_hold'))"
        f" AND next_follow_up IS NOT ({_M0011_NEXT_FOLLOW_UP})"
    )


_AUDIT_NO_UPDATE = """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""


@migrations(name="0012_audit_hash_chain")
def m0012_audit_hash_chain(db: Database) -> None:
    """Chain the audit log: each line carries the hash of its values and a chain hash.

    The chain hash covers the line and the chain hash before it, so a line changed, removed
    or moved behind the app's back breaks the chain from there on (`arrs check` says where).
    Existing lines are chained in order; an insert without its hashes is refused.
    """
    from arrs_desktop.store.audit_chain import GENESIS, chain_hash, values_hash

    db.execute("ALTER TABLE audit_log ADD COLUMN values_hash TEXT")
    db.execute("ALTER TABLE audit_log ADD COLUMN chain_hash TEXT")
    db.execute("DROP TRIGGER audit_log_no_update")
    previous = GENESIS
    updates = []
    for seq, at, who, device, action, table, row_id, person_id, before, after in db.execute(
        "SELECT seq, at, who, device_id, action, table_name, row_id, person_id, before_json,"
        " after_json FROM audit_log ORDER BY seq"
    ).fetchall():
        values = values_hash(before, after)
        previous = chain_hash(previous, at, who, device, action, table, row_id, person_id,
                              values)
        updates.append((values, previous, seq))
    db.conn.executemany("UPDATE audit_log SET values_hash = ?, chain_hash = ? WHERE seq = ?",
                        updates)
    db.execute(_AUDIT_NO_UPDATE)
    db.execute(
        "CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log"
        " WHEN NEW.values_hash IS NULL OR NEW.chain_hash IS NULL"
        " BEGIN SELECT RAISE(ABORT, 'an audit line must carry its hashes'); END"
    )


_ALERT_KINDS = ("'lone_worker', 'safeguarding', 'interpreter', 'hearing', 'sight', 'speech',"
                " 'other_communication'")
_CODE_EVENTS = ("'referral', 'first_contact', 'declined', 'plan_agreed', 'plan_reviewed',"
                " 'closure'")

M0013_SQL = f"""
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL UNIQUE REFERENCES episodes(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    referrer_name TEXT NOT NULL DEFAULT '',
    referrer_role TEXT NOT NULL DEFAULT '',
    referrer_organisation TEXT NOT NULL DEFAULT '',
    referrer_phone TEXT NOT NULL DEFAULT '',
    referrer_email TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'urgent')),
    what_matters TEXT NOT NULL DEFAULT '',
    consent_to_share INTEGER NOT NULL CHECK (consent_to_share IN (0, 1)),{_COMMON}
);
CREATE INDEX referrals_person ON referrals(person_id);

CREATE TABLE safety_alerts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL CHECK (kind IN ({_ALERT_KINDS})),
    detail TEXT NOT NULL DEFAULT '',
    raised_on TEXT NOT NULL,
    raised_by TEXT NOT NULL DEFAULT '',
    show_on_plan INTEGER NOT NULL DEFAULT 0 CHECK (show_on_plan IN (0, 1)),
    ended_on TEXT,{_COMMON}
);
CREATE INDEX safety_alerts_person ON safety_alerts(person_id, ended_on);

CREATE TABLE measure_scores (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    date TEXT NOT NULL,
    measure_code TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    item_id TEXT NOT NULL,
    score INTEGER NOT NULL,{_COMMON},
    UNIQUE (session_id, measure_code, item_id)
);
CREATE INDEX measure_scores_person ON measure_scores(person_id, measure_code, date);
CREATE INDEX measure_scores_date ON measure_scores(measure_code, date, person_id);

CREATE TABLE gp_messages (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    occasion TEXT NOT NULL CHECK (occasion IN ('first_contact', 'update', 'closure')),
    written_on TEXT NOT NULL,
    written_by TEXT NOT NULL DEFAULT '',
    written_by_role TEXT NOT NULL DEFAULT '',
    consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
    text TEXT NOT NULL,{_COMMON}
);
CREATE INDEX gp_messages_episode ON gp_messages(episode_id, written_on);

CREATE TABLE code_list (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL {_ROLE.format(col="role")},
    event TEXT NOT NULL CHECK (event IN ({_CODE_EVENTS})),
    sctid TEXT NOT NULL CHECK (length(sctid) BETWEEN 6 AND 18),
    term TEXT NOT NULL CHECK (length(trim(term)) > 0),
    shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    source TEXT NOT NULL DEFAULT '',{_COMMON},
    UNIQUE (role, event, sctid)
);
"""

# A PCN's own rows of the GP codes table, as role and event of the code list.
_M0013_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "splw_first_contact": (("splw", "first_contact"),),
    "cc_first_contact": (("cc", "first_contact"),),
    "hwbc_first_contact": (("hwbc", "first_contact"),),
    "splw_declined": (("splw", "declined"),),
    "any_first_contact": tuple((r, "first_contact") for r in ("splw", "cc", "hwbc")),
    "any_declined": tuple((r, "declined") for r in ("splw", "cc", "hwbc")),
    "closed": tuple((r, "closure") for r in ("splw", "cc", "hwbc")),
}


@migrations(name="0013_national_standards")
def m0013_national_standards(db: Database) -> None:
    """Add the tables of the national standards: a referral per episode (the standard's
    referral model), people's safety alerts, the scores of a PCN's measures, the letters
    sent to the GP, and the code list (codes per role and event).

    The code list starts with the two shipped codes and the PCN's own rows of `gp_codes`
    whose rule names a role and an event (its `custom` codes, picked by hand, stay there
    only); `gp_codes` is left as it was.
    """
    _run_script(db, M0013_SQL)
    for code, term, rule in SHIPPED_GP_CODES:
        role, _, event = rule.partition("_")
        db.execute(
            "INSERT INTO code_list (id, role, event, sctid, term, shipped, source, created_at,"
            " updated_at, device_id) VALUES (?, ?, ?, ?, ?, 1, 'ARRS Desktop', ?, ?, 'shipped')",
            [f"shipped-{role}-{event}-{code}", role, event, code, term, _SHIPPED_AT,
             _SHIPPED_AT])
    rows = db.execute("SELECT id, code, term, applies_to, created_at, updated_at, device_id"
                      " FROM gp_codes WHERE shipped = 0 ORDER BY code").fetchall()
    for gp_id, code, term, rule, created, updated, device in rows:
        for role, event in _M0013_RULES.get(rule, ()):
            if not (6 <= len(code) <= 18) or not term.strip():
                continue
            db.execute(
                "INSERT OR IGNORE INTO code_list (id, role, event, sctid, term, shipped, source,"
                " created_at, updated_at, device_id) VALUES (?, ?, ?, ?, ?, 0, 'GP codes table',"
                " ?, ?, ?)",
                [f"{gp_id}-{role}-{event}", role, event, code, term, created, updated, device])


# The laptop's side of team sync (arrs_desktop/team/outbox.py). Frozen here as released;
# a later change to the team tables is a migration of its own.
_M0015_TEAM_SQL = """
CREATE TABLE team_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    entry_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX team_outbox_row ON team_outbox(table_name, row_id);
CREATE TABLE team_sync (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE team_rows (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    owner TEXT,
    state_json TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
CREATE INDEX team_rows_owner ON team_rows(owner) WHERE owner IS NOT NULL;
CREATE TABLE team_tombstones (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    person_id TEXT,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
CREATE TABLE team_person_events (
    change_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    other_id TEXT,
    hlc TEXT NOT NULL,
    author TEXT NOT NULL
);
CREATE TABLE team_conflicts (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    column_name TEXT NOT NULL,
    change_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT NOT NULL,
    value_json TEXT,
    winner_change_id TEXT,
    winner_value_json TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id, column_name, change_id)
);
DROP INDEX IF EXISTS people_nhs_number;
CREATE INDEX people_nhs_number ON people(nhs_number) WHERE nhs_number IS NOT NULL;
"""


@migrations(name="0015_team_sync")
def m0015_team_sync(db: Database) -> None:
    """The team tables: the outbox, the cursor and clock, each synced row's merge state,
    tombstones, person decisions (erasures, merges, two different people) and conflicts.

    The NHS number's index stops being unique: two laptops apart may each add the same
    person until someone merges them (the store still refuses a duplicate typed here).
    """
    for statement in _M0015_TEAM_SQL.split(";"):
        if statement.strip():
            db.execute(statement)


# The other devices' audit lines, pulled from the team (arrs_desktop/team/audit_sync.py).
# Kept apart from this laptop's own chained `audit_log`; added only, never deleted, and
# only an erasure changes a line (its values).
_M0016_TEAM_AUDIT_SQL = """
CREATE TABLE team_audit (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    server_seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    person_id TEXT,
    before_json TEXT,
    after_json TEXT,
    pushed_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;
CREATE INDEX team_audit_person ON team_audit(person_id, at);
CREATE INDEX team_audit_at ON team_audit(at);
CREATE TRIGGER team_audit_no_update BEFORE UPDATE OF device_id, seq, server_seq, at, who,
    action, table_name, row_id, person_id, pushed_by ON team_audit
BEGIN SELECT RAISE(ABORT, 'team_audit is append-only'); END;
CREATE TRIGGER team_audit_no_delete BEFORE DELETE ON team_audit
BEGIN SELECT RAISE(ABORT, 'team_audit is append-only'); END;
"""


@migrations(name="0016_team_audit")
def m0016_team_audit(db: Database) -> None:
    """The team's audit lines: the other devices' lines pulled from the team server, keyed
    by device and line number, never chained here (this laptop's own log stays as it is).
    """
    _run_script(db, _M0016_TEAM_AUDIT_SQL)


def known_migration_names() -> list[str]:
    """Return the names of every migration this version knows, in order."""
    return [m.name for m in migrations._migrations]
