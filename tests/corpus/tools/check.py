#!/usr/bin/env python3
"""Consistency check: every string label in expected/*.json must be findable in the text that
pdftotext (poppler) / pandoc / a plain read get out of the generated file. This catches labels that
drifted from the files; it says nothing about how hard the files are for our own parser.
Needs pdftotext and pandoc. Exit status 1 when something is missing.
"""

import glob
import html
import json
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def extract(path):
    if path.endswith(".pdf"):
        return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.endswith(".docx"):
        body = subprocess.run(["pandoc", path, "-t", "plain", "--wrap=none"], capture_output=True,
                              text=True, check=True).stdout
        with zipfile.ZipFile(path) as z:  # pandoc drops page headers and footers
            extra = [html.unescape(" ".join(re.findall(r"<w:t[^>]*>([^<]*)", z.read(n).decode("utf-8"))))
                     for n in z.namelist() if re.match(r"word/(header|footer)\d*\.xml$", n)]
        return "\n".join(extra + [body])
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError(path)


def norm(s):
    s = s.replace("\u00a0", " ").replace("\u2011", "-")
    s = re.sub(r"[\s|]+", " ", s)
    return s.casefold().strip()


def main():
    bad = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "expected", "*.json"))):
        exp = json.load(open(path, encoding="utf-8"))
        text = norm(extract(os.path.join(ROOT, exp["file"])))
        flat = text.replace(" ", "")
        want = [exp["name"], exp["email"], exp["phone"]] + [exp["location"]] * bool(exp["location"])
        want += [re.sub(r"^https?://", "", u) for u in exp["links"]]
        want += exp["headings"]
        for e in exp["experience"]:
            want += [e["employer"], e["title"]]
        for e in exp["education"]:
            want += [e["institution"], e["degree"]] + ([e["field"]] if e["field"] else [])
            want += [e["gpa"]] if e["gpa"] else []
        missing = [w for w in want if norm(w) not in text and norm(w).replace(" ", "") not in flat]
        if missing:
            bad += 1
            print(f"{os.path.basename(path)}: not found in {exp['file']}: {missing}")
    print("ok" if not bad else f"{bad} files with missing labels")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
