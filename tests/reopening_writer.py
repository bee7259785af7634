"""A writer that opens the file for each write, as one `arrs` command after another does.

Usage: python tests/reopening_writer.py DB PERSON_ID COUNT
Prints each saved session id once its write has returned; a write refused because the file
is busy (a restore holding it) is retried.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from arrs_desktop.domain.models import Session, SessionEntry
from arrs_desktop.store import StoreBusyError, StoreOpenError, open_store


def main(argv: list[str]) -> int:
    """Write COUNT sessions, each through a store opened for it."""
    db, person_id, count = argv[0], argv[1], int(argv[2])
    print("ready", flush=True)
    n = 0
    while n < count:
        try:
            store = open_store(db, user="Writer", device_id="writer", busy_timeout_ms=200)
        except StoreOpenError:
            time.sleep(0.01)
            continue
        try:
            saved = store.sessions.log(SessionEntry(session=Session(
                person_id=person_id, date=date.today(), role="splw", kind="follow_up",
                mode="telephone", minutes=5, notes=f"write {n}")))
        except (StoreBusyError, StoreOpenError):
            time.sleep(0.01)
            continue
        finally:
            store.close()
        n += 1
        sys.stdout.write(saved.id + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
