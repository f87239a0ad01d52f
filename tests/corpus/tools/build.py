#!/usr/bin/env python3
"""Turn tests/corpus/src/* into tests/corpus/files/* with the maker named in expected/<id>.json.

Needs: chromium, soffice (LibreOffice), pandoc, pdflatex and lualatex (TeX Live). Standard library only.
Usage: build.py [id-prefix ...]   (no argument: everything)
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "src")
OUT = os.path.join(ROOT, "files")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1767225600", FORCE_SOURCE_DATE="1", TZ="UTC")


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout)
        raise SystemExit(f"failed: {' '.join(cmd)}")


def soffice(src, fmt, outdir, infilter=None):
    # A private profile directory keeps this run from clashing with any running LibreOffice.
    profile = os.path.join(tempfile.gettempdir(), "corpus-lo-profile")
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    run(cmd + ["--convert-to", fmt, "--outdir", outdir, src])


def chromium(src, dst):
    run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--no-pdf-header-footer", f"--print-to-pdf={dst}", "file://" + src])


def build(rid, exp, tmp):
    maker, out = exp["maker"], os.path.join(ROOT, exp["file"])
    src = glob.glob(os.path.join(SRC, rid + ".*"))
    assert len(src) == 1, (rid, src)
    src = src[0]
    if maker == "chromium":
        chromium(src, out)
    elif maker == "libreoffice":
        soffice(src, 'docx:MS Word 2007 XML', tmp, infilter=None if src.endswith(".fodt") else "HTML (StarWriter)")
        docx = os.path.join(tmp, rid + ".docx")
        if out.endswith(".pdf"):
            soffice(docx, "pdf:writer_pdf_Export", tmp)
            shutil.copy(os.path.join(tmp, rid + ".pdf"), out)
        else:
            shutil.copy(docx, out)
    elif maker == "pandoc":
        run(["pandoc", src, "-o", out])
    elif maker == "pandoc+pdflatex":
        run(["pandoc", src, "-o", out, "--pdf-engine=pdflatex", "-V", "geometry:margin=2cm",
             "-V", "fontsize=10pt", "-V", "pagestyle=empty"])
    elif maker in ("pdflatex", "lualatex"):
        shutil.copy(src, tmp)
        run([maker, "-interaction=nonstopmode", "-halt-on-error", os.path.basename(src)], cwd=tmp)
        shutil.copy(os.path.join(tmp, rid + ".pdf"), out)
    elif maker == "hand":
        shutil.copy(src, out)
    else:
        raise SystemExit(f"{rid}: unknown maker {maker}")
    size = os.path.getsize(out)
    print(f"{rid:28} {maker:16} {size:>7} bytes")
    if size > 150_000:
        raise SystemExit(f"{rid}: {size} bytes is over the 150 KB budget")


def main():
    os.makedirs(OUT, exist_ok=True)
    wanted = sys.argv[1:]
    for path in sorted(glob.glob(os.path.join(ROOT, "expected", "*.json"))):
        rid = os.path.basename(path)[:-5]
        if wanted and not any(rid.startswith(w) for w in wanted):
            continue
        with open(path, encoding="utf-8") as f:
            exp = json.load(f)
        with tempfile.TemporaryDirectory() as tmp:
            build(rid, exp, tmp)


if __name__ == "__main__":
    main()
