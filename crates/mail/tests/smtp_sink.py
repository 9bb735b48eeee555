"""A real SMTP server for the mail tests (aiosmtpd): each message it accepts is parsed with
Python's own email package and written as one JSON file, so the tests read what a mail client
would, decoded independently of the Rust code that wrote it.

Usage: smtp_sink.py PORT DIR. Prints "ready" once listening; stops when stdin closes.
Recipients whose address starts with "refused" are refused with 550, as a real server refuses
an unknown mailbox."""

import email
import json
import os
import sys
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=policy.default)
        parts = {}
        for part in msg.walk():
            ct = part.get_content_type()
            if ct in ("text/plain", "text/html"):
                parts[ct] = part.get_content()
        doc = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content_type": msg.get_content_type(),
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "parts": parts,
        }
        tmp = os.path.join(self.out, f".{self.n}.tmp")
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.rename(tmp, os.path.join(self.out, f"{self.n:05}.json"))
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    c = Controller(Sink(out), hostname="127.0.0.1", port=port)
    c.start()
    print("ready", flush=True)
    sys.stdin.read()
    c.stop()


if __name__ == "__main__":
    main()
