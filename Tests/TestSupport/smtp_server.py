#!/usr/bin/python3
"""A real SMTP server for tuibao's tests (aiosmtpd), on loopback.

Each accepted message is written to DIR/NNN.eml (the exact bytes received, CRLF) with its
envelope in DIR/NNN.json. --plan lists the replies to give successive DATA commands before
accepting (e.g. "451,451" then accept; "550" forever with --plan-repeat). --cert/--key make
STARTTLS required; --auth user:password requires AUTH (over TLS). --accept-delay S waits S
seconds after storing a message before answering 250, so a test can kill the client while the
server already holds the message but the client has not heard "250" yet.
"""
import argparse, asyncio, json, os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--plan", default="")
parser.add_argument("--plan-repeat", action="store_true")
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--auth")
parser.add_argument("--accept-delay", type=float, default=0)
args = parser.parse_args()
plan = [int(code) for code in args.plan.split(",") if code]


class Handler:
    def __init__(self):
        self.count = 0
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        with open(os.path.join(args.dir, "attempts.log"), "a") as log:
            log.write(f"{time.time()}\n")
        if plan:
            code = plan[0] if args.plan_repeat else plan.pop(0)
            if code:
                return f"{code} {'4.3.0 try again later' if code < 500 else '5.1.1 mailbox unavailable 用户不存在'}"
        self.count += 1
        name = os.path.join(args.dir, f"{self.count:03d}")
        with open(name + ".eml.tmp", "wb") as out:
            out.write(envelope.original_content)
        with open(name + ".json", "w") as out:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "tls": session.ssl is not None,
                       "received": time.time()}, out)
        os.rename(name + ".eml.tmp", name + ".eml")
        if args.accept_delay:
            await asyncio.sleep(args.accept_delay)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    # handled=False: aiosmtpd then answers "535 5.7.8" itself (handled=True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


kwargs = {}
if args.cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    kwargs.update(tls_context=context, require_starttls=True)
if args.auth:
    kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.cert))
controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, **kwargs)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
