"""The Qt window of ARRS Desktop.

PySide6 6.12's wheels (one build for every Python from 3.10) do not count their
reference when they return None from a C++ function that returns nothing, and now and
then drop one to True or False. From Python 3.12 those objects are immortal, so it does
not matter. On Python 3.11 every `label.setText(…)`, `widget.hide()` and the like takes
one count off None, and after some tens of thousands of calls (scrolling the caseload,
opening people) Python frees None and the app aborts with "deallocating None". So on
Python before 3.12 the three singletons are given an out-of-reach count as soon as any
window module is imported, which is what 3.12 does for them.
"""

from __future__ import annotations

import sys

_SPARE_REFERENCES = 1 << 40


def _make_singletons_immortal() -> bool:
    """Give None, True and False a count no binding bug can run down; return if done."""
    if (sys.implementation.name != "cpython" or sys.version_info >= (3, 12)
            or hasattr(sys, "gettotalrefcount")):  # immortal already, or a debug build
        return False
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython
        ctypes.c_ssize_t.from_address(id(obj)).value += _SPARE_REFERENCES
    return True


SINGLETONS_IMMORTAL = _make_singletons_immortal()
