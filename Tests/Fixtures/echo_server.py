# SPDX-License-Identifier: Apache-2.0
"""Upstream application for token-proxy's integration tests: reports what it received.

Any method on any path answers 200 with JSON:
  {"method", "path", "query", "http_version", "headers": [[name, value], ...],
   "nginx_connection", "nginx_protocol", "body_length", "body_sha256",
   "body" and "body_encoding" ("utf8" or "base64", bodies up to 64 KiB only)}

Special paths:
  /status/<code>             the same JSON with that status
  /bytes/<n>[?chunked=1]     n bytes, byte i = i % 251, with Content-Length or chunked
  /slow/<ms>                 waits, then answers
  /unauthorized-once/<key>   401 for the first Authorization seen with this key and for that
                             credential ever after; 200 for any other credential (an upstream
                             that revoked the token the proxy holds)
  /flaky/<key>/<n>/<code>[?retry_after=<s>]
                             <code> for the first n requests with this key, 200 after that (an
                             upstream that fails for a while); retry_after adds Retry-After
                             to the failures
  /slow-reader/<bytes per s> reads the request body at about that rate, then answers
  /early-hints/<n>           n interim 103 Early Hints (Link: </hint-<i>.css>; rel=preload) first
  any path ?echo_header=<name>
                             the response carries the request's header <name> back, byte for byte
  /stats                     {"requests": N, "by_path": {path: count},
                              "arrivals": {path: [seconds since 1970, ...]},
                              "cut_bodies": N (bodies that ended before their framing said)}, not counting itself

Bodies are read and hashed as they arrive, so uploads of any size cost this server little memory.

Prints "READY <port>" on stdout once it listens.
"""

import argparse
import base64
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from orphan_guard import exit_when_orphaned

SMALL_BODY = 64 * 1024
PATTERN_PERIOD = 251
# A block that is a whole number of periods, so consecutive blocks continue the pattern.
PATTERN_BLOCK = bytes(i % PATTERN_PERIOD for i in range(PATTERN_PERIOD * 256))
NO_BODY_STATUSES = {204, 304}


class State:
    """Request counts and revoked credentials, shared by the server's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_path = {}
        self.arrivals = {}
        self.rejected = {}
        self.flaky = {}
        self.cut_bodies = 0

    def count(self, path):
        with self.lock:
            self.by_path[path] = self.by_path.get(path, 0) + 1
            self.arrivals.setdefault(path, []).append(time.time())

    def fails(self, key, failures):
        """Whether this request is one of the first `failures` for `key`."""
        with self.lock:
            seen = self.flaky[key] = self.flaky.get(key, 0) + 1
        return seen <= failures

    def rejects(self, key, authorization):
        with self.lock:
            rejected = self.rejected.setdefault(key, authorization)
        return rejected == authorization


STATE = State()


class Body:
    """A request body as it arrives: its length and hash, and the bytes themselves while it is small."""

    def __init__(self, rate=None):
        self.length = 0
        self.sha256 = hashlib.sha256()
        self.small = b""
        self.rate = rate
        self.started = time.monotonic()

    def add(self, block):
        self.length += len(block)
        self.sha256.update(block)
        self.small = self.small + block if self.small is not None and self.length <= SMALL_BODY else None
        if self.rate:
            # A slow reader: sleep until this many bytes are due at the rate.
            due = self.started + self.length / self.rate
            time.sleep(max(0.0, due - time.monotonic()))


class EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __getattr__(self, name):
        # BaseHTTPRequestHandler looks up do_<METHOD>; every method is echoed the same way.
        if name.startswith("do_"):
            return self.echo
        raise AttributeError(name)

    def echo(self):
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        head, argument = parts[0], "/".join(parts[1:])
        try:
            body = Body(rate=int(argument) if head == "slow-reader" else None)
            self.read_body(body)
        except (ValueError, ConnectionError) as error:
            with STATE.lock:
                STATE.cut_bodies += 1
            raise ConnectionError("request body cut short") from error
        if url.path == "/stats":
            with STATE.lock:
                report = {
                    "requests": sum(STATE.by_path.values()),
                    "by_path": dict(STATE.by_path),
                    "arrivals": {path: list(times) for path, times in STATE.arrivals.items()},
                    "cut_bodies": STATE.cut_bodies,
                }
            return self.send_json(200, report)
        STATE.count(url.path)

        if head == "bytes":
            return self.send_pattern(int(argument), parse_qs(url.query).get("chunked") == ["1"])
        if head == "early-hints":
            for hint in range(int(argument)):
                self.wfile.write(f"HTTP/1.1 103 Early Hints\r\nLink: </hint-{hint}.css>; rel=preload\r\n\r\n".encode())
            self.wfile.flush()
        if head == "slow":
            time.sleep(int(argument) / 1000)
        status = 200
        extra_headers = []
        echoed = parse_qs(url.query).get("echo_header")
        if echoed and self.headers.get(echoed[0]) is not None:
            # Header values arrive decoded as ISO-8859-1 and send_header encodes them so: the bytes stay as received.
            extra_headers.append((echoed[0], self.headers.get(echoed[0])))
        if head == "status":
            status = int(argument)
        elif head == "unauthorized-once" and STATE.rejects(argument, self.headers.get("Authorization")):
            status = 401
        elif head == "flaky":
            key, failures, failure_status = parts[1], int(parts[2]), int(parts[3])
            if STATE.fails(key, failures):
                status = failure_status
                retry_after = parse_qs(url.query).get("retry_after")
                if retry_after:
                    extra_headers.append(("Retry-After", retry_after[0]))
        self.send_json(status, self.report(url, body), extra_headers)

    def read_body(self, body):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    break
                self.read_exactly(size, body)
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailer fields
        else:
            self.read_exactly(int(self.headers.get("Content-Length", "0")), body)

    def read_exactly(self, count, body):
        while count > 0:
            block = self.rfile.read(min(count, 64 * 1024))
            if not block:
                raise ConnectionError("the client closed the connection within the body")
            body.add(block)
            count -= len(block)

    def report(self, url, body):
        report = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "http_version": self.request_version,
            "headers": [[name, value] for name, value in self.headers.items()],
            "nginx_connection": self.headers.get("X-Nginx-Connection"),
            "nginx_protocol": self.headers.get("X-Nginx-Protocol"),
            "body_length": body.length,
            "body_sha256": body.sha256.hexdigest(),
        }
        if body.small is not None:
            try:
                report["body"], report["body_encoding"] = body.small.decode("utf-8"), "utf8"
            except UnicodeDecodeError:
                report["body"], report["body_encoding"] = base64.b64encode(body.small).decode(), "base64"
        return report

    def send_json(self, status, report, extra_headers=()):
        payload = json.dumps(report).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in extra_headers:
            self.send_header(name, value)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        if status in NO_BODY_STATUSES:
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def send_pattern(self, count, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(count))
        self.end_headers()
        if self.command == "HEAD":
            return
        remaining = count
        while remaining > 0:
            block = PATTERN_BLOCK[:remaining]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            else:
                self.wfile.write(block)
            remaining -= len(block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="loopback port; 0 picks a free one")
    args = parser.parse_args()

    exit_when_orphaned()
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), EchoHandler)
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
