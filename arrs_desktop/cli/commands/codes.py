"""`arrs codes`: the PCN's code list (codes to record in the GP system per role and event).

`arrs codes import` reads the PCN's own CSV (`role,event,sctid,term`) or NHS England's RF2
refset with its descriptions and a mapping CSV; every SNOMED CT id is checked (check digit
and partition) and every wrong line is named. A file with any wrong line imports nothing
and the command exits non-zero. `arrs codes list` prints the list in use.
"""

from __future__ import annotations

import sys
from pathlib import Path

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `codes` subcommand and its own subcommands."""
    p = sub.add_parser("codes", help="import or list the PCN's code list (SNOMED CT)",
                       description="The codes to record in the GP system when an event "
                       "happens in an episode of a role.")
    inner = p.add_subparsers(dest="codes_command", metavar="{import,list}")
    inner.required = True
    imp = inner.add_parser(
        "import", help="replace the PCN's codes with a code list file",
        description="Import a code list: the PCN's CSV with columns role,event,sctid,term, "
        "or NHS England's RF2 simple refset (--refset) with its description file "
        "(--descriptions) and a mapping CSV (--map: refset_id,role,event[,name]). The "
        "shipped codes stay. Any wrong line and nothing is imported (exit status 1).")
    imp.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(imp)
    imp.add_argument("file", nargs="?", help="the PCN's code list CSV")
    imp.add_argument("--refset", help="NHS England's RF2 simple refset file (der2_Refset_…)")
    imp.add_argument("--map", dest="mapping", help="the mapping CSV: refset_id,role,event")
    imp.add_argument("--descriptions", help="the RF2 description file (sct2_Description_…)")
    imp.set_defaults(func=run_import)
    lst = inner.add_parser("list", help="print the code list in use")
    lst.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(lst)
    lst.set_defaults(func=run_list)


def _load(args):
    from arrs_desktop.standards.codes import read_code_list, read_refset

    rf2 = (args.refset, args.mapping, args.descriptions)
    if args.file and any(rf2):
        raise ValueError("give either a CSV file or --refset, --map and --descriptions")
    if args.file:
        return read_code_list(args.file)
    if not all(rf2):
        raise ValueError("give a code list CSV, or all of --refset, --map and --descriptions")
    return read_refset(args.refset, args.mapping, args.descriptions)


def _open(args, command: str):
    from arrs_desktop.store import StoreOpenError, open_store

    path = resolve_db_path(args.db)
    if not Path(path).exists():
        print(f"arrs codes {command}: {path} does not exist", file=sys.stderr)
        return None
    try:
        session = sign_in_for_command(path, args)
        return open_store(path, user=session.account_name if session else "codes")
    except StoreOpenError as exc:
        print(f"arrs codes {command}: {exc}", file=sys.stderr)
        return None


def run_import(args) -> int:
    """Read the files; import the codes only when every line was right."""
    from arrs_desktop.app.operations.standards import import_code_list
    from arrs_desktop.settings import load_settings

    try:
        load = _load(args)
    except ValueError as exc:
        print(f"arrs codes import: {exc}", file=sys.stderr)
        return 2
    if not load.ok:
        print(f"arrs codes import: {len(load.problems)} wrong line(s); nothing was imported:",
              file=sys.stderr)
        for message in load.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    store = _open(args, "import")
    if store is None:
        return 1
    try:
        if store.user == "codes":
            store.user = load_settings().user_name or "codes"
        written = import_code_list(store, load).value
        rows = store.code_list.all()
    finally:
        store.close()
    print(f"Imported {written} codes from {', '.join(load.sources)}; the list now holds "
          f"{len(rows)} codes (the shipped ones included):")
    _print(rows)
    return 0


def _print(rows) -> None:
    from arrs_desktop.domain import catalogue
    from arrs_desktop.standards.codes import EVENTS

    for r in rows:
        known = catalogue.ROLES_BY_CODE.get(r["role"])
        role = known.short_name if known else r["role"]
        print(f"  {role:<18} {EVENTS.get(r['event'], r['event']):<34} {r['sctid']:<18} "
              f"{r['term']}{'  (shipped)' if r['shipped'] else ''}")


def run_list(args) -> int:
    """Print the code list in use."""
    store = _open(args, "list")
    if store is None:
        return 1
    try:
        rows = store.code_list.all()
    finally:
        store.close()
    _print(rows)
    return 0
