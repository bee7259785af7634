"""The `arrs` command: subcommands for the caseload log without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from arrs_desktop import __version__

# Each subcommand module exposes `register(subparsers)` which adds its parser and sets
# `func` (a callable taking the parsed args and returning an exit code).
_COMMAND_MODULES = (
    "arrs_desktop.commands.backup",
    "arrs_desktop.commands.bench",
    "arrs_desktop.commands.check",
    "arrs_desktop.commands.demo",
    "arrs_desktop.commands.desktop_entry",
    "arrs_desktop.commands.export",
    "arrs_desktop.commands.import_people",
    "arrs_desktop.commands.match",
    "arrs_desktop.commands.plan",
    "arrs_desktop.commands.restore",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every available subcommand."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="arrs",
        description="ARRS Desktop: caseload log and role matching, from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"arrs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `arrs` and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    from arrs_desktop.store.base import StoreOpenError, StoreWriteError

    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except (StoreOpenError, StoreWriteError) as exc:
        print(f"arrs {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
