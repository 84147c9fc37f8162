#!/usr/bin/python3
"""A reviewer answering a scoring-sheet mail, as a person with a spreadsheet program would:
take the .xlsx attached to the mail tuibao sent, fill in scores with openpyxl (Debian's
python3-openpyxl, an independent writer), save it, and reply to the mail with the sheet attached.

  review_reply.py --mail SENT.eml --out REPLY.eml --sender ADDRESS --scores JSON [--forge-token]

JSON maps tracking numbers to {criterion name or "评语": value}; a criterion's column is found by
its header (the name before the "（"). --forge-token changes the token's MAC as a forger would;
--no-sheet replies with a line of thanks and nothing attached (to any mail of ours);
--via-libreoffice saves the filled sheet once more with LibreOffice Calc before attaching it.
"""
import argparse
import email
import email.policy
import io
import json
import os
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from email.utils import make_msgid, formatdate

import openpyxl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mail", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sender", required=True)
    parser.add_argument("--scores", required=True)
    parser.add_argument("--forge-token", action="store_true")
    parser.add_argument("--no-sheet", action="store_true", help="reply with a line of thanks and no attachment")
    parser.add_argument("--via-libreoffice", action="store_true",
                        help="save the filled sheet once more with LibreOffice (headless), as a reviewer using it would")
    args = parser.parse_args()

    with open(args.mail, "rb") as handle:
        sent = email.message_from_binary_file(handle, policy=email.policy.default)
    sheet = None
    for part in sent.iter_attachments():
        if (part.get_filename() or "").endswith(".xlsx"):
            sheet = (part.get_filename(), part.get_content())
    reply = EmailMessage()
    reply["From"] = args.sender
    reply["To"] = sent["From"]
    reply["Subject"] = "回复：" + str(sent["Subject"])
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain=args.sender.split("@")[1])
    reply["In-Reply-To"] = sent["Message-ID"]
    reply["References"] = " ".join(filter(None, [str(sent["References"] or ""), str(sent["Message-ID"])])).strip()
    if args.no_sheet:
        reply.set_content("好的，谢谢。\n")
        with open(args.out, "wb") as handle:
            handle.write(reply.as_bytes(policy=email.policy.SMTP))
        return
    if sheet is None:
        sys.exit("no .xlsx attached to the sent mail")

    book = openpyxl.load_workbook(io.BytesIO(sheet[1]))
    table = book["评分表"]
    header = [cell.value for cell in table[1]]
    columns = {}
    for index, title in enumerate(header):
        if title:
            columns[title.split("（")[0]] = index + 1
    scores = json.loads(args.scores)
    for row in range(2, table.max_row + 1):
        tracking = table.cell(row=row, column=1).value
        for name, value in scores.get(tracking, {}).items():
            table.cell(row=row, column=columns[name], value=value)
    if args.forge_token:
        token_sheet = book["tuibao"]
        token = token_sheet["B1"].value
        token_sheet["B1"] = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if args.via_libreoffice:
        data = resaved_by_libreoffice(data)

    reply.set_content("评分表已填好，请查收。\n")
    reply.add_attachment(data, maintype="application",
                         subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=sheet[0])
    with open(args.out, "wb") as handle:
        handle.write(reply.as_bytes(policy=email.policy.SMTP))


def resaved_by_libreoffice(data):
    """The workbook opened and saved as .xlsx by LibreOffice Calc (its own profile, so runs in
    parallel do not share one)."""
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "sheet.xlsx")
        with open(source, "wb") as handle:
            handle.write(data)
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/profile",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", os.path.join(work, "out"), source],
                       check=True, capture_output=True, timeout=180)
        with open(os.path.join(work, "out", "sheet.xlsx"), "rb") as handle:
            return handle.read()


if __name__ == "__main__":
    main()
