#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a folder, from Samples/, the test fixtures and
the shared public corpora (../shared/corpora or $TUIBAO_SHARED). Run by scripts/fuzz when a
target's corpus folder is empty; nothing here is committed but this script.

  seeds.py TARGET OUTDIR
"""
import email, email.policy, glob, hashlib, io, json, os, re, shutil, subprocess, sys, tempfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TUIBAO_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"
CORPORA = os.path.join(SHARED, "corpora")
SAMPLES = os.path.join(ROOT, "Samples")
MAX = 256 << 10


def files(*patterns):
    out = []
    for pattern in patterns:
        out += sorted(glob.glob(os.path.join(ROOT, pattern) if not pattern.startswith("/") else pattern, recursive=True))
    return [f for f in out if os.path.isfile(f)]


def mails():
    return files("Samples/mail/*.eml", CORPORA + "/stalwart-mail-parser/resources/eml/**/*.eml",
                 CORPORA + "/mimekit/UnitTests/TestData/messages/*", CORPORA + "/mimekit/UnitTests/TestData/partial/*")


class Out:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.count = 0

    def add(self, data, limit=MAX):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not data or len(data) > limit:
            return
        with open(os.path.join(self.folder, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
        self.count += 1

    def add_file(self, path, limit=MAX):
        with open(path, "rb") as f:
            self.add(f.read(), limit)


def header_values(raw, names):
    """Raw (still folded) values of the named headers in a message's header blocks, parts included."""
    values = []
    for match in re.finditer(rb"(?im)^(" + b"|".join(n.encode() for n in names) + rb"):[ \t]?((?:.*(?:\r?\n[ \t].*)*))", raw):
        values.append(match.group(2).rstrip(b"\r\n"))
    return values


def parsed(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.compat32)


def payloads(path):
    try:
        return [(p.get_content_type(), p.get_filename(), p.get_payload(decode=True) or b"") for p in parsed(path).walk()
                if not p.is_multipart()]
    except Exception:
        return []


def docx_xml(path):
    try:
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist() if name.endswith(".xml")}
    except Exception:
        return {}


def make_xlsx(folder):
    """Two small workbooks written by hand (no openpyxl needed): a form and an earlier-campaign list."""
    def workbook(rows, merges=""):
        strings, sheet_rows = [], []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, value in enumerate(row):
                ref = "ABCDEFGHIJ"[c] + str(r)
                if isinstance(value, (int, float)):
                    cells.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
                else:
                    strings.append(value)
                    cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        parts = {
            "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
            "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><workbookPr date1904="0"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
            "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
            "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
            "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData>{merges}</worksheet>',
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(name, text)
        return buffer.getvalue(), parts
    form = [["推报单位", "物理研究所", "推报类型", "个人"], ["姓名", "韩思远", "性别", "男"], ["出生年月", 32874, "职务/职称", "研究员"],
            ["事迹标题", "在接近绝对零度的世界里寻找答案"], ["事迹简介", "长期从事低温物理研究。"],
            ["联系人", "李老师", "联系电话", "010-82649000"], ["电子邮箱", "dangban@iphy.ac.cn"]]
    earlier = [["编号", "单位", "类型", "名称", "标题", "日期", "文件", "sha256"],
               ["JT017", "物理研究所", "个人", "韩思远", "寻找答案", "2017-05-14", "jt017-essay.pdf", "ab" * 32]]
    return [workbook(form, '<mergeCells count="1"><mergeCell ref="B4:D4"/></mergeCells>'), workbook(earlier)]


def pdf_text(path):
    try:
        return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=30).stdout
    except Exception:
        return b""


def table_text(xml):
    """A Word table's rows as tab-separated lines of cell text (what forms read)."""
    lines = []
    for row in re.findall(rb"<w:tr[ >].*?</w:tr>", xml, re.S):
        cells = [b"".join(re.findall(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell)) for cell in re.findall(rb"<w:tc>.*?</w:tc>", row, re.S)]
        lines.append(b"\t".join(cells))
    return b"\n".join(lines)


def collapse_mdat(data):
    """An ISO-BMFF file with each top-level mdat emptied: the boxes the probe reads, without the media."""
    out, offset = bytearray(), 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset:offset + 4], "big")
        kind = data[offset + 4:offset + 8]
        header = 8
        if size == 1 and offset + 16 <= len(data):
            size, header = int.from_bytes(data[offset + 8:offset + 16], "big"), 16
        if size == 0:
            size = len(data) - offset
        if size < header:
            break
        out += (8).to_bytes(4, "big") + b"mdat" if kind == b"mdat" else data[offset:offset + size]
        offset += size
    return bytes(out)


def seeds(target, out):
    tmp = tempfile.mkdtemp(prefix="tuibao-seeds-")
    try:
        if target == "mime":
            for path in mails():
                out.add_file(path)
            for path in files(CORPORA + "/mimekit/UnitTests/TestData/mbox/*"):
                with open(path, "rb") as f:
                    out.add(f.read(64 << 10))
        elif target in ("encoded-words", "content-params"):
            names = (["Subject", "From", "To", "Cc", "Reply-To", "Sender", "Comments", "Thread-Topic"] if target == "encoded-words"
                     else ["Content-Type", "Content-Disposition"])
            for path in mails():
                with open(path, "rb") as f:
                    raw = f.read()
                for value in header_values(raw, names):
                    out.add(value)
            corpus = CORPORA + "/stalwart-mail-parser/resources/"
            for name in (["unstructured.json", "address.json"] if target == "encoded-words" else ["content_type.json"]):
                try:
                    for item in json.load(open(corpus + name)):
                        out.add(item["header"])
                except Exception:
                    pass
            if target == "encoded-words":
                for label, text in [("gb2312", "中华人民共和国"), ("gb18030", "䶮㛃"), ("big5", "中研院"), ("utf-16", "推报"),
                                    ("iso-2022-jp", "日本語"), ("utf-7", "推报"), ("shift_jis", "日本"), ("euc-kr", "한국")]:
                    try:
                        out.add(label.encode() + b"\n" + text.encode(label))
                    except LookupError:
                        pass
        elif target == "docx":
            for path in files("Samples/files/*.docx", "Samples/files/*.docm", "Tests/**/Fixtures/**/*.docx"):
                out.add_file(path)
        elif target == "xlsx":
            for data, _ in make_xlsx(tmp):
                out.add(data)
            for path in files("Tests/**/Fixtures/**/*.xlsx"):
                out.add_file(path)
        elif target == "ooxml-xml":
            for path in files("Samples/files/*.docx", "Samples/files/*.docm", "Tests/**/Fixtures/**/*.docx"):
                for name, xml in docx_xml(path).items():
                    if name.startswith("word/") and not name.startswith("word/theme"):
                        out.add(b"\x00" + xml, 64 << 10)
            for _, parts in make_xlsx(tmp):
                out.add(b"\x01" + parts["xl/sharedStrings.xml"].encode())
                out.add(b"\x02" + parts["xl/styles.xml"].encode())
                out.add(b"\x03" + parts["xl/worksheets/sheet1.xml"].encode())
        elif target == "ole":
            for path in files("Tests/**/Fixtures/**/*.doc", "Tests/**/Fixtures/**/*.wps", "Samples/files/*.doc", "Samples/files/*.wps"):
                out.add_file(path)
        elif target == "pdf":
            for path in files("Samples/files/*.pdf", "Tests/**/Fixtures/**/*.pdf"):
                out.add(pdf_text(path), 64 << 10)
                with open(path, "rb") as f:
                    out.add(f.read(4096))
            for path in files("Samples/files/*.txt"):
                out.add_file(path)
            out.add("第一段第一行\n第二行 wraps\nEnglish words\n\n\x0c第二页\n")
        elif target == "mp4":
            for path in files("Samples/files/*.mp4", "Samples/files/*.mov"):
                with open(path, "rb") as f:
                    out.add(collapse_mdat(f.read()))
        elif target == "image":
            for path in files("Samples/files/*.jpg", "Samples/files/*.png"):
                with open(path, "rb") as f:
                    out.add(f.read(16 << 10))
            for name, args in [("a.png", []), ("b.bmp", []), ("c.tif", []), ("d.jpg", ["-orient", "RightTop"]),
                               ("e.heic", []), ("f.avif", []), ("g.tif", ["-endian", "MSB"])]:
                target_path = os.path.join(tmp, name)
                subprocess.run(["convert", "-size", "7x5", "xc:red"] + args + [target_path], capture_output=True)
                if os.path.exists(target_path):
                    out.add_file(target_path, 16 << 10)
        elif target == "tnef":
            for path in files(CORPORA + "/mimekit/UnitTests/TestData/tnef/*.tnef"):
                out.add_file(path)
            for path in files("Samples/mail/*.eml"):
                for _, filename, payload in payloads(path):
                    if filename and filename.lower() == "winmail.dat":
                        out.add(payload)
        elif target == "archive":
            for path in files("Samples/files/*.7z", "Tests/**/Fixtures/**/*.rar", "Tests/**/Fixtures/**/*.zip", "Tests/**/Fixtures/**/*.7z"):
                out.add_file(path)
            src = os.path.join(tmp, "src")
            os.makedirs(os.path.join(src, "材料"))
            for name, text in [("材料/推报表.txt", "推报表\n"), ("essay.txt", "征文" * 50), ("a/../b.txt", "x")]:
                path = os.path.normpath(os.path.join(src, name))
                with open(path, "w") as f:
                    f.write(text)
            os.symlink("essay.txt", os.path.join(src, "link"))
            for fmt, extra in [("zip", []), ("7zip", []), ("ustar", []), ("pax", []), ("cpio", []), ("ustar", ["-z"]),
                               ("ustar", ["-j"]), ("ustar", ["-J"]), ("iso9660", []), ("ar", [])]:
                archive = os.path.join(tmp, f"x-{fmt}-{''.join(extra)}")
                subprocess.run(["bsdtar", "-c", "--format", fmt] + extra + ["-f", archive, "-C", src, "."], capture_output=True)
                if os.path.exists(archive):
                    out.add_file(archive)
            encrypted = os.path.join(tmp, "enc.zip")
            subprocess.run(["7zz", "a", "-pSECRET", encrypted, os.path.join(src, "essay.txt")], capture_output=True)
            if os.path.exists(encrypted):
                out.add_file(encrypted)
        elif target == "forms":
            for path in files("Samples/files/form-*.docx"):
                out.add(table_text(docx_xml(path).get("word/document.xml", b"")))
            out.add("推报单位\t物理研究所\n推报类型\t☑个人 □团队\n出生年月\t1990.05\n联系电话\t13800138000\n电子邮箱\ta@b.cn\n")
        elif target == "links":
            for path in files("Samples/mail/*.eml"):
                for content_type, _, payload in payloads(path):
                    if content_type.startswith("text/"):
                        charset = parsed(path).get_content_charset() or "utf-8"
                        try:
                            out.add(payload.decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset, "replace"), 64 << 10)
                        except LookupError:
                            out.add(payload, 64 << 10)
            out.add("链接: https://pan.baidu.com/s/1AbCdEfG 提取码: x7k2 复制这段内容后打开百度网盘App")
            out.add('<a href="https://www.aliyundrive.com/s/abcDEF?pwd=1234">阿里云盘</a> 密码：9z9z')
        elif target == "csv":
            header = "id,unit,category,nominee,title,submitted_on,file,sha256\n"
            row = 'JT017,物理研究所,个人,韩思远,"寻找答案, ""低温""",2017-05-14,jt017-essay.pdf,' + "ab" * 32 + "\n"
            out.add(header + row)
            out.add("\ufeff" + header + row.replace("\n", "\r\n"))
            out.add(("编号,单位,类型,名称,标题,日期,文件,sha256\r\n" + "JT018,化学研究所,团队,某团队,\"多行\n标题\",2017年5月14日,,\r\n").encode("gb18030"))
            out.add("id,unit,title\n1,,\n2,单位,标题\n3,单位\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    target, folder = sys.argv[1], sys.argv[2]
    out = Out(folder)
    seeds(target, out)
    print(f"{target}: {out.count} seeds")
