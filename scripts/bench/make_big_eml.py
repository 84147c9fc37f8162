#!/usr/bin/env python3
"""make_big_eml: write a large test message for the parse benchmark's memory check.

    make_big_eml.py OUT.eml [--attachment-mb 148] [--seed 1]

Writes a multipart/mixed message: a short text/plain part and one
application/octet-stream attachment, base64 in 76-character lines, of
ATTACHMENT_MB * 10^6 pseudo-random bytes (reproducible from the seed).
148 MB of data makes a message of about 200 MB. The data is generated and
written in chunks, never held in memory whole.
"""
import argparse
import base64
import random

CHUNK = 57 * 16384  # a multiple of 57 bytes, so every base64 line but the last is full


def main():
    ap = argparse.ArgumentParser(prog="make_big_eml.py")
    ap.add_argument("out")
    ap.add_argument("--attachment-mb", type=float, default=148.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    total = int(args.attachment_mb * 1_000_000)
    rng = random.Random(args.seed)
    boundary = "=-tuibao-bench-boundary-7f3a9c"

    with open(args.out, "wb") as out:
        out.write(
            "From: Bench Sender <sender@example.com>\n"
            "To: intake@example.com\n"
            "Subject: =?UTF-8?Q?Gro=C3=9Fer_Anhang?= (parse benchmark)\n"
            "Date: Mon, 01 Jan 2024 00:00:00 +0000\n"
            "Message-ID: <big-attachment@tuibao.bench>\n"
            "MIME-Version: 1.0\n"
            f'Content-Type: multipart/mixed; boundary="{boundary}"\n'
            "\n"
            "This is a multi-part message in MIME format.\n"
            f"--{boundary}\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            "\n"
            "One large attachment follows.\n"
            "\n"
            f"--{boundary}\n"
            "Content-Type: application/octet-stream; name=\"big.bin\"\n"
            "Content-Disposition: attachment; filename=\"big.bin\"\n"
            "Content-Transfer-Encoding: base64\n"
            "\n".encode("ascii"))
        left = total
        while left > 0:
            n = min(CHUNK, left)
            out.write(base64.encodebytes(rng.randbytes(n)))  # 76-char lines, "\n"
            left -= n
        out.write(f"\n--{boundary}--\n".encode("ascii"))


if __name__ == "__main__":
    main()
