"""The production shape (docs/deploy.md) started for one run, as separate processes that a run can watch, kill and
restart: a local server that speaks Notify's API (recordaccess/outreach/localnotify.py), gunicorn with
deploy/gunicorn.conf.py, and N RQ workers (`recordaccess worker`), with the environment `make serve-production`
gives them (deploy/serve-production takes its variables from `shape_environment` below: one source).

    with ProductionShape(database_url, redis_url, port=8200, workers=2) as shape:
        requests.get(f"{shape.base_url}/p/…/")
        shape.kill(shape.workers[0])           # SIGKILL, the whole process group
        shape.start_worker()                  # another in its place
        shape.restart_web()                   # gunicorn stopped and started again on the same port
        shape.notify_references()             # every reference the Notify stand-in received, repeats included
    # everything stopped; shape.logs names each process's log file (kept after the run)

Plain HTTP on 127.0.0.1 only (PRODUCTION_OVER_LOCAL_HTTP, which the settings refuse for any other host). The
secrets are made for the run unless given. It imports nothing of Django, so the shell script can run it as
`python -m recordaccess.proving.shape environment`.
"""

import argparse
import contextlib
import os
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import requests

from recordaccess.outreach import localnotify

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Variables of the calling process that would point a child somewhere else than the shape says.
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "TASKS_BACKEND",
    "REDIS_URL",
    "RECORDACCESS_VAR_DIR",
}


def new_secrets() -> dict[str, str]:
    """Secrets for one run: Django's signing key and the audit trail's key."""
    return {"SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_KEY": secrets.token_urlsafe(48)}


def notify_environment(notify_url: str) -> dict[str, str]:
    """The Notify channel pointed at the local stand-in (its own key and template ids)."""
    return {
        "MESSAGE_CHANNEL": "recordaccess.outreach.channels.NotifyChannel",
        "NOTIFY_API_KEY": localnotify.API_KEY,
        "NOTIFY_BASE_URL": notify_url,
        "NOTIFY_SMS_TEMPLATE_ID": localnotify.SMS_TEMPLATE_ID,
        "NOTIFY_EMAIL_TEMPLATE_ID": localnotify.EMAIL_TEMPLATE_ID,
    }


def shape_environment(
    *,
    port: int,
    database_url: str,
    redis_url: str,
    var_dir: Path | str | None = None,
    notify_url: str | None = None,
    host: str = "127.0.0.1",
) -> dict[str, str]:
    """The variables the production shape runs with on this machine (no secrets: the caller adds them)."""
    variables = {
        "RECORDACCESS_ENV": "production",
        "PRODUCTION_OVER_LOCAL_HTTP": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "rq",
        "REDIS_URL": redis_url,
        "PUBLIC_BASE_URL": f"http://{host}:{port}",
        "WEB_BIND": f"{host}:{port}",
    }
    if var_dir is not None:
        variables["RECORDACCESS_VAR_DIR"] = str(var_dir)
    if notify_url:
        variables.update(notify_environment(notify_url))
    return variables


def prepare_services(database_url: str, redis_url: str) -> None:
    """Create the database if missing and check that PostgreSQL and Redis answer (SystemExit saying which not)."""
    import psycopg
    import redis

    if database_url.startswith("postgres"):
        url = urlsplit(database_url)
        name = url.path.lstrip("/")
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        try:
            with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
                if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                    connection.execute(f'CREATE DATABASE "{name}"')
                    print(f"Created the database {name}.", file=sys.stderr)
        except psycopg.OperationalError as error:
            raise SystemExit(
                f"PostgreSQL at {url.hostname}:{url.port or 5432} does not answer ({error}). Start it first."
            ) from None
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {redis_url} does not answer ({error}). Start it first.") from None


class ShapeError(RuntimeError):
    """A process of the shape stopped or did not answer."""


class ProductionShape:
    """gunicorn, N RQ workers and a Notify stand-in on 127.0.0.1:port (and port + 1 for Notify).

    `notify`: None starts the stand-in as a process of its own on `notify_port` (default port + 1); a URL uses a
    server already running (e.g. an in-process `localnotify.FakeNotify`); False leaves the outbox channel on.
    `environment`: more variables for every process (e.g. TRUSTED_PROXIES, SEND_WORKERS).
    `fresh_redis`: empty the given Redis database first (a run's own: work left by an earlier run is not this
    run's)."""

    def __init__(
        self,
        database_url: str,
        redis_url: str,
        port: int,
        *,
        workers: int = 2,
        web_workers: int | None = None,
        web_threads: int | None = None,
        notify: str | bool | None = None,
        notify_port: int | None = None,
        notify_lose_answers: float = 0.0,
        environment: dict[str, str] | None = None,
        run_dir: Path | str | None = None,
        secrets_: dict[str, str] | None = None,
        migrate: bool = True,
        collect_static: bool = True,
        fresh_redis: bool = True,
        ready_within: float = 180,
    ):
        self.database_url, self.redis_url, self.port = database_url, redis_url, port
        self.worker_count = workers
        self.notify_port = notify_port or port + 1
        self.notify_lose_answers = notify_lose_answers
        self.run_dir = Path(run_dir or ROOT / "var" / "proving" / f"shape-{port}").resolve()
        self.log_dir = self.run_dir / "logs"
        self.base_url = f"http://127.0.0.1:{port}"
        self.migrate, self.fresh_redis, self.ready_within = migrate, fresh_redis, ready_within
        self.collect_static = collect_static
        if notify is None:
            self.notify_url: str | None = f"http://127.0.0.1:{self.notify_port}"
            self._own_notify = True
        else:
            self.notify_url = notify or None
            self._own_notify = False
        self.secrets = secrets_ or new_secrets()
        self.env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
        self.env.update(
            shape_environment(
                port=port,
                database_url=database_url,
                redis_url=redis_url,
                var_dir=self.run_dir / "var",
                notify_url=self.notify_url,
            )
        )
        self.env.update(self.secrets)
        self.env["WEB_ACCESS_LOG"] = "-"
        if web_workers:
            self.env["WEB_CONCURRENCY"] = str(web_workers)
        if web_threads:
            self.env["WEB_THREADS"] = str(web_threads)
        self.env.update(environment or {})
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.notify_process: subprocess.Popen | None = None
        self.logs: dict[str, Path] = {}
        self._started = 0
        self._lock = threading.Lock()

    # --- starting and stopping ----------------------------------------------------------------------
    def __enter__(self) -> "ProductionShape":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "var").mkdir(mode=0o700, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        prepare_services(self.database_url, self.redis_url)
        if self.fresh_redis:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        try:
            if self.migrate:
                self.manage("migrate", "--noinput", "--verbosity", "0")
            if self.collect_static:  # WhiteNoise serves what this collects (and compresses)
                self.manage("collectstatic", "--noinput", "--verbosity", "0")
            if self._own_notify:
                self.notify_process = self._spawn(
                    "notify",
                    [
                        sys.executable,
                        "-m",
                        "recordaccess.proving.shape",
                        "notify",
                        "--port",
                        str(self.notify_port),
                        "--lose-answers",
                        str(self.notify_lose_answers),
                    ],
                )
                self._wait_for(f"{self.notify_url}/ready", [self.notify_process], expect=(200, 403, 404))
            self.start_web()
            for _ in range(self.worker_count):
                self.start_worker()
            self.wait_healthy(self.ready_within)
        except BaseException:
            self.stop()
            raise

    def manage(self, *arguments: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run `recordaccess …` with the shape's environment (output into the log folder)."""
        log = self.log_dir / f"{arguments[0]}.log"
        with log.open("a") as out:
            result = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, "-m", "recordaccess", *arguments],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if result.returncode:
            raise ShapeError(f"`recordaccess {' '.join(arguments)}` failed: {log.read_text()[-2000:]}")
        return result

    def start_web(self) -> subprocess.Popen:
        self.web = self._spawn(
            "web", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "recordaccess.wsgi"]
        )
        self._wait_for(f"{self.base_url}/status/", [self.web])
        return self.web

    def stop_web(self, sig: int = signal.SIGTERM) -> None:
        if self.web is not None:
            self._end(self.web, sig)

    def restart_web(self) -> subprocess.Popen:
        self.stop_web()
        return self.start_web()

    def start_worker(self) -> subprocess.Popen:
        with self._lock:
            self._started += 1
            name = f"worker-{self._started}"
        worker = self._spawn(name, [sys.executable, "-m", "recordaccess", "worker"])
        self.workers.append(worker)
        return worker

    def restart_workers(self, environment: dict[str, str] | None = None) -> list[subprocess.Popen]:
        """Stop every worker (SIGTERM: RQ finishes its job first, SIGKILL after 20 s) and start as many again,
        with `environment` added to the shape's from now on (e.g. a lifted rate limit)."""
        count = len(self.workers) or self.worker_count
        for worker in list(self.workers):
            self.kill(worker, signal.SIGTERM)
        self.env.update(environment or {})
        return [self.start_worker() for _ in range(count)]

    def kill(self, process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the process's whole group (RQ forks) and wait for it; a dead worker leaves the list."""
        self._end(process, sig)
        if process in self.workers:
            self.workers.remove(process)

    def stop(self) -> None:
        """Web first (no new work), then the workers, then Notify; SIGTERM, then SIGKILL after 20 s."""
        for process in [self.web, *self.workers, self.notify_process]:
            if process is not None and process.poll() is None:
                self._end(process, signal.SIGTERM)
        self.workers = []

    def _end(self, process: subprocess.Popen, sig: int) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if getattr(process, "log_file", None):
            process.log_file.close()

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        path = self.log_dir / f"{name}.log"
        log = path.open("a")  # a file, not a pipe: a full pipe would stop the process
        process = subprocess.Popen(  # noqa: S603 - our own processes
            command,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes the children too
        )
        process.log_file = log
        process.name = name
        self.logs[name] = path
        return process

    def _wait_for(self, url: str, processes: list, expect=(200,), within: float | None = None) -> None:
        deadline = time.monotonic() + (within or self.ready_within)
        while time.monotonic() < deadline:
            for process in processes:
                if process.poll() is not None:
                    raise ShapeError(f"{process.name} stopped by itself: {self.log(process.name)[-2000:]}")
            try:
                if requests.get(url, timeout=10).status_code in expect:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise ShapeError(f"{url} did not answer within {within or self.ready_within:g} s.")

    def wait_healthy(self, within: float = 120) -> None:
        """Until /healthz says 200: the database answers and a worker ran its heartbeat."""
        processes = [p for p in (self.web, self.notify_process, *self.workers) if p]
        self._wait_for(f"{self.base_url}/healthz", processes, within=within)

    # --- what a run reads -----------------------------------------------------------------------------
    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace") if path and path.exists() else ""

    def tracebacks(self) -> int:
        return sum(self.log(name).count("Traceback (most recent call last)") for name in self.logs)

    def notify_references(self) -> list[str]:
        """Every reference the Notify stand-in was sent, once per send (a repeat shows twice)."""
        if not self.notify_url:
            return []
        token = jwt.encode({"iss": localnotify.SERVICE_ID, "iat": int(time.time())}, localnotify.SECRET)
        answer = requests.get(
            f"{self.notify_url}/v2/notifications", headers={"Authorization": f"Bearer {token}"}, timeout=120
        )
        answer.raise_for_status()
        return [n["reference"] for n in answer.json()["notifications"]]


def _serve_notify(port: int, lose_answers: float, seed: int) -> None:
    """The stand-in as a process of its own, until SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with localnotify.FakeNotify(port=port, lose_answers=lose_answers, seed=seed) as server:
        print(f"Notify stand-in on {server.url}", flush=True)
        stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m recordaccess.proving.shape")
    commands = parser.add_subparsers(dest="command", required=True)
    env = commands.add_parser(
        "environment",
        help="Print `export` lines for deploy/serve-production: its variables, from PORT, DATABASE_URL, "
        "REDIS_URL, ALLOWED_HOSTS, PUBLIC_BASE_URL and WEB_BIND where set.",
    )
    env.add_argument("--default-database-url", required=True)
    env.add_argument("--default-redis-url", required=True)
    commands.add_parser(
        "prepare", help="Create DATABASE_URL's database if missing; check it and REDIS_URL answer."
    )
    notify = commands.add_parser("notify", help="Serve the Notify stand-in on 127.0.0.1:PORT until SIGTERM.")
    notify.add_argument("--port", type=int, required=True)
    notify.add_argument("--lose-answers", type=float, default=0.0)
    notify.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)
    if arguments.command == "notify":
        _serve_notify(arguments.port, arguments.lose_answers, arguments.seed)
        return
    if arguments.command == "prepare":
        prepare_services(os.environ["DATABASE_URL"], os.environ["REDIS_URL"])
        return
    port = int(os.environ.get("PORT", "8000"))
    variables = shape_environment(
        port=port,
        database_url=os.environ.get("DATABASE_URL") or arguments.default_database_url,
        redis_url=os.environ.get("REDIS_URL") or arguments.default_redis_url,
    )
    for name in ("ALLOWED_HOSTS", "PUBLIC_BASE_URL", "WEB_BIND"):  # the caller's own choice wins
        variables[name] = os.environ.get(name) or variables[name]
    for name, value in variables.items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
