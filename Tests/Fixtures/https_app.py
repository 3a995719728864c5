# SPDX-License-Identifier: Apache-2.0
"""A Python app that calls its API through token-proxy with requests, as such apps do:
one Session (so one kept-alive connection, a CONNECT tunnel for https:// URLs), the
proxy given in `proxies`, and the intercept CA trusted with verify= (without --ca,
requests' own CAs, enough for http:// URLs).

Sends GET --url --count times in turn and prints one line per response:
"<status> <body as Base64>". A failure (such as a certificate that is not trusted)
ends it with exit status 1 and the error on stderr.
"""

import argparse
import base64
import sys

import requests


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy", required=True, help="token-proxy as a URL, http://127.0.0.1:PORT")
    parser.add_argument("--ca", help="the CA certificate to trust (PEM)")
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()

    session = requests.Session()
    # Only the proxy given here: HTTPS_PROXY or NO_PROXY in the test's environment must not interfere.
    session.trust_env = False
    session.proxies = {"http": args.proxy, "https": args.proxy}
    session.verify = args.ca or True
    try:
        for _ in range(args.count):
            response = session.get(args.url, timeout=30)
            print(response.status_code, base64.b64encode(response.content).decode(), flush=True)
    except requests.RequestException as error:
        print(f"request failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
