"""A local server that speaks GOV.UK Notify's API, for tests: it checks the JWT the real client signs, records
what it is sent, answers look-ups by reference, and can be told to fail the next requests."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "6ae9d1a2-1c35-4a1f-9d8e-2b8c1f0a7e11"
SECRET = "d2f7c8b1-5e4a-4c3d-8b9a-1f2e3d4c5b6a"
API_KEY = f"recordaccess_tests-{SERVICE_ID}-{SECRET}"


class FakeNotify:
    def __init__(self):
        self.notifications: list[dict] = []
        self.failures: list[tuple[int, dict]] = []  # (status, body) to answer the next sends with
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"notify": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
        return [n["reference"] for n in self.notifications]


class _Handler(BaseHTTPRequestHandler):
    notify: FakeNotify

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
            self._reply(
                403,
                {
                    "errors": [{"error": "AuthError", "message": f"Invalid token: {error}"}],
                    "status_code": 403,
                },
            )
            return False
        if claims["iss"] != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
            self._reply(
                403,
                {
                    "errors": [{"error": "AuthError", "message": "Invalid token: service id or time"}],
                    "status_code": 403,
                },
            )
            return False
        return True

    def do_POST(self):
        if not self._authorised():
            return
        kind = self.path.rsplit("/", 1)[-1]
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with self.notify.lock:
            if self.notify.failures:
                status, error = self.notify.failures.pop(0)
                return self._reply(status, error)
            notification = {"id": str(uuid.uuid4()), "type": kind, "reference": body.get("reference"), **body}
            self.notify.notifications.append(notification)
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

    def do_GET(self):
        if not self._authorised():
            return
        reference = parse_qs(urlparse(self.path).query).get("reference", [None])[0]
        with self.notify.lock:
            found = [
                {"id": n["id"], "reference": n["reference"], "status": "sending"}
                for n in self.notify.notifications
                if reference is None or n["reference"] == reference
            ]
        self._reply(200, {"notifications": found, "links": {}})
