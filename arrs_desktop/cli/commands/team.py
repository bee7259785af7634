"""`arrs team ...` and `arrs sync`: one caseload for the whole team, through PostgreSQL.

- `arrs team init --server URL` creates or upgrades the team schema (run as the database's
  administrator; the password comes from libpq's usual sources).
- `arrs team add-member --server URL --login NAME` / `remove-member`: a worker's login role.
- `arrs team join --db PATH --server URL`: link a caseload file to the team (push what it
  holds, pull what the team holds); the worker's password is kept in the caseload.
- `arrs sync --db PATH`: push then pull; prints `pushed N, pulled M, conflicts K`.
- `arrs team status --db PATH [--json]`, `arrs team conflicts --db PATH [--json]`.
- `arrs team leave --db PATH [--yes]`: take the file out of its team (it keeps its rows).

The PostgreSQL driver is imported only when one of these runs.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Any

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path

EXIT_UNREACHABLE = 3  # the server could not be reached: nothing lost, try again later
PASSWORD_ENV = "ARRS_MEMBER_PASSWORD"


def register(sub) -> None:
    """Add `team` (with its own subcommands) and `sync`."""
    team = sub.add_parser("team", help="link caseloads to the team's PostgreSQL server")
    tsub = team.add_subparsers(dest="team_command", metavar="TEAM_COMMAND")
    team.set_defaults(func=lambda args: (team.print_help(), 2)[1])

    p = tsub.add_parser("init", help="create or upgrade the team schema on the server")
    p.add_argument("--server", required=True, help="libpq connection string or URL")
    p.add_argument("--team-role", default=None,
                   help="the team's PostgreSQL role (default arrs_team_members)")
    p.set_defaults(func=run_init)

    p = tsub.add_parser("join", help="link a caseload file to the team and sync it")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--server", required=True,
                   help="libpq connection string or URL, with this worker's login")
    add_secret_options(p)
    p.set_defaults(func=run_join)

    p = tsub.add_parser("status", help="server, last sync, changes waiting, open conflicts")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_secret_options(p)
    p.set_defaults(func=run_status)

    p = tsub.add_parser("conflicts", help="list the changes made on two laptops at once")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_secret_options(p)
    p.set_defaults(func=run_conflicts)

    p = tsub.add_parser("add-member", help="give a worker a login to the team")
    p.add_argument("--server", required=True, help="the administrator's connection string")
    p.add_argument("--login", required=True, help="the worker's PostgreSQL login name")
    p.add_argument("--name", default="", help="the worker's name, as the team knows them")
    p.set_defaults(func=run_add_member)

    p = tsub.add_parser("remove-member", help="take a worker out of the team")
    p.add_argument("--server", required=True, help="the administrator's connection string")
    p.add_argument("--login", required=True, help="the worker's PostgreSQL login name")
    p.set_defaults(func=run_remove_member)

    p = tsub.add_parser("leave", help="take a caseload file out of its team")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--yes", action="store_true",
                   help="leave even if changes have not been sent to the team yet")
    add_secret_options(p)
    p.set_defaults(func=run_leave)

    p = sub.add_parser("sync", help="push this laptop's changes, then pull the team's")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.set_defaults(func=run_sync)


def _say(command: str, message: str) -> None:
    print(f"arrs {command}: {message}", file=sys.stderr)


def _worker() -> str:
    """The author of this laptop's changes: the configured worker (the signed-in account
    once there is one), else the computer's user name."""
    from arrs_desktop.settings import load_settings

    return load_settings().user_name or getpass.getuser()


def _open(args, **options):
    """Sign in (an encrypted caseload) and open the store; the author of this laptop's
    changes is the signed-in account, else the configured worker."""
    from arrs_desktop.store import open_store

    path = resolve_db_path(args.db)
    session = sign_in_for_command(path, args)
    user = session.account_name if session is not None else _worker()
    return open_store(path, user=user, **options)


def _admin(command: str, server_url: str):
    from arrs_desktop.team import server

    conninfo, password = server.split_password(server_url)
    return server.connect(conninfo, password)


def _team_failure(command: str, exc: BaseException) -> int | None:
    """Print the one line for a team failure; return the exit code (None: not one)."""
    from arrs_desktop.app.operations import team as team_ops

    if isinstance(exc, team_ops.ServerUnreachable):
        _say(command, f"{exc} Nothing is lost: the changes wait on this laptop.")
        return EXIT_UNREACHABLE
    if isinstance(exc, team_ops.TeamSyncError):
        _say(command, str(exc))
        return 1
    from arrs_desktop.team import server

    mapped = exc if isinstance(exc, server.TeamServerError) else server.driver_error(exc)
    if isinstance(mapped, server.ServerUnreachable):
        _say(command, str(mapped))
        return EXIT_UNREACHABLE
    if mapped is not None:
        _say(command, str(mapped))
        return 1
    return None


def run_init(args) -> int:
    from arrs_desktop.team import server

    try:
        conn = _admin("team init", args.server)
        try:
            version = server.migrate(conn, team_role=args.team_role or server.DEFAULT_TEAM_ROLE)
            role = server.team_role(conn)
            conn.commit()
        finally:
            conn.close()
    except Exception as exc:
        code = _team_failure("team init", exc)
        if code is None:
            raise
        return code
    print(f"Team schema {version} ready; team role {role}.")
    return 0


def _member_password() -> str:
    """The new member's password: $ARRS_MEMBER_PASSWORD, a prompt, or a line on stdin."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        first = getpass.getpass("New member's password: ")
        if first != getpass.getpass("Again: "):
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def run_add_member(args) -> int:
    from arrs_desktop.team import server

    try:
        password = _member_password()
    except ValueError as exc:
        _say("team add-member", str(exc))
        return 1
    if len(password) < 12:
        _say("team add-member", "give the member a password of at least 12 characters"
             f" (in ${PASSWORD_ENV}, typed, or on standard input)")
        return 1
    try:
        conn = _admin("team add-member", args.server)
        try:
            server.add_member(conn, args.login, password, args.name)
            conn.commit()
        finally:
            conn.close()
    except Exception as exc:
        code = _team_failure("team add-member", exc)
        if code is None:
            raise
        return code
    print(f"{args.login} is a member of the team.")
    return 0


def run_remove_member(args) -> int:
    from arrs_desktop.team import server

    try:
        conn = _admin("team remove-member", args.server)
        try:
            server.remove_member(conn, args.login)
            conn.commit()
        finally:
            conn.close()
    except Exception as exc:
        code = _team_failure("team remove-member", exc)
        if code is None:
            raise
        return code
    print(f"{args.login} can no longer sync with the team.")
    return 0


def run_join(args) -> int:
    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.domain.validation import ValidationError

    store = _open(args, backup_on_open=True)
    try:
        try:
            result = team_ops.join_team(store, args.server).value
        except ValidationError as exc:
            _say("team join", exc.errors[exc.field])
            return 1
        except Exception as exc:
            code = _team_failure("team join", exc)
            if code is None:
                raise
            return code
        print(f"Joined the team at {store.team.server()}.")
        print(result.summary())
    finally:
        store.close()
    return 0


def run_leave(args) -> int:
    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.domain.validation import ValidationError

    store = _open(args)
    try:
        if not store.team.linked():
            _say("team leave", "this caseload is not in a team")
            return 1
        waiting = store.team.waiting_count()
        if waiting and not args.yes:
            _say("team leave", f"{waiting} change{'s' if waiting != 1 else ''} made here"
                 " have not reached the team yet: run `arrs sync` first, or add --yes to"
                 " leave without them")
            return 1
        server = store.team.server()
        try:
            dropped = team_ops.leave_team(store).value
        except ValidationError as exc:
            _say("team leave", exc.errors[exc.field])
            return 1
    finally:
        store.close()
    print(f"Left the team at {server}; the caseload stays on this laptop and no longer"
          " syncs.")
    if dropped:
        print(f"{dropped} change{'s' if dropped != 1 else ''} not sent to the team"
              " were dropped.")
    return 0


def run_sync(args) -> int:
    from arrs_desktop.app.operations import team as team_ops

    store = _open(args, backup_on_open=True)
    try:
        try:
            result = team_ops.sync_team(store).value
        except Exception as exc:
            code = _team_failure("sync", exc)
            if code is None:
                raise
            return code
        print(result.summary())
    finally:
        store.close()
    return 0


def _status_json(store) -> dict[str, Any]:
    status = store.team.status()
    return {"server": status.server or None, "last_sync": status.last_sync_at,
            "last_result": status.last_result or None, "last_error": status.last_error or None,
            "changes_waiting": status.waiting, "open_conflicts": status.conflicts,
            "possible_duplicates": status.duplicates, "cursor": status.cursor}


def run_status(args) -> int:
    store = _open(args)
    try:
        data = _status_json(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    if not data["server"]:
        print("Not in a team: link this caseload with `arrs team join --db PATH --server URL`.")
        return 0
    print(f"Server:              {data['server']}")
    print(f"Last sync:           {data['last_sync'] or 'never'}"
          + (f" ({data['last_result']})" if data["last_result"] else ""))
    if data["last_error"]:
        print(f"Last attempt failed: {data['last_error']}")
    print(f"Changes waiting:     {data['changes_waiting']}")
    print(f"Open conflicts:      {data['open_conflicts']}")
    print(f"Possible duplicates: {data['possible_duplicates']}")
    return 0


def _conflict_json(c) -> dict[str, Any]:
    return {"kind": c.kind, "table": c.table, "row_id": c.row_id, "column": c.column,
            "change_id": c.change_id, "at": c.hlc.to_text(), "author": c.author,
            "value": c.value, "winner_change_id": c.winner_change_id,
            "winner_value": c.winner_value, "reason": c.reason}


def run_conflicts(args) -> int:
    from arrs_desktop.store.team_link import conflict_text

    store = _open(args)
    try:
        found = store.team.conflicts()
        duplicates = store.team.possible_duplicates()
    finally:
        store.close()
    if args.json:
        print(json.dumps({"conflicts": [_conflict_json(c) for c in found],
                          "possible_duplicates": [
                              {"first_id": d.first_id, "second_id": d.second_id,
                               "reason": d.reason} for d in duplicates]}, indent=2))
        return 0
    if not found and not duplicates:
        print("No conflicts and no possible duplicates.")
        return 0
    for c in found:
        print(f"{c.table} {c.row_id} {c.column}: kept {conflict_text(c.winner_value)!r},"
              f" not {conflict_text(c.value)!r} by {c.author or 'someone'} ({c.reason})")
    for d in duplicates:
        why = "same NHS number" if d.reason == "nhs_number" else "same name and date of birth"
        print(f"possible duplicate: {d.first_id} and {d.second_id} ({why})")
    return 0
