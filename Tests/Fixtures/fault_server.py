# SPDX-License-Identifier: Apache-2.0
"""A misbehaving upstream and token endpoint for token-proxy's fault tests.

It speaks just enough HTTP/1.1 over raw sockets to fail at exact points,
which a well-behaved server library would not let it do.

Upstream paths (any method):
  /reset-before-headers   reads the request, then resets the connection (RST)
  /reset-mid-body         200 with Content-Length: 100000, 1000 bytes, then RST
  /reset-mid-chunked      200 chunked, one 1000-byte chunk, then RST (no last chunk)
  /close-mid-body         200 with Content-Length: 100000, 1000 bytes, then a clean close (FIN)
  anything else           200 {"path": ..., "authorization": <Authorization or null>}

Token endpoint:
  POST /token             answers by the current token mode:
                            ok        a valid Bearer token, expires_in 3600
                            garbage   200 application/json that is not JSON
                            html      200 text/html error page
                            no-token  200 JSON without access_token
                            hang      reads the request and never answers

Controls (not counted):
  POST /control/token-mode  body: the mode name
  GET  /stats               {"token_requests": N, "by_path": {path: count},
                             "authorizations": [Authorization of each upstream request, or null]}

Prints "READY <port>" on stdout once it listens.
"""

import argparse
import json
import secrets
import socket
import socketserver
import struct
import sys
import threading

from orphan_guard import exit_when_orphaned

TOKEN_MODES = ("ok", "garbage", "html", "no-token", "hang")
PARTIAL_BODY = bytes(i % 251 for i in range(1000))
ANNOUNCED_LENGTH = 100000


class State:
    """The token mode and what arrived, shared by the server's threads."""

    def __init__(self, token_mode):
        self.lock = threading.Lock()
        self.token_mode = token_mode
        self.token_requests = 0
        self.by_path = {}
        self.authorizations = []


class Request:
    """A request head and its Content-Length body, read off the socket."""

    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    @classmethod
    def read(cls, stream):
        line = stream.readline(65536)
        if not line:
            return None
        method, target, _ = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        headers = {}
        while True:
            field = stream.readline(65536).decode("latin-1").rstrip("\r\n")
            if not field:
                break
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        return cls(method, target.split("?", 1)[0], headers, stream.read(length) if length else b"")


class FaultHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            request = Request.read(self.rfile)
            if request is None:
                return
            if request.path == "/stats":
                with STATE.lock:
                    report = {"token_requests": STATE.token_requests, "by_path": dict(STATE.by_path),
                              "authorizations": list(STATE.authorizations)}
                self.send_json(200, report)
            elif request.path == "/control/token-mode":
                mode = request.body.decode().strip()
                if mode not in TOKEN_MODES:
                    self.send_json(400, {"error": f"unknown mode {mode!r}"})
                    continue
                with STATE.lock:
                    STATE.token_mode = mode
                self.send_json(200, {"mode": mode})
            elif request.path == "/token":
                if not self.answer_token():
                    return
            else:
                with STATE.lock:
                    STATE.by_path[request.path] = STATE.by_path.get(request.path, 0) + 1
                    STATE.authorizations.append(request.headers.get("authorization"))
                if not self.answer_upstream(request):
                    return

    def answer_token(self):
        """Answers a token request; returns False when the connection is done."""
        with STATE.lock:
            STATE.token_requests += 1
            mode = STATE.token_mode
        if mode == "hang":
            # Hold the connection until the client gives up and closes it.
            while self.request.recv(4096):
                pass
            return False
        if mode == "garbage":
            self.send(200, "application/json", b'{"access_token": "abc", "expires_in": ')
        elif mode == "html":
            self.send(200, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>")
        elif mode == "no-token":
            self.send_json(200, {"token_type": "Bearer", "expires_in": 3600})
        else:
            self.send_json(200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                                 "expires_in": 3600})
        return True

    def answer_upstream(self, request):
        """Answers or breaks an upstream request; returns False when the connection is done."""
        if request.path == "/reset-before-headers":
            self.reset()
            return False
        if request.path in ("/reset-mid-body", "/close-mid-body"):
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (ANNOUNCED_LENGTH, PARTIAL_BODY))
            self.wfile.flush()
            if request.path == "/reset-mid-body":
                self.reset()
            return False
        if request.path == "/reset-mid-chunked":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (len(PARTIAL_BODY), PARTIAL_BODY))
            self.wfile.flush()
            self.reset()
            return False
        self.send_json(200, {"path": request.path, "authorization": request.headers.get("authorization")})
        return True

    def reset(self):
        # SO_LINGER on with a zero timeout makes close() send RST instead of FIN.
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

    def send_json(self, status, value):
        self.send(status, "application/json", json.dumps(value).encode())

    def send(self, status, content_type, body):
        self.wfile.write(b"HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s"
                         % (status, content_type.encode(), len(body), body))
        self.wfile.flush()

    def finish(self):
        # After a reset the socket is closed already; the base class would flush into it.
        try:
            super().finish()
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="loopback port; 0 picks a free one")
    parser.add_argument("--token-mode", choices=TOKEN_MODES, default="ok", help="the token endpoint's first mode")
    args = parser.parse_args()

    global STATE
    STATE = State(args.token_mode)
    exit_when_orphaned()
    socketserver.ThreadingTCPServer.daemon_threads = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", args.port), FaultHandler)
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
