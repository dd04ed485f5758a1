#!/usr/bin/env python3
"""A webhook receiver for the tests: checks each request's signature with the
`standardwebhooks` package (an implementation independent of Roadshow's) and writes
what it got, one JSON line per request, to --log.

Answers: 200 by default; `--fail-first N` answers 500 to the first N requests of each
webhook-id; `--hang-first N` answers the first N of each only after --hang seconds (longer
than the sender waits); `--always STATUS` answers STATUS to everything. Prints READY <port>.
"""

import argparse
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--secret", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--fail-first", type=int, default=0)
parser.add_argument("--hang-first", type=int, default=0)
parser.add_argument("--hang", type=float, default=5.0)
parser.add_argument("--always", type=int, default=0)
args = parser.parse_args()

seen = Counter()
lock = threading.Lock()
verifier = Webhook(args.secret)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            verifier.verify(body, headers)
            verified = True
        except Exception as e:  # noqa: BLE001 - recorded for the test to read
            verified = str(e) or type(e).__name__
        message_id = headers.get("webhook-id", "")
        with lock:
            seen[message_id] += 1
            attempt = seen[message_id]
        if args.always:
            status = args.always
        elif attempt <= args.hang_first:
            time.sleep(args.hang)
            status = 200
        elif attempt <= args.hang_first + args.fail_first:
            status = 500
        else:
            status = 200
        with lock, open(args.log, "a", encoding="utf-8") as log:
            log.write(json.dumps({
                "id": message_id,
                "attempt": attempt,
                "verified": verified,
                "status": status,
                "body": body.decode("utf-8", "replace"),
            }) + "\n")
        try:
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
print(f"READY {server.server_address[1]}", flush=True)
server.serve_forever()
