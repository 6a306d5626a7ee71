"""The real stack for the fault suite, all private to the run: a PostgreSQL cluster made with initdb in a temporary
folder, a redis-server, gunicorn with 3 workers, a Celery worker for notices (concurrency 2), one for the periodic
queue, and beat; each on a free port, each stopped, killed, frozen and started again by the scenarios. The shared
services (PostgreSQL on 5432, Redis on 6379) are never touched."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PASSWORD = "fault-suite-password-1"  # noqa: S105 - throw-away users of a throw-away database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found: install PostgreSQL's server package")


class Postgres:
    """A PostgreSQL cluster of our own (initdb in `folder`), run as the `postgres` user when we are root."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder.parent, 0o755)  # noqa: S103 - the postgres user goes through the run's folder
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        subprocess.run(
            [*self.as_user, pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=folder,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/qorgau"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off -c max_connections=200"
        subprocess.run(
            [
                *self.as_user,
                pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.folder / "pg.log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.folder,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.folder,
        )

    def psql(self, sql: str, database: str = "qorgau") -> str:
        result = subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


class Process:
    """A child process of the stack, with its log in the run's folder; killed, frozen, started again."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], folder: Path, port: int | None = None):
        self.name, self.command, self.env, self.folder, self.port = name, command, env, folder, port
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.folder / f"{self.name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.popen = subprocess.Popen(  # noqa: S603 - our own commands
            self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if self.port:
            wait_port(self.port)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the whole process group: the main process and its pool, as `kill -9` of a host would."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
            assert self.popen is not None
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            assert self.popen is not None
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait(timeout=30)


class Stack:
    """Everything the fault suite runs, started in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.pg = Postgres(folder / "pg")
        self.redis_port = free_port()
        self.web_port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "fault-suite-" + "x" * 60,
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "QORGAU_MEDIA_ROOT": str(folder / "media"),
            "QORGAU_2FA_REQUIRED": "0",
            "QORGAU_LOGIN_FAILURE_LIMIT": "100000",
            "QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT": "100000",
            "EMAIL_URL": "dummymail://",  # the e-mail recipe runs; nothing is printed
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.redis = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            self.env,
            folder,
            port=self.redis_port,
        )
        self.web = Process(
            "web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            self.env,
            folder,
            port=self.web_port,
        )
        celery = [str(BIN / "celery"), "-A", "config"]
        self.worker = Process(
            "worker",
            [
                *celery,
                "worker",
                "--queues=notices,casefiles,celery",
                "--concurrency=2",
                "--hostname=notices@faults",
                "--loglevel=WARNING",
            ],
            self.env,
            folder,
        )
        self.periodic = Process(
            "periodic",
            [
                *celery,
                "worker",
                "--queues=periodic",
                "--concurrency=1",
                "--hostname=periodic@faults",
                "--loglevel=WARNING",
            ],
            self.env,
            folder,
        )
        self.beat = Process(
            "beat",
            [*celery, "beat", "--loglevel=WARNING", "--schedule", str(folder / "beat-schedule")],
            self.env,
            folder,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own command
            [PY, "manage.py", *args], env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        )
        return result.stdout

    def start(self, *, reporters: int, officers: int) -> dict[str, object]:
        self.pg.start()
        self.pg.psql("CREATE DATABASE qorgau", database="postgres")
        self.redis.start()
        self.manage("migrate", "--noinput")
        people = self.manage("shell", "-c", SEED.format(reporters=reporters, officers=officers, password=PASSWORD))
        for process in (self.web, self.worker, self.periodic, self.beat):
            process.start()
        import json

        return json.loads(people.strip().splitlines()[-1])

    def stop(self) -> None:
        for process in (self.beat, self.periodic, self.worker, self.web, self.redis):
            try:
                process.stop()
            except Exception as exc:  # noqa: BLE001 - stop the rest whatever happens
                print(f"stopping {process.name}: {exc}", file=sys.stderr)
        self.pg.stop()


# Users of the run: reporters at one facility with an active post, that post's officers.
SEED = """
import json
from tests import factories
post = factories.PolicePostFactory(code="FAULT-01")
facility = post.facility
reporters = [factories.make_reporter(facility, username=f"nurse{{i}}") for i in range({reporters})]
officers = [factories.make_officer(post, username=f"officer{{i}}") for i in range({officers})]
for user in reporters + officers:
    user.set_password("{password}")
    user.save()
print(json.dumps({{"facility": facility.pk, "district": facility.district_id,
    "reporters": [u.username for u in reporters], "officers": [u.username for u in officers]}}))
"""
