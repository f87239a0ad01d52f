#!/usr/bin/env python3
"""Check that every labelled value is visible in the rendered file (pdftotext / python-docx / raw
text). A value a maker does not print is reported; the label is then corrected by hand."""
import json, os, re, subprocess, sys, glob
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

def text_of(path):
    if path.endswith(".pdf"):
        return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    if path.endswith(".docx"):
        import docx
        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                for c in row.cells:
                    parts += [p.text for p in c.paragraphs]
        for s in d.sections:
            parts += [p.text for p in s.header.paragraphs]
        return "\n".join(parts)
    return open(path, encoding="utf-8").read()

def norm(s):
    return re.sub(r"\s+", " ", s.replace("\u00ad", "")).lower().replace("–", "-").replace("—", "-")

# --from=NNN: only u<NNN> and later (the labels of earlier files were checked when they were added)
FROM = next((int(a[7:]) for a in sys.argv if a.startswith("--from=")), 0)
def expected_paths():
    return [ep for ep in sorted(glob.glob(os.path.join(ROOT, "expected", "*.json")))
            if int(os.path.basename(ep)[1:].split("-")[0]) >= FROM]

for ep in expected_paths():
    e = json.load(open(ep))
    t = norm(text_of(os.path.join(ROOT, e["file"])))
    tn = re.sub(r"[^0-9a-zà-ÿ@.]+", "", t)
    miss = []
    def chk(kind, v):
        if v and norm(v) not in t and re.sub(r"[^0-9a-zà-ÿ@.]+", "", norm(v)) not in tn:
            miss.append(f"{kind}={v!r}")
    chk("name", e["name"]); chk("email", e["email"]); chk("phone", e["phone"]); chk("location", e["location"])
    for j in e["experience"]:
        chk("employer", j["employer"]); chk("title", j["title"])
    for s in e["education"]:
        chk("institution", s["institution"]); chk("degree", s["degree"])
    for s in e["skills"]:
        chk("skill", s)
    for l in e["links"]:
        chk("link", l.split("//")[-1])
    if miss:
        print(os.path.basename(ep), "; ".join(miss))

# --fix: drop links and locations that the maker does not print (the label says what a reader sees)
if "--fix" in sys.argv:
    for ep in expected_paths():
        e = json.load(open(ep))
        t = norm(text_of(os.path.join(ROOT, e["file"])))
        # a value wrapped across lines in a narrow column is still printed: compare without gaps too
        tn = re.sub(r"[^0-9a-zà-ÿ@.]+", "", t)
        gapless = lambda v: re.sub(r"[^0-9a-zà-ÿ@.]+", "", norm(v))
        keep = [l for l in e["links"] if norm(l.split("//")[-1]) in t or gapless(l.split("//")[-1]) in tn]
        loc = e["location"] if e["location"] and (norm(e["location"]) in t or norm(e["location"]).replace(",", "") in t
                                                  or gapless(e["location"]) in tn) else None
        if keep != e["links"] or loc != e["location"]:
            e["links"], e["location"] = keep, loc
            with open(ep, "w", encoding="utf-8") as f:
                json.dump(e, f, ensure_ascii=False, indent=2)
                f.write("\n")
            print("fixed", os.path.basename(ep))

# --links: a profile the file shows as a clickable handle or word ("LinkedIn", "jdoe") is a link a
# reader has: keep the person's links that the PDF carries as URI annotations, as well as those printed.
if "--links" in sys.argv:
    from pypdf import PdfReader
    sys.path.insert(0, os.path.dirname(__file__))
    from personas import make_people
    people = {p["name"]: p for p in make_people()}
    for ep in expected_paths():
        e = json.load(open(ep))
        path = os.path.join(ROOT, e["file"])
        if not path.endswith(".pdf"):
            continue
        uris = []
        for page in PdfReader(path).pages:
            for a in page.get("/Annots") or []:
                a = a.get_object()
                act = a.get("/A")
                if act and act.get_object().get("/URI"):
                    uris.append(str(act.get_object()["/URI"]).lower())
        want = [l for l in people[e["name"]]["links"]
                if l in e["links"] or any(l.split("//")[-1].lower() in u for u in uris)]
        if want != e["links"]:
            print("links", os.path.basename(ep), e["links"], "->", want)
            e["links"] = want
            with open(ep, "w", encoding="utf-8") as f:
                json.dump(e, f, ensure_ascii=False, indent=2)
                f.write("\n")
