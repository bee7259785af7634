"""`arrs import-people`: bring people in from a GP system search export (CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `import-people` subcommand."""
    p = sub.add_parser(
        "import-people",
        help="import people from a CSV (nhs_number,name,date_of_birth,postcode,gender "
             "plus optional need columns)",
    )
    p.add_argument("file", help="the CSV file")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--strict", action="store_true",
                   help="import nothing if any row fails")
    p.add_argument("--user", default="import", help="who to record in the audit log")
    p.set_defaults(func=run)


def run(args) -> int:
    """Read and check the file, then import it and report each refused line.

    The file is read before the caseload is opened: a file that cannot be imported at all
    (or, with --strict, has a bad row) leaves the caseload untouched, not even created.
    """
    from arrs_desktop.app.operations.imports import import_people
    from arrs_desktop.store import open_store
    from arrs_desktop.tools import importer

    source = Path(args.file)
    result, rows = importer.read_file(source)
    if result.file_error:
        print(f"arrs import-people: {result.file_error}. Nothing was imported.", file=sys.stderr)
        return 1
    if result.rows >= importer.PROGRESS_EVERY:
        print(f"Read {result.rows:,} rows of {source.name} ({result.encoding}).", flush=True)
    if rows and not (args.strict and result.problems):

        def progress(done: int, total: int) -> None:
            print(f"  {done:,} of {total:,} rows…", flush=True)

        path = resolve_db_path(args.db)
        session = sign_in_for_command(path, args, user=args.user)
        store = open_store(path, user=session.account_name if session else args.user,
                           backup_on_open=True)
        try:
            import_people(store, result, rows, strict=args.strict, progress=progress)
        finally:
            store.close()
    else:
        importer.save_rows(None, result, rows, strict=args.strict)  # sorts the problems
    for problem in result.problems:
        print(f"line {problem.line}: {problem.message}", file=sys.stderr)
    if result.problems and args.strict:
        print(f"{len(result.problems)} row(s) failed, so nothing was imported (--strict).",
              file=sys.stderr)
        return 1
    print(f"Imported {result.imported} people"
          + (f"; {len(result.problems)} row(s) not imported." if result.problems else "."))
    return 1 if result.problems else 0
