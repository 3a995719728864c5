# SPDX-License-Identifier: Apache-2.0
"""An app that uploads through token-proxy with Python requests, as apps do: a body of
--bytes bytes (byte i = i % 251), sent with Content-Length or chunked, optionally no faster
than --rate bytes per second.

Prints one JSON line: {"status", "sent_bytes", "sent_sha256", "response"} where response is
the upstream's JSON report when it sent one, else its text.
"""

import argparse
import hashlib
import json
import sys
import time

import requests

PERIOD = 251
BLOCK = bytes(i % PERIOD for i in range(PERIOD * 256))


class PatternBody:
    """The body as a file-like object (requests sends Content-Length) or an iterator (chunked)."""

    def __init__(self, size, rate):
        self.size = size
        self.rate = rate
        self.sent = 0
        self.sha256 = hashlib.sha256()
        self.started = time.monotonic()

    def __len__(self):
        return self.size

    def read(self, limit=-1):
        remaining = self.size - self.sent
        count = remaining if limit is None or limit < 0 else min(limit, remaining)
        return self.next_block(min(count, len(BLOCK)))

    def __iter__(self):
        while self.sent < self.size:
            yield self.next_block(min(self.size - self.sent, len(BLOCK)))

    def next_block(self, count):
        # Blocks always start at a multiple of the period, so they continue the pattern.
        block = BLOCK[:count]
        self.sent += count
        self.sha256.update(block)
        if self.rate:
            time.sleep(max(0.0, self.started + self.sent / self.rate - time.monotonic()))
        return block


class Chunked:
    """Hides __len__, so requests sends the body chunked."""

    def __init__(self, body):
        self.body = body

    def __iter__(self):
        return iter(self.body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy", required=True, help="token-proxy's host:port")
    parser.add_argument("--url", required=True)
    parser.add_argument("--bytes", type=int, required=True)
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--rate", type=int, default=0, help="bytes per second; 0 sends as fast as possible")
    args = parser.parse_args()

    body = PatternBody(args.bytes, args.rate)
    data = Chunked(body) if args.chunked else body
    proxies = {"http": f"http://{args.proxy}"}
    response = requests.put(args.url, data=data, proxies=proxies, timeout=600)
    try:
        report = response.json()
    except ValueError:
        report = response.text
    print(json.dumps({"status": response.status_code, "sent_bytes": body.sent,
                      "sent_sha256": body.sha256.hexdigest(), "response": report}))


if __name__ == "__main__":
    sys.exit(main())
