"""`arrs export`: write the period's report tables and people-level extract to files."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.domain import catalogue
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `export` subcommand."""
    p = sub.add_parser(
        "export",
        help="write report tables and the people-level extract (CSV or XLSX)",
        description="Write one file per report table, plus the people-level extract shaped "
        "to the social prescribing minimum dataset, for a period (default: last month).",
    )
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--out", required=True, help="folder to write the files into")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help="file format (default csv)")
    p.add_argument("--from", dest="date_from", metavar="D",
                   help="first day of the period, YYYY-MM-DD (default: start of last month)")
    p.add_argument("--to", dest="date_to", metavar="D",
                   help="last day of the period, YYYY-MM-DD (default: end of last month, "
                   "or today when only --from is given)")
    p.add_argument("--role", choices=catalogue.ROLE_CODES, help="only this role")
    p.add_argument("--worker", help="only this worker (name as recorded)")
    p.add_argument("--dataset", action="store_true",
                   help="write the social prescribing minimum dataset instead: one XLSX (a "
                   "sheet per group and a data dictionary) and a CSV per group, for the "
                   "episodes open in the period")
    p.set_defaults(func=run)


def parse_day(text: str, option: str) -> date:
    """Return the date given to an option, or raise ValueError naming the option."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option} must be a date like 2026-04-01 (got {text!r})") from None


def period_from_args(date_from: str | None, date_to: str | None, today: date):
    """Return the period the options ask for; raise ValueError naming the bad option."""
    from arrs_desktop.domain.periods import Period

    if date_from is None and date_to is None:
        return Period.last_month(today)
    if date_from is None:
        raise ValueError("--to needs --from as well")
    start = parse_day(date_from, "--from")
    end = parse_day(date_to, "--to") if date_to is not None else today
    if end < start:
        raise ValueError(f"--to ({end.isoformat()}) is before --from ({start.isoformat()})")
    return Period.custom(start, end)


def _failed(out: Path, exc: OSError) -> str:
    from arrs_desktop.private_files import write_reason

    return f"could not write into {out}: {write_reason(exc)}. Nothing was written."


def run(args) -> int:
    """Export the reports."""
    from arrs_desktop.domain.periods import ReportFilter
    from arrs_desktop.private_files import FileWriteError
    from arrs_desktop.reports.export import export_reports
    from arrs_desktop.store import StoreOpenError, open_store

    try:
        period = period_from_args(args.date_from, args.date_to, date.today())
    except ValueError as exc:
        print(f"arrs export: {exc}", file=sys.stderr)
        return 2
    path = resolve_db_path(args.db)
    if not Path(path).exists():
        print(f"arrs export: {path} does not exist", file=sys.stderr)
        return 1
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"arrs export: --out {out} is a file, not a folder", file=sys.stderr)
        return 2
    session = sign_in_for_command(path, args)
    try:
        store = open_store(path, user=session.account_name if session else "export")
    except StoreOpenError as exc:
        print(f"arrs export: {exc}", file=sys.stderr)
        return 1
    try:
        if args.dataset:
            from arrs_desktop.reports.dataset_export import export_minimum_dataset
            from arrs_desktop.reports.standards_records import pcn_measures

            definitions, problems = pcn_measures()
            for problem in problems:
                print(f"arrs export: measure left out: {problem}", file=sys.stderr)
            files = export_minimum_dataset(store, period, out, definitions)
        else:
            files = export_reports(store, period, out, args.format,
                                   ReportFilter(role=args.role, worker=args.worker))
    except OSError as exc:  # FileWriteError says which file and why; nothing was written
        print(f"arrs export: {exc if isinstance(exc, FileWriteError) else _failed(out, exc)}",
              file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Wrote {len(files)} files for {period.start:%d %b %Y} to {period.end:%d %b %Y} "
          f"into {out}:")
    for f in files:
        print(f"  {f.name}")
    from arrs_desktop.reports.export import PLAIN_FILES_NOTE

    print(PLAIN_FILES_NOTE)
    return 0
