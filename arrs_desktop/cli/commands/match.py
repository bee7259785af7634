"""`arrs match`: rank the three roles for a set of needs, as text or JSON.

Exit codes: 0 with a result (also when a PCN rules file is bad: its problems go to
stderr and the shipped rules are used), 2 for an unknown need id (stderr lists the
valid ids).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys

from arrs_desktop.domain.catalogue import NEED_IDS, NEEDS_BY_ID
from arrs_desktop.domain.matching import MatchResult, Rules, load_rules, match_roles


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `match` subcommand."""
    parser = subparsers.add_parser(
        "match",
        help="rank the three roles for a set of needs",
        description=(
            "Rank the link worker, care coordinator and health coach for a person's needs. "
            "If the rules file is bad, its problems are printed to stderr and the shipped "
            "rules are used (exit code 0). An unknown need id exits with code 2."
        ),
    )
    parser.add_argument(
        "--need",
        dest="needs",
        action="append",
        default=[],
        metavar="ID",
        help="a need id from the catalogue (repeat for more): " + ", ".join(NEED_IDS),
    )
    parser.add_argument(
        "--rules",
        metavar="PATH",
        help="a PCN rules file to use instead of rules.toml in the settings folder",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run `arrs match` and return its exit code."""
    unknown = [n for n in dict.fromkeys(args.needs) if n not in NEEDS_BY_ID]
    if unknown:
        for need in unknown:
            hint = difflib.get_close_matches(need, NEED_IDS, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            print(f"arrs match: unknown need id '{need}'{extra}", file=sys.stderr)
        print("Valid need ids: " + ", ".join(NEED_IDS), file=sys.stderr)
        return 2

    loaded = load_rules(args.rules)
    for problem in loaded.problems:
        print(f"arrs match: rules problem: {problem}", file=sys.stderr)
    if loaded.problems:
        print("arrs match: using the shipped rules instead", file=sys.stderr)

    result = match_roles(args.needs, loaded.rules)
    if args.json:
        print(json.dumps(result.to_json_dict(), indent=2))
    else:
        print(format_result(result, loaded.rules))
    return 0


def format_result(result: MatchResult, rules: Rules) -> str:
    """Return the match as plain text: the needs, then each role with score and reasons."""
    lines = []
    if result.needs:
        lines.append("Needs: " + ", ".join(NEEDS_BY_ID[n].label for n in result.needs))
    lines.append(result.message)
    for match in result.roles:
        standing = result.standing(match.role)
        badge = f"  [{standing}]" if standing else ""
        lines.append("")
        lines.append(f"{match.rank}. {match.name} ({match.role}): score {match.score:g}{badge}")
        for reason in match.reasons:
            lines.append(f"   - {reason}")
        if not match.reasons and result.needs:
            lines.append("   - No evidence from these needs.")
    if len(rules.sources) > 1:
        lines.append("")
        lines.append("Rules: " + rules.sources[-1] + " (with the shipped rules for the rest)")
    return "\n".join(lines)
