"""`arrs plan`: write a person's personalised care and support plan as a PDF."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import care_plan_file, documents_dir, resolve_db_path
from arrs_desktop.private_files import caseload_clash


def register(sub) -> None:
    """Add the `plan` subcommand."""
    p = sub.add_parser("plan", help="write a person's care and support plan as a PDF")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--person", required=True, help="the person's id")
    p.add_argument("--out", help="PDF file to write, or a folder to write it into (default: "
                   "your documents folder); the file name chosen for you is "
                   "care-plan-YYYY-MM-DD.pdf, never the person's name")
    p.set_defaults(func=run)


def run(args) -> int:
    """Write the PDF."""
    from arrs_desktop.reports.care_plan import build_care_plan
    from arrs_desktop.settings import load_settings
    from arrs_desktop.store import StoreOpenError, open_store

    path = resolve_db_path(args.db)
    if not Path(path).exists():
        print(f"arrs plan: {path} does not exist", file=sys.stderr)
        return 1
    out = Path(args.out).expanduser() if args.out else documents_dir()
    if out.is_dir():
        out = care_plan_file(out)
    elif not out.parent.is_dir():
        print(f"arrs plan: --out {out}: the folder {out.parent} does not exist",
              file=sys.stderr)
        return 2
    clash = caseload_clash(out, path)
    if clash:
        print(f"arrs plan: --out {out}: {clash}; choose another file. Nothing was written.",
              file=sys.stderr)
        return 2
    try:
        session = sign_in_for_command(path, args)
        store = open_store(path, user=session.account_name if session else "plan")
    except StoreOpenError as exc:
        print(f"arrs plan: {exc}", file=sys.stderr)
        return 1
    try:
        try:
            settings = load_settings()  # the practice and its phone go under "Who to contact"
            plan = build_care_plan(store, args.person, practice=settings.practice,
                                   practice_phone=settings.practice_phone)
        except KeyError:
            print(f"arrs plan: no person with id {args.person!r} on {path.name}",
                  file=sys.stderr)
            return 1
    finally:
        store.close()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no display
    from arrs_desktop.ui.person.care_plan_pdf import ensure_gui_application, write_care_plan_pdf

    app = ensure_gui_application()  # noqa: F841 - keeps the application alive while printing
    try:
        written = write_care_plan_pdf(plan, out)
    except (OSError, RuntimeError) as exc:
        print(f"arrs plan: {exc}", file=sys.stderr)
        return 1
    from arrs_desktop.reports.export import PLAIN_FILE_NOTE

    print(f"Wrote {written}")
    print(PLAIN_FILE_NOTE)
    return 0
