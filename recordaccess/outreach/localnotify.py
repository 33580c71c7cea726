"""A local server that speaks GOV.UK Notify's API, for tests and the sending benchmark: it checks the JWT the
real client signs, records what it is sent (with when), answers look-ups by reference, and can be told to fail
the next requests. It speaks HTTP/1.1, so the client keeps its connection open as it would with Notify.

It can also lose its answers the way a real network does: the notification is recorded (Notify has it), then the
answer is a 502 from "a proxy", a dropped connection, or silence until the client times out. Named losses
(`lose_next`) come first; then a share of sends (`lose_answers`) chosen by a seeded random generator, so a run
can be repeated. `fail_look_ups` makes the next look-ups by reference fail with a 502. `failures` answers the next
sends with the statuses given (500s, 429s) without recording them; `delay_seconds` answers every send that much
later (Notify answering slowly)."""

import json
import random
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "6ae9d1a2-1c35-4a1f-9d8e-2b8c1f0a7e11"
SECRET = "d2f7c8b1-5e4a-4c3d-8b9a-1f2e3d4c5b6a"  # noqa: S105 - the local stand-in's own key, opens nothing
API_KEY = f"recordaccess_local-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE_ID = "a7f3c2d1-0b4e-4f5a-9c8d-7e6f5a4b3c2d"


LOSSES = ("502", "reset", "timeout")


class FakeNotify:
    def __init__(self, *, lose_answers: float = 0.0, seed: int = 0, hold_seconds: float = 2.0, port: int = 0):
        self.notifications: list[dict] = []
        self.by_reference: dict[str, list[dict]] = {}
        self.failures: list[tuple[int, dict]] = []  # (status, body) to answer the next sends with
        self.losses: list[str] = []  # how to lose the answers to the next sends, each one of LOSSES
        self.lose_answers = lose_answers  # then this share of sends has its answer lost as a 502
        self.random = random.Random(seed)  # noqa: S311 - repeatable losses, not a secret
        self.hold_seconds = hold_seconds  # how long a "timeout" keeps the client waiting before hanging up
        self.delay_seconds = 0.0  # answer every send this much later (Notify answering slowly)
        self.answers_lost = 0
        self.look_ups = 0
        self.failed_look_ups = 0  # how many of the next look-ups to answer with a 502
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"notify": self})
        self.server = _Server(("127.0.0.1", port), handler)  # port 0: any free one
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def sent_references(self) -> list[str]:
        with self.lock:
            return [n["reference"] for n in self.notifications]

    def received(self) -> int:
        return len(self.notifications)

    def lose_next(self, count: int = 1, how: str = "502") -> None:
        """Record the next `count` sends, then lose their answers in the way named."""
        if how not in LOSSES:
            raise ValueError(f"Lose an answer as one of {LOSSES}, not {how!r}.")
        with self.lock:
            self.losses += [how] * count

    def _loss(self) -> str:
        """How to lose this send's answer, or '' to answer it. Called with the lock held."""
        if self.losses:
            return self.losses.pop(0)
        if self.lose_answers and self.random.random() < self.lose_answers:
            return "502"
        return ""


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that hangs up (a worker killed mid-send) is what the benchmark does on purpose: not news."""
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    notify: FakeNotify
    protocol_version = "HTTP/1.1"
    # Headers and body go out in one write, as a real server's would: otherwise Nagle's algorithm and delayed
    # ACKs hold every kept-alive response back by 40 ms.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
        except jwt.PyJWTError as error:
            self._reply(403, _error(403, "AuthError", f"Invalid token: {error}"))
            return False
        if claims["iss"] != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
            self._reply(403, _error(403, "AuthError", "Invalid token: service id or time"))
            return False
        return True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(length)
        if len(data) < length:  # the client went (a worker killed mid-send): nothing arrived to record
            self.close_connection = True
            return
        if not self._authorised():
            return
        try:
            body = json.loads(data)
        except ValueError:
            return self._reply(400, _error(400, "BadRequestError", "Invalid JSON supplied in POST data"))
        kind = self.path.rsplit("/", 1)[-1]
        with self.notify.lock:
            if self.notify.failures:
                status, error = self.notify.failures.pop(0)
                return self._reply(status, error)
            notification = {
                "id": str(uuid.uuid4()),
                "type": kind,
                "reference": body.get("reference"),
                "received_at": time.monotonic(),
                **body,
            }
            self.notify.notifications.append(notification)
            self.notify.by_reference.setdefault(notification["reference"], []).append(notification)
            loss = self.notify._loss()
            self.notify.answers_lost += bool(loss)
        if loss:
            return self._lose_answer(loss)
        if self.notify.delay_seconds:
            time.sleep(self.notify.delay_seconds)
        self._reply(
            201,
            {
                "id": notification["id"],
                "reference": notification["reference"],
                "content": {"body": body.get("personalisation", {}).get("body", "")},
                "template": {"id": body.get("template_id"), "version": 1},
                "uri": f"/v2/notifications/{notification['id']}",
            },
        )

    def _lose_answer(self, how: str) -> None:
        if how == "502":
            return self._reply(502, {"message": "Bad gateway"})
        if how == "timeout":
            time.sleep(self.notify.hold_seconds)
        self.close_connection = True
        # Closed at once with nothing said: the client sees its connection reset.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def do_GET(self):
        if not self._authorised():
            return
        with self.notify.lock:
            self.notify.look_ups += 1
            failing = self.notify.failed_look_ups > 0
            self.notify.failed_look_ups -= failing
        if failing:
            return self._reply(502, {"message": "Bad gateway"})
        reference = parse_qs(urlparse(self.path).query).get("reference", [None])[0]
        with self.notify.lock:
            found = (
                self.notify.by_reference.get(reference, [])
                if reference is not None
                else list(self.notify.notifications)
            )
            listed = [{"id": n["id"], "reference": n["reference"], "status": "sending"} for n in found]
        self._reply(200, {"notifications": listed, "links": {}})


def _error(status: int, error: str, message: str) -> dict:
    return {"errors": [{"error": error, "message": message}], "status_code": status}
