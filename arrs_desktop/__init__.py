"""ARRS Desktop: caseload log and role matching for the personalised-care roles."""

__version__ = "0.1.0"
