# SPDX-License-Identifier: Apache-2.0
"""OAuth 2.0 authorization server for token-proxy's integration tests.

A real client-credentials token endpoint on Authlib's Flask integration: Authlib
authenticates the client (client_secret_basic and/or client_secret_post), checks
the scope and generates the tokens. Around it sit test controls: every token
request is recorded (without the secret), and the next requests can be made to
fail or to wait.

Endpoints:
  POST /token            the token endpoint
  GET  /stats            {"token_requests": N, "requests": [...], "issued_tokens": [...]}
  GET  /introspect?token=T  {"active": bool, ...} for tokens this server issued
  POST /control/fail     {"status": 503, "count": k}; count -1 fails until reset
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
from authlib.oauth2.rfc6749 import ClientMixin, grants
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from orphan_guard import exit_when_orphaned

AUTH_METHODS = {
    "basic": ["client_secret_basic"],
    "post": ["client_secret_post"],
    "both": ["client_secret_basic", "client_secret_post"],
}

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
    # Offer both methods; the client's check_endpoint_auth_method narrows them per --token-endpoint-auth-method.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


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

    def take_failure(self):
        """The (status, error) the current request must fail with, or None."""
        with self.lock:
            if self.fail_status is None or self.fail_remaining == 0:
                return None
            if self.fail_remaining > 0:
                self.fail_remaining -= 1
            return self.fail_status, self.fail_error


def presented_auth_method(req):
    """How the request tried to authenticate, judged from the wire, so failed attempts are recorded too."""
    basic = req.headers.get("Authorization", "").lower().startswith("basic ")
    post = "client_secret" in req.form
    if basic and post:
        return "both"
    if basic:
        return "client_secret_basic"
    if post:
        return "client_secret_post"
    return "none"


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

    @app.post("/token")
    def token():
        record = {
            "timestamp": time.time(),
            "auth_method": presented_auth_method(request),
            "content_type": request.headers.get("Content-Type", ""),
            "form": [[name, value] for name, value in request.form.items(multi=True) if name != "client_secret"],
        }
        with controls.lock:
            delay = controls.delay_seconds
        if delay > 0:
            time.sleep(delay)
        failure = controls.take_failure()
        if failure is not None:
            status, error = failure
            response = jsonify(error=error, error_description=f"test server told to fail with {status}")
            response.status_code = status
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
    args = parser.parse_args()

    exit_when_orphaned()
    app = create_app(args, Controls())
    http_server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"READY {http_server.server_port}", flush=True)
    http_server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
