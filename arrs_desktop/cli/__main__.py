"""`python -m arrs_desktop.cli`: the `arrs` command line."""

import sys

from arrs_desktop.cli import main

sys.exit(main())
