"""`arrs bench`: time the window on a large synthetic caseload against its targets."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    """Add the `bench` subcommand."""
    p = sub.add_parser(
        "bench",
        help="time the window on a large synthetic caseload (never your real data)",
        description="Build (or reuse) a synthetic caseload and time opening, searching, "
                    "filtering, opening a person, role matching, logging a session and the "
                    "month's reports, each against its target and its bare-SQL floor.",
    )
    p.add_argument("--people", type=int, default=100_000,
                   help="people on the synthetic caseload (default 100000)")
    p.add_argument("--db", help="caseload file to use or build (default: a file in the "
                                "bench cache folder; the bench adds a few sessions to it)")
    p.add_argument("--runs", type=int, default=5, help="runs per figure; the median is shown")
    p.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    p.add_argument("--plain", action="store_true",
                   help="build and measure a plain (unencrypted) caseload, to compare: every "
                        "caseload the app makes is encrypted")
    p.add_argument("--team", action="store_true",
                   help="time team sync instead, against a PostgreSQL server the bench starts"
                        " (a day's work pushed and pulled, the window's pauses during a sync,"
                        " a new laptop joining a team of --people)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run the bench and print the figures."""
    from arrs_desktop.tools.bench import BenchError, format_report, run_bench

    if args.people < 1 or args.runs < 1:
        print("arrs bench: --people and --runs must be 1 or more", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.team:
        from arrs_desktop.team.local_server import PostgresUnavailable
        from arrs_desktop.tools.team_bench import format_team_report, run_team_bench

        try:
            team = run_team_bench(args.people, args.runs, log=log, db=args.db)
        except PostgresUnavailable as exc:
            print(f"arrs bench: {exc}", file=sys.stderr)
            return 1
        print(json.dumps(team, indent=2, sort_keys=True) if args.json
              else format_team_report(team))
        return 0
    try:
        result = run_bench(args.people, args.db, runs=args.runs, log=log, plain=args.plain)
    except BenchError as exc:
        print(f"arrs bench: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(format_report(result))
    return 0
