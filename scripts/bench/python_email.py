#!/usr/bin/env python3
"""python_email: the Python baseline for tuibao's parse benchmark.

Does with the standard library's `email` package what `tuibao-bench parse`
does: for each file, parse it with the modern policy, read Subject and From,
walk every part and decode each non-multipart part's payload (reading its
filename too). Decoded payloads are dropped, not written anywhere.

    python_email.py [--iterations N] [--verbose] FILE...

Prints exactly one line on stdout:
    bytes=<input bytes processed> seconds=<elapsed wall seconds>
With --verbose, per-file details of the first pass go to stderr.
"""
import argparse
import email
import email.policy
import os
import sys
import time


def parse_file(path, verbose):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    subject = str(msg["subject"]) if msg["subject"] is not None else None
    sender = str(msg["from"]) if msg["from"] is not None else None
    parts = 0
    decoded = 0
    for part in msg.walk():
        if part.is_multipart():
            continue  # multipart/* and message/rfc822: walk() visits their children
        payload = part.get_payload(decode=True)
        part.get_filename()
        parts += 1
        if payload is not None:
            decoded += len(payload)
    if verbose:
        print(f"{path}\n  subject: {subject}\n  from: {sender}\n"
              f"  leaf parts: {parts}  decoded bytes: {decoded}", file=sys.stderr)
    return parts, decoded


def main():
    ap = argparse.ArgumentParser(prog="python_email.py")
    ap.add_argument("--iterations", "-n", type=int, default=1)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args()
    if args.iterations < 1:
        ap.error("--iterations must be at least 1")

    pass_bytes = sum(os.path.getsize(p) for p in args.files)

    parts = decoded = 0
    start = time.perf_counter()
    for it in range(args.iterations):
        for path in args.files:
            p, d = parse_file(path, args.verbose and it == 0)
            parts += p
            decoded += d
    elapsed = time.perf_counter() - start

    if args.verbose:
        print(f"total: {parts} leaf parts, {decoded} decoded bytes over "
              f"{args.iterations} iteration(s)", file=sys.stderr)
    print(f"bytes={pass_bytes * args.iterations} seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
