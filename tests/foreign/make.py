#!/usr/bin/env python3
"""Letters Saraban did not make, for measuring how well `saraban receive` reads a letter.

The three public DLA circulars and the memo of tests/fixtures, in variants (number, date,
urgency, references, Thai or Arabic digits), typeset by typst (the typst package from PyPI,
which set-up installs in .tools/py) in the official layout as an office would type it in
another program, with a stand-in emblem (a black box). For each letter it writes NAME.pdf
and NAME.truth.json (the fields as printed), and with --scans, NAME.scan.png: the first
page scanned at 200 dpi, turned 2 degrees, with noise (pdftoppm and ImageMagick).

    make.py OUT_DIR [--scans]
"""

import json
import pathlib
import subprocess
import sys

import typst

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
URGENCY = {"urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}


def s(text):
    """A typst string literal (no markup is read inside it)."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def digits(text, thai):
    return text.translate(THAI) if thai else text.translate(ARABIC)


def thai_date(iso, thai):
    y, m, d = (int(x) for x in iso.split("-"))
    return digits(f"{d} {MONTHS[m - 1]} {y + 543}", thai)


# Variants of each letter: running number, date, urgency, a reference, Thai digits.
VARIANTS = [
    (123, "2026-03-05", None, False, True),
    (4567, "2025-11-28", "urgent", True, True),
    (89, "2026-07-14", "most_urgent", False, True),
    (1024, "2024-01-09", "very_urgent", True, False),
]

REFERENCE = "หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท 0810.4/ว 1234 ลงวันที่ 1 มีนาคม 2569"

PAGE = """#set page(paper: "a4", margin: (left: 3cm, right: 2cm, top: 1.5cm, bottom: 2cm))
#set text(font: "Laksaman", size: 16pt, lang: "th", top-edge: "ascender", bottom-edge: "descender")
#set par(leading: 0.15em, spacing: 0.35em)
"""


def external(letter, variant):
    running, date, urgency, with_ref, thai = variant
    code = letter["number"]["prefix"]
    slash = "/ว " if letter.get("circular") else "/"
    number = digits(f"{code}{slash}{running}", thai)
    agency = letter["agency"]["name"]
    address = letter["agency"].get("address", [])
    refs = [digits(REFERENCE, thai)] if with_ref else []
    encl = [digits(e["title"], thai) for e in letter.get("enclosures", [])]
    out = [PAGE]
    if urgency:
        out.append(f'#place(top + left, dy: 1.2cm, text(size: 28pt, weight: "bold", fill: red)[{s(URGENCY[urgency])}])')
    out.append("#align(center, rect(width: 2.6cm, height: 3cm, fill: black))")
    right = "\\ ".join(s(digits(x, thai)) for x in [agency] + address)
    out.append(f"#grid(columns: (1fr, auto), align: (left + bottom, left + bottom), [ที่ {s(number)}], [{right}])")
    out.append("#v(0.3cm)")
    out.append(f"#pad(left: 7.5cm)[{s(thai_date(date, thai))}]")
    out.append("#v(0.3cm)")

    def labelled(label, value):
        return f"#grid(columns: (auto, 1fr), column-gutter: 0.6em, [{label}], [{s(value)}])"

    out.append(labelled("เรื่อง", digits(letter["subject"], thai)))
    out.append(labelled("เรียน", digits(letter["recipient"], thai)))
    for r in refs:
        out.append(labelled("อ้างถึง", r))
    for i, e in enumerate(encl):
        n = digits(f"{i + 1}.", thai) + " " if len(encl) > 1 else ""
        out.append(labelled("สิ่งที่ส่งมาด้วย" if i == 0 else "#hide[สิ่งที่ส่งมาด้วย]", n + e))
    out.append("#v(0.3cm)")
    out.append("#set par(justify: true, first-line-indent: (amount: 2.5cm, all: true))")
    for p in letter.get("body", []):
        if isinstance(p, str):
            out.append(s(digits(p, thai)) + "\n")
    out.append("#set par(first-line-indent: 0cm)")
    out.append(f"#pad(left: 7.5cm)[{s(letter.get('closing', 'ขอแสดงความนับถือ'))}]")
    signer = letter.get("signer") or {"name": "นายประยูร รัตนเสนีย์", "positions": ["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]}
    positions = signer.get("positions") or [signer.get("position", "")]
    out.append("#v(1.6cm)")
    out.append(f"#pad(left: 5cm, align(center)[({s(signer['name'])})\\ {s(positions[0])}])")
    owner = letter.get("owner") or {}
    if owner:
        out.append("#v(0.6cm)")
        lines = [owner.get("department", ""), owner.get("unit", ""),
                 ("โทร. " + owner["phone"]) if owner.get("phone") else ""]
        out.append("\\ ".join(s(digits(x, thai)) for x in lines if x))
    truth = {
        "number": number,
        "date": date,
        "from": agency,
        "to": digits(letter["recipient"], thai),
        "subject": digits(letter["subject"], thai),
        "urgency": urgency,
        "references": refs,
        "enclosures": encl,
    }
    return "\n".join(out), truth


def memo(letter, variant):
    running, date, urgency, with_ref, thai = variant
    number = digits(f"{letter['number']['prefix']}/{running}", thai)
    part = f"{letter['agency']['name']} {letter['owner']['department']}"
    phone = digits(letter["owner"].get("phone", ""), thai)
    out = [PAGE]
    if urgency:
        out.append(f'#place(top + left, dy: -1.3cm, text(size: 24pt, weight: "bold", fill: red)[{s(URGENCY[urgency])}])')
    out.append('#grid(columns: (1.5cm, 1fr), align: (left, center + horizon), rect(width: 1.3cm, height: 1.5cm, fill: black), text(size: 29pt, weight: "bold")[บันทึกข้อความ])')
    out.append("#v(0.2cm)")
    out.append(f'#text(weight: "bold")[ส่วนราชการ] {s(part)} {s("โทร. " + phone)}')
    out.append(f'#grid(columns: (1fr, 1fr), [#text(weight: "bold")[ที่] {s(number)}], [#text(weight: "bold")[วันที่] {s(thai_date(date, thai))}])')
    out.append(f'#grid(columns: (auto, 1fr), column-gutter: 0.6em, text(weight: "bold")[เรื่อง], [{s(digits(letter["subject"], thai))}])')
    out.append("#v(0.2cm)")
    out.append(f"เรียน {s(digits(letter['recipient'], thai))}")
    refs = [digits(REFERENCE, thai)] if with_ref else []
    out.append("#set par(justify: true, first-line-indent: (amount: 2.5cm, all: true))")
    for p in letter.get("body", []):
        if isinstance(p, str):
            out.append(s(digits(p, thai)) + "\n")
    out.append("#set par(first-line-indent: 0cm)")
    out.append("#v(1.6cm)")
    out.append(f"#pad(left: 5cm, align(center)[({s(letter['signer']['name'])})\\ {s(letter['signer']['position'])}])")
    truth = {
        "number": number,
        "date": date,
        "from": part,
        "to": digits(letter["recipient"], thai),
        "subject": digits(letter["subject"], thai),
        "urgency": urgency,
        "references": [],
        "enclosures": [],
    }
    return "\n".join(out), truth


def main():
    out = pathlib.Path(sys.argv[1])
    scans = "--scans" in sys.argv[2:]
    out.mkdir(parents=True, exist_ok=True)
    letters = [
        ("jclair", "jclair-specialists.json", external),
        ("green", "green-area-training.json", external),
        ("p4g", "p4g-invitation.json", external),
        ("memo", "memo.json", memo),
    ]
    for name, file, make in letters:
        letter = json.loads((FIXTURES / file).read_text(encoding="utf-8"))
        for i, variant in enumerate(VARIANTS):
            stem = f"{name}-{i + 1}"
            source, truth = make(letter, variant)
            typ = out / f"{stem}.typ"
            typ.write_text(source, encoding="utf-8")
            pdf = out / f"{stem}.pdf"
            typst.compile(str(typ), output=str(pdf), font_paths=["/usr/share/fonts/truetype/tlwg"])
            (out / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
            if scans:
                page = out / f"{stem}.page"
                subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-gray", "-png", "-singlefile", str(pdf), str(page)], check=True)
                # The noise drawn from a fixed seed per letter: the same set every run, so
                # that the accuracy measured is the accuracy of the reader, not of the draw.
                seed = str(sum(map(ord, stem)))
                subprocess.run(["convert", "-seed", seed, f"{page}.png", "-background", "white", "-rotate", "2",
                                "-attenuate", "0.4", "+noise", "Gaussian", "-colorspace", "Gray",
                                str(out / f"{stem}.scan.png")], check=True)
                pathlib.Path(f"{page}.png").unlink()


if __name__ == "__main__":
    main()
