"""A local OpenID provider that behaves like NHS login for tests: discovery, authorise (signing in whoever the
test says), a token endpoint that checks our private_key_jwt client assertion against our public key, an ID
token signed with its own RSA key, userinfo and its key set."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


class LocalNhsLogin:
    def __init__(self, client_id: str, client_public_key):
        self.client_id, self.client_public_key = client_id, client_public_key
        self.key = new_key()
        self.person = {
            "sub": "nhs-login-subject-1",
            "vot": "P9.Cp.Cd",
            "nhs_number": "9434765919",
            "birthdate": "1980-03-07",
        }
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.authorise_requests: list[dict] = []
        self.token_requests: list[dict] = []
        handler = type("Handler", (_Handler,), {"op": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    op: LocalNhsLogin

    def log_message(self, *args):
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        op = self.op
        if url.path == "/.well-known/openid-configuration":
            return self._json(
                200,
                {
                    "issuer": op.issuer,
                    "authorization_endpoint": f"{op.issuer}/authorize",
                    "token_endpoint": f"{op.issuer}/token",
                    "userinfo_endpoint": f"{op.issuer}/userinfo",
                    "jwks_uri": f"{op.issuer}/jwks",
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                },
            )
        if url.path == "/jwks":
            jwk = json.loads(RSAAlgorithm.to_jwk(op.key.public_key()))
            return self._json(200, {"keys": [{**jwk, "kid": "op-key", "use": "sig", "alg": "RS256"}]})
        if url.path == "/authorize":
            op.authorise_requests.append(query)
            if query.get("client_id") != op.client_id or query.get("response_type") != "code":
                return self._json(400, {"error": "invalid_request"})
            code = secrets.token_urlsafe(16)
            op.codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"]}
            self.send_response(302)
            self.send_header(
                "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            )
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in op.tokens:
                return self._json(401, {"error": "invalid_token"})
            person = op.tokens[token]
            return self._json(200, {k: person[k] for k in ("sub", "nhs_number", "birthdate")})
        return self._json(404, {"error": "not_found"})

    def do_POST(self):
        op = self.op
        form = {
            k: v[0]
            for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()
        }
        op.token_requests.append(form)
        try:
            assertion = jwt.decode(
                form["client_assertion"],
                op.client_public_key,
                algorithms=["RS512"],
                audience=f"{op.issuer}/token",
                options={"require": ["exp", "iss", "sub", "jti"]},
            )
        except (KeyError, jwt.PyJWTError):
            return self._json(401, {"error": "invalid_client"})
        if assertion["iss"] != op.client_id or assertion["sub"] != op.client_id:
            return self._json(401, {"error": "invalid_client"})
        issued = op.codes.pop(form.get("code", ""), None)
        if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
            return self._json(400, {"error": "invalid_grant"})
        now = int(time.time())
        person = dict(op.person)
        id_token = jwt.encode(
            {
                "iss": op.issuer,
                "aud": op.client_id,
                "sub": person["sub"],
                "nonce": issued["nonce"],
                "vot": person["vot"],
                "iat": now,
                "exp": now + 300,
            },
            op.key,
            algorithm="RS256",
            headers={"kid": "op-key"},
        )
        access = secrets.token_urlsafe(16)
        op.tokens[access] = person
        return self._json(
            200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )
