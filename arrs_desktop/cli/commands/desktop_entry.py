"""`arrs install-desktop-entry [--remove]`: ARRS Desktop in a Linux desktop's application menu."""

from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `install-desktop-entry` subcommand."""
    p = sub.add_parser(
        "install-desktop-entry",
        help="put ARRS Desktop in this Linux user's application menu (--remove takes it out)",
        description="Put ARRS Desktop and its icon in your application menu (for you only: "
                    "under $XDG_DATA_HOME, ~/.local/share by default). Linux desktops only.",
    )
    p.add_argument("--remove", action="store_true",
                   help="take the menu entry and the icon out again")
    p.set_defaults(func=run)


def run(args) -> int:
    """Install or remove the entry and say which files were written or removed."""
    from arrs_desktop import paths
    from arrs_desktop.tools import desktop_entry

    if not sys.platform.startswith("linux"):
        print("arrs install-desktop-entry: only for Linux desktops; on Windows and macOS the "
              "standalone build puts ARRS Desktop in the Start menu or Applications folder "
              "(see docs/install.md).", file=sys.stderr)
        return 2
    if args.remove:
        removed = desktop_entry.remove()
        if not removed:
            print(f"No ARRS Desktop menu entry to remove under {paths.xdg_data_home()}.")
            return 0
        for path in removed:
            print(f"Removed {path}")
        print("ARRS Desktop is no longer in your application menu.")
        return 0
    try:
        written = desktop_entry.install()
    except (desktop_entry.DesktopEntryError, OSError) as exc:
        print(f"arrs install-desktop-entry: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Wrote {path}")
    print("ARRS Desktop is in your application menu (it may take a moment to appear).")
    return 0
