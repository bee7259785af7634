"""One caseload for the whole team: the change log, the merge rule and the team server.

Pure Python. Nothing here imports Qt, and the PostgreSQL driver is imported only by
`arrs_desktop.team.server` when a caseload actually talks to its team server.
"""
