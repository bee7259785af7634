"""A writer process for the crash and concurrency tests: log sessions, print each saved id.

Usage: python -m tests.crash_writer DB PERSON_ID GOAL_ID COUNT [BUSY_MS]
Prints "ready" once the store is open, then one session id per line, each only after
`log_session` has returned (the write is committed). COUNT 0 means forever.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from arrs_desktop.domain.models import Ons4, Session, SessionEntry
from arrs_desktop.store import open_store


def main(argv: list[str]) -> int:
    """Write sessions until COUNT is reached or the process is killed."""
    db, person_id, goal_id, count = argv[0], argv[1], argv[2], int(argv[3])
    busy_ms = int(argv[4]) if len(argv) > 4 else 10_000
    from arrs_desktop.access.session import is_encrypted, sign_in

    if is_encrypted(Path(db)):  # an encrypted caseload: sign in as the window would
        sign_in(Path(db), os.environ["ARRS_PASSPHRASE"])
    store = open_store(db, user="Crash Writer", device_id="crash-writer",
                       busy_timeout_ms=busy_ms)
    print("ready", flush=True)
    n = 0
    while count == 0 or n < count:
        n += 1
        entry = SessionEntry(
            session=Session(person_id=person_id, date=date.today(), role="splw",
                            kind="follow_up", mode="telephone", minutes=5 + n % 50,
                            notes=f"write {n} " + "x" * (n % 300)),
            ons4=Ons4(n % 11, (n + 1) % 11, (n + 2) % 11, (n + 3) % 11),
            goal_scores=((goal_id, n % 11, f"score {n}"),),
        )
        saved = store.sessions.log(entry)
        sys.stdout.write(saved.id + "\n")
        sys.stdout.flush()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
