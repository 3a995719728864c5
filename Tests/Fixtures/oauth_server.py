# SPDX-License-Identifier: Apache-2.0
"""OAuth 2.0 authorization server for token-proxy's integration tests.

A real client-credentials token endpoint on Authlib's Flask integration: Authlib
authenticates the client, checks the scope and generates the tokens. Client
authentication methods (--token-endpoint-auth-method):

  basic, post, both   client_secret_basic and/or client_secret_post
  private_key_jwt     RFC 7523 assertion verified with --client-public-key (a PEM
                      public key, private key or certificate); jti replay refused
  client_secret_jwt   RFC 7523 assertion verified HS256 with the client secret
  tls_client_auth     RFC 8705: the client certificate nginx (the TLS listener in
                      front) verified, passed on in X-Client-Certificate-Verify and
                      -Subject headers, must be SUCCESS with --tls-client-subject
  federated           a workload-identity JWT (any iss/sub) verified with
                      --assertion-issuer-key and audience --assertion-audience,
                      client_id in the form

Around it sit test controls: every token request is recorded (without the
secret; an assertion's header and claims are decoded for the tests), and the
next requests can be made to fail (with a Retry-After) or to wait.

Endpoints:
  POST /token            the token endpoint
  GET  /stats            {"token_requests": N, "requests": [...], "issued_tokens": [...]}
  GET  /introspect?token=T  {"active": bool, ...} for tokens this server issued
  POST /control/fail     {"status": 503, "count": k, "retry_after": "5"}; count -1 fails until reset
  POST /control/delay    {"seconds": x} before every token response
  POST /control/reset    clears records, failures and delay

Prints "READY <port>" on stdout once it listens.
"""

import argparse
import hmac
import sys
import threading
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidClientError, grants
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OctKey, RSAKey
from werkzeug.serving import make_server

from orphan_guard import exit_when_orphaned

AUTH_METHODS = {
    "basic": ["client_secret_basic"],
    "post": ["client_secret_post"],
    "both": ["client_secret_basic", "client_secret_post"],
    "private_key_jwt": ["private_key_jwt"],
    "client_secret_jwt": ["client_secret_jwt"],
    "tls_client_auth": ["tls_client_auth"],
    "federated": ["federated_jwt"],
}

# The JWS algorithms a client assertion may use; joserfc accepts fewer by default.
ASSERTION_ALGORITHMS = ["RS256", "PS256", "ES256", "ES384", "HS256"]

DEFAULT_ERRORS = {400: "invalid_request", 401: "invalid_client"}


class Client(ClientMixin):
    """The one confidential client this server knows."""

    def __init__(self, client_id, client_secret, auth_methods, scopes):
        self.client_id = client_id
        self.client_secret = client_secret
        self.auth_methods = auth_methods
        self.scopes = scopes

    def get_client_id(self):
        return self.client_id

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return endpoint == "token" and method in self.auth_methods

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"

    def get_allowed_scope(self, scope):
        # The server-wide scopes_supported check has already refused unknown scopes.
        return scope or ""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    # Offer every method; the client's check_endpoint_auth_method narrows them per --token-endpoint-auth-method.
    TOKEN_ENDPOINT_AUTH_METHODS = sorted({method for methods in AUTH_METHODS.values() for method in methods})


def not_offered(query_client, req):
    """A client authentication method this server was not started with."""
    return None


def public_key(path):
    """The joserfc key for a PEM public key, private key or certificate."""
    with open(path, "rb") as file:
        data = file.read()
    if b"CERTIFICATE" in data:
        key = x509.load_pem_x509_certificate(data).public_key()
    elif b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return RSAKey.import_key(pem) if isinstance(key, rsa.RSAPublicKey) else ECKey.import_key(pem)


class ClientAssertion(JWTBearerClientAssertion):
    """private_key_jwt or client_secret_jwt (RFC 7523): Authlib checks iss = sub, aud, exp and jti."""

    def __init__(self, method, audiences, key, controls):
        super().__init__()
        self.CLIENT_AUTH_METHOD = method
        self.audiences = audiences
        self.key = key
        self.controls = controls

    def get_audiences(self):
        return self.audiences

    def resolve_client_public_key(self, client):
        return self.key

    def validate_jti(self, claims, jti):
        return self.controls.claim_jti(jti)

    def process_assertion_claims(self, assertion, resolve_key):
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=ASSERTION_ALGORITHMS)
        except JoseError as error:
            raise InvalidClientError(description=f"assertion signature not verified: {error.error}") from error
        self.verify_claims(token.claims)
        return token.claims


def federated_assertion(issuer_key, audience):
    """Workload identity federation: a platform-issued JWT, verified with the issuer's key; client_id in the form."""

    def authenticate(query_client, req):
        assertion = req.form.get("client_assertion")
        if req.form.get("client_assertion_type") != JWTBearerClientAssertion.CLIENT_ASSERTION_TYPE or not assertion:
            return None
        client = query_client(req.form.get("client_id"))
        if client is None:
            raise InvalidClientError(description="unknown client_id")
        try:
            token = jwt.decode(assertion, issuer_key, algorithms=ASSERTION_ALGORITHMS)
            jwt.JWTClaimsRegistry(aud={"essential": True, "value": audience}, exp={"essential": True},
                                  sub={"essential": True}).validate(token.claims)
        except JoseError as error:
            raise InvalidClientError(description=f"federated assertion refused: {error.error}") from error
        return client

    return authenticate


def tls_client_auth(subject):
    """RFC 8705: the certificate the TLS listener verified must carry the registered subject."""

    def authenticate(query_client, req):
        if "client_assertion" in req.form or "client_secret" in req.form:
            return None
        client = query_client(req.form.get("client_id"))
        if client is None:
            return None
        verify = req.headers.get("X-Client-Certificate-Verify", "")
        presented = req.headers.get("X-Client-Certificate-Subject", "")
        if verify != "SUCCESS" or presented != subject:
            raise InvalidClientError(
                description=f"client certificate not accepted (verify {verify or 'NONE'}, subject {presented!r})")
        return client

    return authenticate


class Controls:
    """Recorded requests, issued tokens and the failure/delay switches, shared by the server's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = []
            self.tokens = {}
            self.fail_status = None
            self.fail_remaining = 0
            self.fail_error = None
            self.delay_seconds = 0.0
            self.fail_retry_after = None
            self.used_jtis = set()

    def claim_jti(self, jti):
        """False when the jti was seen before (a replayed assertion)."""
        with self.lock:
            if jti in self.used_jtis:
                return False
            self.used_jtis.add(jti)
            return True

    def take_failure(self):
        """The (status, error) the current request must fail with, or None."""
        with self.lock:
            if self.fail_status is None or self.fail_remaining == 0:
                return None
            if self.fail_remaining > 0:
                self.fail_remaining -= 1
            return self.fail_status, self.fail_error, self.fail_retry_after


def presented_auth_method(req):
    """How the request tried to authenticate, judged from the wire, so failed attempts are recorded too."""
    basic = req.headers.get("Authorization", "").lower().startswith("basic ")
    post = "client_secret" in req.form
    if "client_assertion" in req.form:
        return "client_assertion"
    if basic and post:
        return "both"
    if basic:
        return "client_secret_basic"
    if post:
        return "client_secret_post"
    return "none"


def decoded_assertion(req):
    """The header and claims of the request's client_assertion, unverified, for the tests to inspect."""
    assertion = req.form.get("client_assertion")
    if not assertion:
        return None
    try:
        header, claims = JWTBearerClientAssertion().extract_assertion(assertion)
    except InvalidClientError:
        return None
    return {"header": {k: str(v) for k, v in header.items()}, "claims": {k: str(v) for k, v in claims.items()}}


def create_app(args, controls):
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"client_credentials": args.expires_in}
    if args.scope:
        app.config["OAUTH2_SCOPES_SUPPORTED"] = args.scope.split()

    client = Client(args.client_id, args.client_secret, AUTH_METHODS[args.token_endpoint_auth_method],
                    args.scope.split())

    def query_client(client_id):
        return client if client_id == client.client_id else None

    def save_token(token, oauth_request):
        with controls.lock:
            controls.tokens[token["access_token"]] = {
                "access_token": token["access_token"],
                "client_id": oauth_request.client.client_id,
                "scope": token.get("scope", ""),
                "expires_in": token["expires_in"],
                "issued_at": time.time(),
            }

    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(ClientCredentialsGrant)
    # Only the configured method checks anything: Authlib's assertion methods refuse an assertion they
    # cannot verify instead of passing it on, so another one tried first would answer for it.
    audiences = [f"http://127.0.0.1:{args.port}/token"]
    assertion_methods = ["private_key_jwt", "client_secret_jwt", "federated_jwt", "tls_client_auth"]
    methods = {name: not_offered for name in assertion_methods}
    method = args.token_endpoint_auth_method
    if method == "private_key_jwt" and args.client_public_key:
        methods[method] = ClientAssertion(method, audiences, public_key(args.client_public_key), controls)
    elif method == "client_secret_jwt":
        methods[method] = ClientAssertion(method, audiences, OctKey.import_key(args.client_secret), controls)
    elif method == "federated" and args.assertion_issuer_key:
        methods["federated_jwt"] = federated_assertion(
            public_key(args.assertion_issuer_key), args.assertion_audience)
    elif method == "tls_client_auth":
        methods[method] = tls_client_auth(args.tls_client_subject)
    for name, authenticate in methods.items():
        server.register_client_auth_method(name, authenticate)

    @app.post("/token")
    def token():
        record = {
            "timestamp": time.time(),
            "auth_method": presented_auth_method(request),
            "content_type": request.headers.get("Content-Type", ""),
            "form": [[name, value] for name, value in request.form.items(multi=True) if name != "client_secret"],
            "assertion": decoded_assertion(request),
        }
        with controls.lock:
            delay = controls.delay_seconds
        if delay > 0:
            time.sleep(delay)
        failure = controls.take_failure()
        if failure is not None:
            status, error, retry_after = failure
            response = jsonify(error=error, error_description=f"test server told to fail with {status}")
            response.status_code = status
            if retry_after is not None:
                response.headers["Retry-After"] = retry_after
        else:
            response = server.create_token_response()
        record["status"] = response.status_code
        with controls.lock:
            controls.requests.append(record)
        return response

    @app.get("/stats")
    def stats():
        with controls.lock:
            return jsonify(token_requests=len(controls.requests), requests=controls.requests,
                           issued_tokens=list(controls.tokens.values()))

    @app.get("/introspect")
    def introspect():
        with controls.lock:
            issued = controls.tokens.get(request.args.get("token", ""))
        if issued is None or issued["issued_at"] + issued["expires_in"] <= time.time():
            return jsonify(active=False)
        return jsonify(active=True, client_id=issued["client_id"], scope=issued["scope"],
                       exp=issued["issued_at"] + issued["expires_in"])

    @app.post("/control/fail")
    def fail():
        body = request.get_json(force=True)
        status = int(body["status"])
        with controls.lock:
            controls.fail_status = status
            controls.fail_remaining = int(body.get("count", 1))
            controls.fail_error = body.get("error", DEFAULT_ERRORS.get(status, "temporarily_unavailable"))
            controls.fail_retry_after = body.get("retry_after")
        return jsonify(ok=True)

    @app.post("/control/delay")
    def delay():
        seconds = float(request.get_json(force=True)["seconds"])
        with controls.lock:
            controls.delay_seconds = seconds
        return jsonify(ok=True)

    @app.post("/control/reset")
    def reset():
        controls.reset()
        return jsonify(ok=True)

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="loopback port; 0 picks a free one")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--expires-in", type=int, default=3600, help="token lifetime in seconds")
    parser.add_argument("--scope", default="", help="space-separated scopes a client may ask for; empty allows any")
    parser.add_argument("--token-endpoint-auth-method", choices=sorted(AUTH_METHODS), default="both")
    parser.add_argument("--client-public-key", help="PEM key or certificate that verifies private_key_jwt")
    parser.add_argument("--assertion-issuer-key", help="PEM key or certificate that verifies federated assertions")
    parser.add_argument("--assertion-audience", default="api://AzureADTokenExchange")
    parser.add_argument("--tls-client-subject", default="", help="RFC 2253 subject tls_client_auth accepts")
    args = parser.parse_args()

    exit_when_orphaned()
    app = create_app(args, Controls())
    http_server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"READY {http_server.server_port}", flush=True)
    http_server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
