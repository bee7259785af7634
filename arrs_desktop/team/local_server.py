"""A throw-away local PostgreSQL for the tests and `arrs bench --team`: initdb and pg_ctl
in a temporary folder.

The server refuses to run as root, so when the tests run as root it runs as an unprivileged
system user (`arrs-test`, created if missing). It listens on 127.0.0.1 only, on a free
port, with its socket in the same temporary folder; the administrator connects through that
socket without a password, team members through TCP with a password (SCRAM).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TEST_USER = "arrs-test"
ADMIN = "arrs_admin"
MIN_VERSION = 15


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be found or started for the tests."""


def find_server_bin() -> Path:
    """Return the folder holding initdb and pg_ctl of the newest PostgreSQL >= 15."""
    found: list[tuple[int, Path]] = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        match = re.search(r"/postgresql/(\d+)/bin$", folder)
        path = Path(folder)
        if match and (path / "initdb").exists() and (path / "pg_ctl").exists():
            found.append((int(match.group(1)), path))
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        path = Path(on_path).resolve().parent
        out = subprocess.run([str(path / "pg_ctl"), "--version"], capture_output=True,
                             text=True, check=False).stdout
        match = re.search(r"(\d+)", out)
        if match:
            found.append((int(match.group(1)), path))
    usable = sorted(v for v in found if v[0] >= MIN_VERSION)
    if not usable:
        raise PostgresUnavailable(
            "no PostgreSQL server (15 or later) found: looked in /usr/lib/postgresql/*/bin"
            " and on PATH for initdb and pg_ctl. scripts/setup.sh installs the Debian"
            " package 'postgresql' (run `make setup`)."
        )
    return usable[-1][1]


def _ensure_user() -> str | None:
    """Return the system user to run the server as (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(TEST_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        result = subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             TEST_USER], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"could not create the unprivileged user {TEST_USER!r} that runs the test"
                f" server (PostgreSQL refuses root): {result.stderr.strip()}") from None
    return TEST_USER


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresTestServer:
    """A running test server; `dsn()` gives connection strings for its databases."""

    bin_dir: Path
    base: Path
    port: int
    user: str | None
    started_in: float = 0.0
    _databases: int = field(default=0)

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.user is not None:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            cmd = [runuser, "-u", self.user, "--", *cmd]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                              check=False, cwd=self.base)

    def start(self) -> None:
        """Create the cluster and start the server; raise PostgresUnavailable with the log."""
        began = time.perf_counter()
        for folder in (self.data_dir, self.socket_dir):
            folder.mkdir(mode=0o700)
        if self.user is not None:
            info = pwd.getpwnam(self.user)
            for path in (self.base, self.data_dir, self.socket_dir):
                os.chown(path, info.pw_uid, info.pw_gid)
        init = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", ADMIN,
                         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                         "--locale=C", "--no-sync", "--no-instructions")
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        log = self.base / "server.log"
        started = self._pg_ctl_start()
        if started.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise PostgresUnavailable(
                f"pg_ctl start failed:\n{started.stdout}\n{started.stderr}\n{text}")
        self.started_in = time.perf_counter() - began

    def stop(self) -> None:
        """Stop the server if it runs; quick, since the data is thrown away."""
        if (self.data_dir / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                      "-w", "stop", timeout=60)

    def restart(self) -> None:
        """Stop and start the same cluster (for tests of a server going away)."""
        self.stop()
        started = self._pg_ctl_start()
        if started.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl start failed:\n{started.stderr}")

    def _pg_ctl_start(self) -> subprocess.CompletedProcess[str]:
        # Loopback only; durability is not what these throw-away servers test.
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port}"
                   f" -c unix_socket_directories={self.socket_dir}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=60 -c shared_buffers=64MB")
        return self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l",
                         str(self.base / "server.log"), "-w", "-t", "60", "-o", options,
                         "start", timeout=90)

    def admin_dsn(self, dbname: str = "postgres") -> str:
        """Return the administrator's connection string (socket, no password)."""
        return f"host={self.socket_dir} port={self.port} user={ADMIN} dbname={dbname}"

    def member_dsn(self, dbname: str, user: str, password: str) -> str:
        """Return a member's connection string (TCP on loopback, password)."""
        return (f"host=127.0.0.1 port={self.port} user={user} password={password}"
                f" dbname={dbname} connect_timeout=5")

    def create_database(self) -> str:
        """Create a new empty database and return its name."""
        import psycopg

        self._databases += 1
        name = f"team_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def cleanup(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start_test_postgres() -> PostgresTestServer:
    """Find the binaries, make the folder and user, start a server; raise if impossible."""
    bin_dir = find_server_bin()
    user = _ensure_user()
    base = Path(tempfile.mkdtemp(prefix="arrs-pg-"))
    last: PostgresUnavailable | None = None
    for _ in range(3):  # a free port can be taken between choosing and binding it
        server = PostgresTestServer(bin_dir=bin_dir, base=base, port=_free_port(), user=user)
        try:
            server.start()
            return server
        except BaseException as exc:
            if not isinstance(exc, PostgresUnavailable):
                server.stop()
                shutil.rmtree(base, ignore_errors=True)
                raise
            last = exc
            server.stop()
            with contextlib.suppress(OSError):
                shutil.rmtree(base / "data")
                shutil.rmtree(base / "socket")
    shutil.rmtree(base, ignore_errors=True)
    assert last is not None
    raise last
