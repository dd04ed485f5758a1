"""A real SMTP server for Roadshow's tests and mail benchmark (aiosmtpd).

Stores every accepted message as <n>.eml in --dir. Recipients can ask for faults:
an address containing "reject550" is refused with 550 5.1.1 (no such mailbox); one
containing "policy554" with 554 5.7.1 (refused by policy: not the address's fault); one
containing "defer451-N" gets 451 for its first N attempts, then is accepted; one containing
"slow-N" is accepted after N seconds (a message in flight when a worker is stopped).
With --cert and --key it speaks TLS: STARTTLS (required before MAIL) or, with
--implicit-tls, TLS from the first byte. Prints "READY <port>" once listening.
"""

import argparse
import asyncio
import itertools
import os
import re
import signal

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)
        self.deferred = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject550" in address:
            return "550 5.1.1 Mailbox unavailable"
        if "policy554" in address:
            return "554 5.7.1 Rejected by policy"
        match = re.search(r"defer451-(\d+)", address)
        if match:
            seen = self.deferred.get(address, 0)
            if seen < int(match.group(1)):
                self.deferred[address] = seen + 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            match = re.search(r"slow-(\d+)", address)
            if match:
                await asyncio.sleep(int(match.group(1)))
        n = next(self.counter)
        path = os.path.join(self.folder, f"{n:07d}.eml")
        with open(path + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    options = {}
    if args.cert:
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.implicit_tls:
            options["ssl_context"] = context
        else:
            options["tls_context"] = context
            options["require_starttls"] = True
    controller = Controller(
        Sink(args.dir), hostname="127.0.0.1", port=args.port, decode_data=False, **options
    )
    controller.start()
    print(f"READY {args.port}", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
