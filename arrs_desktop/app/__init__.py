"""The application layer: each user action that writes is one operation here.

An operation (app/operations/<area>.py) validates what it is given, calls the store in
one transaction and returns an `OpResult`: what it made or saved, and a frozen `Changes`
saying what changed (app/changes.py). The window puts the `Changes` on its change bus
(ui/common/change_bus.py) and each view redraws only what the flags say it shows; a
command line tool simply ignores them. Pure Python: no Qt, no SQL.
"""

from arrs_desktop.app.changes import Changes, OpResult

__all__ = ["Changes", "OpResult"]
