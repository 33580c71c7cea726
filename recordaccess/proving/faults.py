"""Faults during load (issue 17, part 4): the pieces `bench_faults` injects and watches with, kept apart from the
command so each can be read (and tested) on its own.

- `OwnRedis`: a redis-server of the run's own on its own port, which the run may stop and start again; never the
  machine's shared Redis.
- `HealthWatch`: polls /healthz every half second and keeps every answer, so a run can say whether a fault was
  reported and when the service was well again.
- `small_disk`: a tmpfs of a few kilobytes mounted over a folder, so writing there fails with ENOSPC as on a full
  disk (the kernel's own answer, not a simulation); needs root, as `mount` does.
- `postgres_busy`: how many queries other databases are running on the shared PostgreSQL, before restarting it.
"""

import contextlib
import signal
import subprocess
import threading
import time
from pathlib import Path

import requests


class OwnRedis:
    """redis-server on 127.0.0.1:port, no persistence (a stop loses what was queued, the harder case)."""

    def __init__(self, port: int, folder: Path):
        self.port, self.folder = port, folder
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
            [  # noqa: S607 - the machine's redis-server, from the PATH
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis(port=self.port, socket_connect_timeout=0.5).ping():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not answer")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop it with `sig` (SIGKILL: as a crash would, with no goodbye to its clients)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class HealthWatch:
    """Every answer of /healthz (time, HTTP status or None when nothing answered, body) while it runs."""

    def __init__(self, base_url: str, every: float = 0.5):
        self.url, self.every = f"{base_url}/healthz", every
        self.seen: list[tuple[float, int | None, dict]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            at = time.monotonic()
            try:
                answer = session.get(self.url, timeout=5)
                body = answer.json() if answer.headers.get("Content-Type") == "application/json" else {}
                self.seen.append((at, answer.status_code, body))
            except (requests.RequestException, ValueError) as error:
                self.seen.append((at, None, {"error": type(error).__name__}))
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def between(self, start: float, end: float) -> list[tuple[float, int | None, dict]]:
        return [seen for seen in list(self.seen) if start <= seen[0] <= end]

    def first(self, after: float, test, within: float) -> float | None:
        """Seconds after `after` until an answer passes `test(status, body)`, waiting up to `within`."""
        deadline = time.monotonic() + within
        checked = 0
        while True:
            seen = [s for s in list(self.seen) if s[0] >= after]
            for at, status, body in seen[checked:]:
                if test(status, body):
                    return round(at - after, 1)
            checked = len(seen)
            if time.monotonic() > deadline:
                return None
            time.sleep(self.every)


def problem_named(body: dict, component: str, *, or_recovered: bool = False) -> bool:
    """Whether /healthz's answer names `component` as failing (or, with `or_recovered`, as failed lately)."""
    listed = body.get("problems", []) + (body.get("recovered", []) if or_recovered else [])
    return any(p.get("component") == component for p in listed)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "16k"):
    """A tmpfs of `size` over `folder` while inside: writing more than that there fails with ENOSPC."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - the machine's mount, on our own folder
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],  # noqa: S607
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S603, S607


def postgres_busy(database_url: str, ours: str) -> int:
    """Connections from clients to databases other than `ours` on the shared PostgreSQL: a restart would cut
    them (another session's tests), so the run restarts it only when there are none."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND datname IS NOT NULL AND datname NOT IN (%s, 'postgres') AND pid <> pg_backend_pid()",
            [ours],
        ).fetchone()[0]
