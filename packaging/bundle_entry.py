"""The standalone bundle's one program, installed under two names that share a folder.

`arrs-desktop` (arrs-desktop.exe, ARRS Desktop.app) opens the window; `arrs` (arrs.exe) is
the command line. Both are built from this file by packaging/arrs-desktop.spec, so they share
every library in the bundle; the name the program was started as picks which one runs.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    """Run the window or the command line, by the name of the program that was started."""
    if Path(sys.executable).stem.lower() == "arrs":
        from arrs_desktop.cli import main as run
    else:
        from arrs_desktop.ui.shell.app import main as run
    return run()


if __name__ == "__main__":
    sys.exit(main())
