#!/bin/sh
# Regenerate tests/corpus/bad/ from committed files. Needs qpdf, pdftoppm (poppler-utils), chromium,
# soffice and python3.
set -eu
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
LO="-env:UserInstallation=file://$T/lo-profile"

# 1. Password-protected PDF (AES-256; user password "user", owner password "owner").
qpdf --encrypt user owner 256 -- files/r07-mech-eng.pdf bad/encrypted.pdf

# 2. Image-only "scanned" PDF: a page rendered to PNG, then printed inside an <img> by Chromium.
pdftoppm -png -gray -r 70 -f 1 -l 1 -singlefile files/r10-logistics.pdf "$T/scan"
cat > "$T/scan.html" <<HTML
<!DOCTYPE html><html><head><style>@page{size:A4;margin:0}html,body{margin:0;height:296mm;overflow:hidden}img{display:block;width:209mm;height:295mm}</style></head>
<body><img src="scan.png"></body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --no-pdf-header-footer --print-to-pdf=bad/scanned-image-only.pdf "file://$T/scan.html" 2>/dev/null

# 3. Legacy Word 97-2003 .doc written by LibreOffice.
soffice "$LO" --headless --convert-to doc:"MS Word 97" --outdir "$T" files/r09-hr.docx >/dev/null 2>&1
cp "$T/r09-hr.doc" bad/legacy-word97.doc

# 4. A PNG renamed to .pdf.
pdftoppm -png -gray -r 30 -f 1 -l 1 -singlefile files/r01-software.pdf "$T/small"
cp "$T/small.png" bad/png-renamed.pdf

# 5. A PDF cut in half (no xref table, no %%EOF).
python3 - <<'PY'
data = open("files/r04-accountant.pdf", "rb").read()
open("bad/truncated.pdf", "wb").write(data[: len(data) // 2])
PY

# 6. An .xlsx spreadsheet renamed to .docx: a valid SpreadsheetML package (written here by hand,
#    since the LibreOffice install may lack Calc) with no word/document.xml.
python3 - <<'PY'
import zipfile
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Candidates" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Role</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Ana</t></is></c><c r="B2" t="inlineStr"><is><t>Engineer</t></is></c></row>'
    '</sheetData></worksheet>',
}
with zipfile.ZipFile("bad/xlsx-renamed.docx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, body in parts.items():
        z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), body)
PY

# 7. Empty files.
: > bad/empty.pdf
: > bad/empty.docx
: > bad/empty.txt

# 8. A zip that is not a Word document at all.
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("bad/plain-zip.docx", "w") as z:
    z.writestr(zipfile.ZipInfo("notes.txt", (2026, 1, 1, 0, 0, 0)), "This is a zip archive with a .docx name and no Office content.\n")
PY

# 9. Binary noise named .txt (deterministic bytes, mostly invalid UTF-8 and NULs).
python3 - <<'PY'
import random
rng = random.Random(42)
open("bad/binary-noise.txt", "wb").write(bytes(rng.randrange(256) for _ in range(4096)))
PY

# 10. A PDF whose text layer is empty because the page is blank (no text at all).
printf '<!DOCTYPE html><html><body></body></html>' > "$T/blank.html"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --no-pdf-header-footer --print-to-pdf=bad/blank-page.pdf "file://$T/blank.html" 2>/dev/null

ls -l bad
