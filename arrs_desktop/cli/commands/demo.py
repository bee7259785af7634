"""`arrs demo`: fill a database with a synthetic caseload."""

from __future__ import annotations

import argparse
import sys

from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `demo` subcommand."""
    p = sub.add_parser("demo", help="make a synthetic demo caseload (never real data)")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--people", type=int, default=300, help="how many people (default 300)")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same caseload)")
    p.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=None,
                   help="write in bulk batches with one audit line per batch (default: only "
                        "above 5,000 people); large caseloads carry years of history")
    p.set_defaults(func=run)


def run(args) -> int:
    """Build the demo caseload."""
    from arrs_desktop.store import StoreOpenError, open_store
    from arrs_desktop.tools.demo import BULK_THRESHOLD, build_demo, build_demo_bulk

    if args.people < 0:
        print("arrs demo: --people must be 0 or more", file=sys.stderr)
        return 2
    path = resolve_db_path(args.db)
    try:
        store = open_store(path, user="demo")
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
    return 0
