"""ARRS Desktop: caseload log and role matching for the personalised-care roles."""

# The one place the version is written: pyproject.toml reads it from here when a wheel is
# built (so the installed metadata agrees), `arrs --version`, `arrs-desktop --version` and
# Help > About show it, and CHANGELOG.md has a section for it.
__version__ = "0.2.0.dev0"
