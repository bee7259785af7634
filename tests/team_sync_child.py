"""Run by the kill tests: one `sync_team` of a caseload file that says "page" after each page
pushed or pulled, so the test can kill it in the middle of its work."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arrs_desktop.app.operations import team as team_ops  # noqa: E402
from arrs_desktop.store import open_store  # noqa: E402
from arrs_desktop.team import server  # noqa: E402


def main() -> None:
    store = open_store(sys.argv[1], user="Kill Test", device_id=sys.argv[2])
    push, apply = server.push, store.team.apply_page

    def pushed(*args, **kwargs):
        result = push(*args, **kwargs)
        print("page", flush=True)
        return result

    def applied(*args, **kwargs):
        result = apply(*args, **kwargs)
        print("page", flush=True)
        return result

    server.push = pushed
    store.team.apply_page = applied  # type: ignore[method-assign]
    print("syncing", flush=True)
    team_ops.sync_team(store, page=int(sys.argv[3]))
    print("synced", flush=True)
    store.close()


if __name__ == "__main__":
    main()
