"""`arrs demo`: make a new, encrypted caseload filled with synthetic people.

The demo caseload has one account, `Amara Osei`, one of its own link workers (so "My
caseload" shows her people), who may manage accounts.
Its passphrase is `$ARRS_PASSPHRASE` when that is set; otherwise one is made up and written
to `<file>.passphrase` beside the caseload, readable by you only, for `--passphrase-file`.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from arrs_desktop.paths import resolve_db_path

DEMO_ROLE = "splw"
_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing that reads as another character


def register(sub) -> None:
    """Add the `demo` subcommand."""
    p = sub.add_parser("demo", help="make a synthetic demo caseload (never real data), "
                                    "encrypted, with one account named in the output")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--people", type=int, default=300, help="how many people (default 300)")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same caseload)")
    p.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=None,
                   help="write in bulk batches with one audit line per batch (default: only "
                        "above 5,000 people); large caseloads carry years of history")
    p.set_defaults(func=run)


def demo_account() -> str:
    """Return the demo's account: its first link worker."""
    from arrs_desktop.tools.demo import WORKERS

    return WORKERS[DEMO_ROLE][0]


def passphrase_file_of(path: Path) -> Path:
    """Where a made-up demo passphrase is written: beside the caseload."""
    return path.with_name(path.name + ".passphrase")


def made_up_passphrase() -> str:
    """Return a random passphrase of 16 letters and digits in four groups (about 79 bits)."""
    return "-".join("".join(secrets.choice(_LETTERS) for _ in range(4)) for _ in range(4))


def run(args) -> int:
    """Build the demo caseload."""
    import os

    from arrs_desktop.access.secret_source import PASSPHRASE_ENV
    from arrs_desktop.access.session import create_caseload, is_encrypted
    from arrs_desktop.cli.caseload_access import _sessions, plain_allowed
    from arrs_desktop.private_files import write_private_bytes
    from arrs_desktop.store import StoreOpenError, open_store
    from arrs_desktop.tools.demo import BULK_THRESHOLD, build_demo, build_demo_bulk

    if args.people < 0:
        print("arrs demo: --people must be 0 or more", file=sys.stderr)
        return 2
    path = resolve_db_path(args.db)
    told = ""
    if plain_allowed():  # the test suite, and `arrs bench --plain`: a plain file
        session = None
    elif path.exists() or is_encrypted(path):
        print(f"arrs demo: {path} is already there; a demo caseload is made in a new file.",
              file=sys.stderr)
        return 1
    else:
        passphrase = os.environ.get(PASSPHRASE_ENV, "")
        if passphrase:
            told = f"its passphrase is the one in ${PASSPHRASE_ENV}"
        else:
            passphrase = made_up_passphrase()
            where = passphrase_file_of(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private_bytes(where, (passphrase + "\n").encode("ascii"))
            told = (f"its passphrase is in {where} (readable by you only; use "
                    f"--passphrase-file {where})")
        session, recovery = create_caseload(path, name=demo_account(), role=DEMO_ROLE,
                                            passphrase=passphrase)
        _sessions.append(session)
    try:
        store = open_store(path, user=demo_account() if session else "demo")
    except StoreOpenError as exc:
        print(f"arrs demo: {exc}", file=sys.stderr)
        return 1
    try:
        if store.people.count() > 0:
            print(f"arrs demo: {path} already has people on it; use a new file.",
                  file=sys.stderr)
            return 1
        bulk = args.bulk if args.bulk is not None else args.people > BULK_THRESHOLD
        build = build_demo_bulk if bulk else build_demo
        summary = build(store, args.people, seed=args.seed)
    finally:
        store.close()
    print(f"Made a demo caseload in {path}: {summary.people} people, {summary.episodes} "
          f"episodes, {summary.sessions} sessions, {summary.goals} goals.")
    if session is not None:
        print(f"It is encrypted. Sign in as {demo_account()} (link worker, may manage "
              f"accounts): {told}. Recovery key: {recovery.formatted()}")
    return 0
