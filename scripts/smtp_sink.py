"""A real SMTP server for Roadshow's tests and mail benchmark (aiosmtpd).

Stores every accepted message as <n>.eml in --dir. Recipients can ask for faults:
an address containing "reject550" is refused with 550 5.1.1 (no such mailbox); one
containing "policy554" with 554 5.7.1 (refused by policy: not the address's fault); one
containing "defer451-N" gets 451 for its first N attempts, then is accepted; one containing
"slow-N" is accepted after N seconds (a message in flight when a worker is stopped).
With --cert and --key it speaks TLS: STARTTLS (required before MAIL) or, with
--implicit-tls, TLS from the first byte. With --processes N (the mail benchmark), N
processes share the port (SO_REUSEPORT) so that the server is not the bottleneck, and files
are named <n>-<process>.eml. Prints "READY <port>" once listening (all of them).
"""

import argparse
import asyncio
import itertools
import os
import re
import signal

from aiosmtpd.controller import Controller, UnthreadedController


class Sink:
    def __init__(self, folder, suffix=""):
        self.folder = folder
        self.suffix = suffix
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
        path = os.path.join(self.folder, f"{n:07d}{self.suffix}.eml")
        with open(path + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 Message accepted"


class SharedPortController(UnthreadedController):
    """A controller whose listening socket shares its port with the other processes."""

    def _create_server(self):
        return self.loop.create_server(
            self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context, reuse_port=True
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--process-index", type=int, default=0, help=argparse.SUPPRESS)
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
    if args.processes > 1:
        return shared_port(args, options)
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


def shared_port(args, options):
    """This process serves on the shared port; the first also starts the others, says
    READY once all listen, and stops them when stopped."""
    import subprocess
    import sys

    if args.process_index != 0:
        # Stopped with the first process, however it ends (PR_SET_PDEATHSIG).
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
    loop = asyncio.new_event_loop()
    sink = Sink(args.dir, suffix=f"-{args.process_index}")
    controller = SharedPortController(
        sink, hostname="127.0.0.1", port=args.port, loop=loop, decode_data=False, **options
    )
    controller.begin()
    others = []
    if args.process_index == 0:
        for index in range(1, args.processes):
            command = [sys.executable, __file__, *sys.argv[1:], "--process-index", str(index)]
            others.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
        for other in others:
            other.stdout.readline()
        print(f"READY {args.port}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.process_index != 0:
        print(f"READY {args.port}", flush=True)
    loop.run_until_complete(stop.wait())
    for other in others:
        other.terminate()
    for other in others:
        other.wait()
    controller.end()


if __name__ == "__main__":
    main()
