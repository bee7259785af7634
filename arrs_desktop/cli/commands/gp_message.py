"""`arrs gp-message`: write the message back to the GP and referrer about an episode, as a
PDF letter or as plain text to paste into the GP record, and record it as sent."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path
from arrs_desktop.private_files import caseload_clash

OCCASIONS = ("first_contact", "update", "closure")


def register(sub) -> None:
    """Add the `gp-message` subcommand."""
    p = sub.add_parser(
        "gp-message", help="write the message back to the GP about an episode (PDF or text)",
        description="Write the message back to the GP and referrer (PRSB Social Prescribing "
        "Information Standard) for one episode, as a PDF letter (FILE.pdf) or plain text to "
        "paste into the GP record (FILE.txt), and list it on the episode as sent. With "
        "'share with GP' off it carries only the codes and the episode's dates.")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--episode", required=True, help="the episode's id")
    p.add_argument("--out", required=True, help="the file to write: FILE.pdf or FILE.txt")
    p.add_argument("--occasion", choices=OCCASIONS,
                   help="first_contact, update or closure (default: closure for a closed "
                   "or declined episode, else first_contact once it has had one, else update)")
    p.add_argument("--on", metavar="D", help="the letter's date, YYYY-MM-DD (default today)")
    p.add_argument("--note", default="", help="the worker's own words for this message")
    p.add_argument("--worker", help="who sends it (default: your name in the settings)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Write the letter and record it."""
    from dataclasses import replace

    from arrs_desktop.app.operations.standards import record_gp_message
    from arrs_desktop.domain.validation import ValidationError
    from arrs_desktop.private_files import write_private_bytes
    from arrs_desktop.reports.standards_records import (
        default_occasion,
        gp_message_for,
        pcn_measures,
        sender_from_settings,
    )
    from arrs_desktop.settings import load_settings
    from arrs_desktop.standards.gp_message import gp_message_text
    from arrs_desktop.store import StoreOpenError, open_store

    out = Path(args.out).expanduser()
    if out.suffix.lower() not in (".pdf", ".txt"):
        print(f"arrs gp-message: --out {out}: give a file ending .pdf (a letter) or .txt "
              "(text to paste into the GP record)", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"arrs gp-message: --out {out}: the folder {out.parent} does not exist",
              file=sys.stderr)
        return 2
    try:
        on = date.fromisoformat(args.on) if args.on else date.today()
    except ValueError:
        print(f"arrs gp-message: --on must be a date like 2026-04-21 (got {args.on!r})",
              file=sys.stderr)
        return 2
    path = resolve_db_path(args.db)
    if not Path(path).exists():
        print(f"arrs gp-message: {path} does not exist", file=sys.stderr)
        return 1
    clash = caseload_clash(out, path)
    if clash:
        print(f"arrs gp-message: --out {out}: {clash}; choose another file. Nothing was "
              "written.", file=sys.stderr)
        return 2
    settings = load_settings()
    try:
        session = sign_in_for_command(path, args)
        store = open_store(path, user=session.account_name if session
                           else settings.user_name or "gp-message")
    except StoreOpenError as exc:
        print(f"arrs gp-message: {exc}", file=sys.stderr)
        return 1
    try:
        episode = store.episodes.get(args.episode)
        if episode is None:
            print(f"arrs gp-message: no episode with id {args.episode!r} on {Path(path).name}",
                  file=sys.stderr)
            return 1
        sender = sender_from_settings(settings, episode)
        if args.worker:
            sender = replace(sender, worker=args.worker.strip())
        definitions, problems = pcn_measures()
        for problem in problems:
            print(f"arrs gp-message: measure left out: {problem}", file=sys.stderr)
        occasion = args.occasion or default_occasion(episode)
        try:
            message = gp_message_for(store, episode.id, occasion, sender, on,
                                     definitions=definitions, note=args.note)
        except ValidationError as exc:
            print(f"arrs gp-message: {exc}. Nothing was written.", file=sys.stderr)
            return 1
        if out.suffix.lower() == ".txt":
            write_private_bytes(out, gp_message_text(message).encode("utf-8"))
        else:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs no display
            from arrs_desktop.ui.person.care_plan_pdf import ensure_gui_application
            from arrs_desktop.ui.person.gp_message_pdf import write_gp_message_pdf

            app = ensure_gui_application()  # noqa: F841 - keeps the application alive
            try:
                write_gp_message_pdf(message, out)
            except (OSError, RuntimeError) as exc:
                print(f"arrs gp-message: {exc}", file=sys.stderr)
                return 1
        record_gp_message(store, message, sender)
    finally:
        store.close()
    consent = "" if message.consent else " (without consent: only the codes and dates)"
    print(f"Wrote {out}: {message.title}{consent}")
    for code in message.codes:
        print(f"  Code to record: {code.sctid} {code.term} ({code.on:%d %b %Y})")
    from arrs_desktop.reports.export import PLAIN_FILE_NOTE

    print(PLAIN_FILE_NOTE)
    return 0
