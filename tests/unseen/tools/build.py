#!/usr/bin/env python3
"""Render the invented people of personas.py with third-party makers into tests/unseen/files,
write the labels into tests/unseen/expected and the manifest into tests/unseen/manifest.json.

Not run by CI (CI reads the committed files). Needs: chromium, pandoc, libreoffice-writer,
texlive (latex-extra, xetex, luatex, fonts-extra), python-docx, reportlab, node with the
jsonresume themes installed in $JR_DIR (default /tmp/jr).

  python3 tests/unseen/tools/build.py [maker-prefix ...]
"""

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from personas import make_people, fmt_date, label  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FILES = os.path.join(ROOT, "files")
EXPECTED = os.path.join(ROOT, "expected")
JR_DIR = os.environ.get("JR_DIR", "/tmp/jr")
PEOPLE = make_people()
MANIFEST = []


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {r.stdout[-1500:]}\n{r.stderr[-1500:]}")
    return r


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception:
        return "?"


def save(fid, ext, data_path, p, maker, date_style, sections, **kw):
    name = f"{fid}.{ext}"
    dest = os.path.join(FILES, name)
    shutil.copyfile(data_path, dest)
    lab = label(p, f"files/{name}", maker, date_style, sections, **kw)
    with open(os.path.join(EXPECTED, f"{fid}.json"), "w", encoding="utf-8") as f:
        json.dump(lab, f, ensure_ascii=False, indent=2)
        f.write("\n")
    sha = hashlib.sha256(open(dest, "rb").read()).hexdigest()
    MANIFEST.append(dict(file=f"files/{name}", maker=maker, source="generated here by tests/unseen/tools/build.py "
                         "from the invented people in personas.py", licence="CC0-1.0 (invented content)",
                         sha256=sha, committed=True, labelled=True))
    print("wrote", name, "-", maker)


def dates(j, style, sep=" – "):
    return fmt_date(j["start"], style)[0] + sep + fmt_date(j["end"], style)[0]


def chromium_pdf(html_path, pdf_path):
    prof = tempfile.mkdtemp()
    run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={prof}", f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer",
         "file://" + html_path])
    shutil.rmtree(prof, ignore_errors=True)


# ---------------------------------------------------------------- JSON Resume themes + Chromium

def jsonresume_doc(p):
    city, _, region = p["location"].partition(", ")
    prof = []
    for l in p["links"]:
        net = "LinkedIn" if "linkedin" in l else "GitHub"
        prof.append(dict(network=net, username=l.rstrip("/").split("/")[-1], url=l))
    ym = lambda d: None if d is None else f"{d[0]}-{d[1]:02d}-01"
    work = [dict(name=j["employer"], company=j["employer"], position=j["title"], location=j["city"], startDate=ym(j["start"]),
                 **({"endDate": ym(j["end"])} if j["end"] else {}), highlights=j["bullets"]) for j in p["jobs"]]
    edu = [dict(institution=e["institution"], studyType=e["degree"], area=e["field"] or "",
                startDate=f"{e['start']}-09-01", endDate=f"{e['end']}-06-01") for e in p["education"]]
    return dict(basics=dict(name=p["name"], label=p["jobs"][0]["title"], email=p["email"], phone=p["phone"],
                            summary=p["summary"], location=dict(city=city, region=region, address=p["location"]), profiles=prof),
                work=work, education=edu, skills=[dict(name=s, keywords=[]) for s in p["skills"]],
                languages=[dict(language=l, fluency="") for l in p["languages"]])


LETTERSPACE_CSS = """<style>
h1, h2, h3, .name, header h1 { letter-spacing: 0.25em !important; }
.contact, .contact *, header ul li, .basics *, .position, .job-title, h4 { letter-spacing: 0.12em !important; }
</style>"""


def theme_version(theme):
    try:
        return json.load(open(os.path.join(JR_DIR, "node_modules", theme, "package.json")))["version"]
    except Exception:
        return "?"


def make_jsonresume(fid, p, theme, letterspace=False):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "resume.json")
        json.dump(jsonresume_doc(p), open(src, "w"), ensure_ascii=False)
        out = os.path.join(d, "resume.html")
        js = ("(async()=>{let t;try{t=require(process.argv[1])}catch(e){const m=await import(process.argv[1]);"
              "t=m.render?m:m.default}const r=require(process.argv[2]);"
              "require('fs').writeFileSync(process.argv[3],await t.render(r))})()")
        run(["node", "-e", js, theme, src, out], cwd=JR_DIR, env=dict(os.environ, NODE_PATH=os.path.join(JR_DIR, "node_modules")))
        h = open(out, encoding="utf-8").read()
        if letterspace:
            h = h.replace("</head>", LETTERSPACE_CSS + "</head>") if "</head>" in h else LETTERSPACE_CSS + h
            open(out, "w", encoding="utf-8").write(h)
        pdf = os.path.join(d, "out.pdf")
        chromium_pdf(out, pdf)
        maker = f"chromium {version(['chromium', '--version']).split()[1]} + {theme} {theme_version(theme)}" + \
                (" + CSS letter-spacing" if letterspace else "")
        save(fid, "pdf", pdf, p, maker, "short", ["summary", "experience", "education", "skills", "languages"],
             layout="html-theme")


# ---------------------------------------------------------------- hand-written HTML templates + Chromium

def make_html(fid, p, variant):
    e = html.escape
    if variant == "sidebar":
        side = f"""<aside><h1>{e(p['name'])}</h1><p class=t>{e(p['jobs'][0]['title'])}</p>
<h3>Contact</h3><p>{e(p['email'])}<br>{e(p['phone'])}<br>{e(p['location'])}<br>{'<br>'.join(e(l) for l in p['links'])}</p>
<h3>{e(p['skill_heading'])}</h3><ul>{''.join(f'<li>{e(s)}</li>' for s in p['skills'])}</ul>
<h3>Languages</h3><p>{e(', '.join(p['languages']))}</p></aside>"""
        jobs = "".join(f"""<div class=job><div class=row><b>{e(j['title'])}</b><span>{e(dates(j, 'short'))}</span></div>
<div class=co>{e(j['employer'])} · {e(j['city'])}</div><ul>{''.join(f'<li>{e(b)}</li>' for b in j['bullets'])}</ul></div>""" for j in p["jobs"])
        edus = "".join(f"<div class=job><b>{e(x['degree'])}{', ' + e(x['field']) if x['field'] else ''}</b><div class=co>{e(x['institution'])}, {x['end']}</div></div>" for x in p["education"])
        body = f"""{side}<main><h2>Profile</h2><p>{e(p['summary'])}</p><h2>{e(p['exp_heading'])}</h2>{jobs}
<h2>{e(p['edu_heading'])}</h2>{edus}</main>"""
        css = """body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;display:flex;margin:0}
aside{width:32%;background:#23395b;color:#fff;padding:18px}main{width:68%;padding:18px}
h1{font-size:20pt;margin:0}h2{border-bottom:2px solid #23395b;text-transform:uppercase;letter-spacing:3px;font-size:12pt}
h3{text-transform:uppercase;letter-spacing:2px;font-size:10pt}.row{display:flex;justify-content:space-between}
.co{font-style:italic;color:#444}aside ul{padding-left:14px}"""
        sections = ["summary", "experience", "education", "skills", "languages"]
        layout, ds = "two-column", "short"
    else:  # "spaced": letter-spaced header with pipe-separated position lines
        jobs = "".join(f"""<p class=pos>{e(j['employer'])} | {e(j['title'])} | {e(j['city'])} | {e(dates(j, 'year', ' - '))}</p>
<ul>{''.join(f'<li>{e(b)}</li>' for b in j['bullets'])}</ul>""" for j in p["jobs"])
        edus = "".join(f"<p><b>{e(x['institution'])}</b> — {e(x['degree'])}{' in ' + e(x['field']) if x['field'] else ''}, {x['end']}</p>" for x in p["education"])
        body = f"""<header><h1>{e(p['name'])}</h1>
<p class=contact>{e(p['location'])} &nbsp;•&nbsp; {e(p['phone'])} &nbsp;•&nbsp; {e(p['email'])}{''.join(' &nbsp;•&nbsp; ' + e(l) for l in p['links'])}</p></header>
<h2>Summary</h2><p>{e(p['summary'])}</p><h2>{e(p['exp_heading'])}</h2>{jobs}
<h2>{e(p['skill_heading'])}</h2><p>{e(' • '.join(p['skills']))}</p><h2>{e(p['edu_heading'])}</h2>{edus}"""
        css = """body{font-family:'Liberation Serif',serif;font-size:10.5pt;margin:36px}
header{text-align:center}h1{letter-spacing:6px;text-transform:uppercase;font-weight:400;margin:0}
.contact{letter-spacing:1.5px;font-size:9pt}h2{letter-spacing:4px;text-transform:uppercase;font-size:11pt;border-bottom:1px solid #000}
.pos{font-weight:bold;margin-bottom:2px}"""
        sections = ["summary", "experience", "skills", "education"]
        layout, ds = "single-column", "year"
    with tempfile.TemporaryDirectory() as d:
        hp = os.path.join(d, "r.html")
        open(hp, "w", encoding="utf-8").write(f"<!doctype html><html><head><meta charset=utf-8><style>{css}</style></head><body>{body}</body></html>")
        pdf = os.path.join(d, "r.pdf")
        chromium_pdf(hp, pdf)
        save(fid, "pdf", pdf, p, f"chromium {version(['chromium', '--version']).split()[1]} + hand-written HTML ({variant})",
             ds, sections, layout=layout)


# ---------------------------------------------------------------- LaTeX

def tx(s):
    if s is None:
        return ""
    for a, b in [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                 ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}")]:
        s = s.replace(a, b)
    return s


def latex(fid, p, source, engine, maker, date_style, sections, layout="single-column", extra_files=None):
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "cv.tex"), "w", encoding="utf-8").write(source)
        for _ in range(2):
            run([engine, "-interaction=nonstopmode", "-halt-on-error", "cv.tex"], cwd=d)
        v = version([engine, "--version"])
        save(fid, "pdf", os.path.join(d, "cv.pdf"), p, f"{maker} via {v}", date_style, sections, layout=layout)


def items(xs):
    return "".join("\\item " + tx(x) for x in xs)


HFILL, PAR, CVLIST, CVITEM = "\\hfill ", "\\par", "\\cvlistitem{", "\\cvitem{}{"
BEGIN_IT, END_IT = "\\begin{itemize}", "\\end{itemize}"


def urls(links):
    return "".join(" $|$ \\url{" + l + "}" for l in links)


def tex_preamble(engine):
    if engine == "pdflatex":
        return "\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
    return ""


def make_moderncv(fid, p, style, engine, color="blue"):
    first, _, last = p["name"].rpartition(" ")
    if not first:
        first, last = p["name"], ""
    jobs = "\n".join(
        f"\\cventry{{{tx(dates(j, 'short', ' -- '))}}}{{{tx(j['title'])}}}{{{tx(j['employer'])}}}{{{tx(j['city'])}}}{{}}"
        f"{{\\begin{{itemize}}{items(j['bullets'])}\\end{{itemize}}}}" for j in p["jobs"])
    edus = "\n".join(f"\\cventry{{{x['start']}--{x['end']}}}{{{tx(x['degree'])}}}{{{tx(x['institution'])}}}{{}}{{{tx(x['field'] or '')}}}{{}}"
                     for x in p["education"])
    social = "\n".join(f"\\social[linkedin]{{{l.split('/in/')[1]}}}" if "/in/" in l else f"\\social[github]{{{l.rstrip('/').split('/')[-1]}}}"
                       for l in p["links"])
    # the links as a reader sees them: moderncv prints the handle, not the URL
    src = f"""\\documentclass[11pt,a4paper,sans]{{moderncv}}
\\moderncvstyle{{{style}}}
\\moderncvcolor{{{color}}}
{tex_preamble(engine)}\\usepackage[scale=0.8]{{geometry}}
\\name{{{tx(first)}}}{{{tx(last)}}}
\\title{{{tx(p['jobs'][0]['title'])}}}
\\address{{{tx(p['location'])}}}{{}}{{}}
\\phone[mobile]{{{tx(p['phone'])}}}
\\email{{{tx(p['email'])}}}
{social}
\\begin{{document}}
\\makecvtitle
\\section{{Summary}}
\\cvitem{{}}{{{tx(p['summary'])}}}
\\section{{{tx(p['exp_heading'])}}}
{jobs}
\\section{{{tx(p['edu_heading'])}}}
{edus}
\\section{{{tx(p['skill_heading'])}}}
\\cvitem{{}}{{{tx(', '.join(p['skills']))}}}
\\section{{Languages}}
\\cvitem{{}}{{{tx(', '.join(p['languages']))}}}
\\end{{document}}
"""
    latex(fid, p, src, engine, f"moderncv {style}", "short",
          ["summary", "experience", "education", "skills", "languages"],
          layout="two-column" if style in ("casual", "classic") else "single-column")


def make_europass(fid, p, engine):
    jobs = "\n".join(f"""\\ecvtitle{{{tx(dates(j, 'num', ' -- '))}}}{{{tx(j['title'])}}}
\\ecvitem{{}}{{{tx(j['employer'])}, {tx(j['city'])}}}
\\ecvitem{{}}{{\\begin{{ecvitemize}}{items(j['bullets'])}\\end{{ecvitemize}}}}""" for j in p["jobs"])
    edus = "\n".join(f"""\\ecvtitle{{{x['start']} -- {x['end']}}}{{{tx(x['degree'])}{', ' + tx(x['field']) if x['field'] else ''}}}
\\ecvitem{{}}{{{tx(x['institution'])}}}""" for x in p["education"])
    src = f"""\\documentclass[english,a4paper]{{europasscv}}
{tex_preamble(engine)}\\ecvname{{{tx(p['name'])}}}
\\ecvaddress{{{tx(p['location'])}}}
\\ecvmobile{{{tx(p['phone'])}}}
\\ecvemail{{{tx(p['email'])}}}
\\begin{{document}}
\\begin{{europasscv}}
\\ecvpersonalinfo
\\ecvsection{{Work experience}}
{jobs}
\\ecvsection{{Education and training}}
{edus}
\\ecvsection{{Personal skills}}
\\ecvitem{{Job-related skills}}{{{tx(', '.join(p['skills']))}}}
\\end{{europasscv}}
\\end{{document}}
"""
    latex(fid, p, src, engine, "europasscv", "num", ["experience", "education", "skills"], layout="two-column")


def make_currvita(fid, p, engine):
    jobs = "\n".join(f"""\\item[{tx(dates(j, 'year', '--'))}] \\textbf{{{tx(j['title'])}}}, {tx(j['employer'])}, {tx(j['city'])}.
{' '.join(tx(b) + '.' for b in j['bullets'])}""" for j in p["jobs"])
    edus = "\n".join(f"\\item[{x['end']}] {tx(x['degree'])}{', ' + tx(x['field']) if x['field'] else ''}, {tx(x['institution'])}" for x in p["education"])
    src = f"""\\documentclass[a4paper,11pt]{{article}}
{tex_preamble(engine)}\\usepackage{{currvita}}
\\begin{{document}}
\\begin{{cv}}{{{tx(p['name'])}}}
{tx(p['location'])} \\quad {tx(p['phone'])} \\quad {tx(p['email'])}
\\begin{{cvlist}}{{{tx(p['exp_heading'])}}}
{jobs}
\\end{{cvlist}}
\\begin{{cvlist}}{{{tx(p['edu_heading'])}}}
{edus}
\\end{{cvlist}}
\\begin{{cvlist}}{{{tx(p['skill_heading'])}}}
\\item {tx('; '.join(p['skills']))}
\\end{{cvlist}}
\\end{{cv}}
\\end{{document}}
"""
    latex(fid, p, src, engine, "currvita (article)", "year", ["experience", "education", "skills"], layout="two-column")


def make_article(fid, p, engine, variant):
    if variant == "jake":  # tabular header lines: Title \hfill dates / Company \hfill city
        jobs = "\n".join(f"""\\noindent\\textbf{{{tx(j['employer'])}}} \\hfill {tx(j['city'])}\\\\
\\textit{{{tx(j['title'])}}} \\hfill \\textit{{{tx(dates(j, 'short', ' -- '))}}}
\\begin{{itemize}}\\setlength\\itemsep{{0pt}}{items(j['bullets'])}\\end{{itemize}}""" for j in p["jobs"])
        head = f"""\\begin{{center}}{{\\Huge\\scshape {tx(p['name'])}}}\\\\[4pt]
\\small {tx(p['phone'])} $|$ \\href{{mailto:{p['email']}}}{{{tx(p['email'])}}}{urls(p['links'])} $|$ {tx(p['location'])}\\end{{center}}"""
        ds = "short"
        skills = f"\\noindent {tx(', '.join(p['skills']))}"
    elif variant == "rightaddr":  # right-aligned address above the name, "Title, Company — dates"
        jobs = "\n".join(f"""\\noindent\\textbf{{{tx(j['title'])}}}, {tx(j['employer'])} --- {tx(dates(j, 'long', ' to '))}
\\begin{{itemize}}{items(j['bullets'])}\\end{{itemize}}""" for j in p["jobs"])
        head = f"""\\begin{{flushright}}{tx(p['location'])}\\\\{tx(p['phone'])}\\\\{tx(p['email'])}\\end{{flushright}}
\\noindent{{\\LARGE\\bfseries {tx(p['name'])}}}\\\\[2pt]\\rule{{\\linewidth}}{{0.6pt}}"""
        ds = "long"
        skills = BEGIN_IT + items(p["skills"]) + END_IT
    else:  # "at": Title at Company (dates), name beside contact facts
        jobs = "\n".join(f"""\\noindent\\textbf{{{tx(j['title'])} at {tx(j['employer'])}}} ({tx(dates(j, 'short', ' -- '))})
\\begin{{itemize}}{items(j['bullets'])}\\end{{itemize}}""" for j in p["jobs"])
        head = f"""\\noindent{{\\Large\\bfseries {tx(p['name'])}}} \\hfill {tx(p['phone'])} \\textbullet{{}} {tx(p['email'])}\\\\
{tx(p['location'])}\\\\[4pt]"""
        ds = "short"
        skills = f"\\noindent {tx(' | '.join(p['skills']))}"
    edus = "\n\n".join(f"\\noindent\\textbf{{{tx(x['institution'])}}} \\hfill {x['end']}\\\\ {tx(x['degree'])}{', ' + tx(x['field']) if x['field'] else ''}" for x in p["education"])
    fonts = "\\usepackage{fontspec}\\setmainfont{TeX Gyre Pagella}\n" if engine != "pdflatex" else "\\usepackage{lmodern}\n"
    src = f"""\\documentclass[10pt,letterpaper]{{article}}
{tex_preamble(engine)}{fonts}\\usepackage[margin=0.7in]{{geometry}}
\\usepackage{{titlesec}}\\usepackage[hidelinks]{{hyperref}}
\\titleformat{{\\section}}{{\\large\\scshape\\raggedright}}{{}}{{0em}}{{}}[\\titlerule]
\\pagestyle{{empty}}
\\begin{{document}}
{head}
\\section*{{Summary}}
{tx(p['summary'])}
\\section*{{{tx(p['exp_heading'])}}}
{jobs}
\\section*{{{tx(p['edu_heading'])}}}
{edus}
\\section*{{{tx(p['skill_heading'])}}}
{skills}
\\end{{document}}
"""
    latex(fid, p, src, engine, f"LaTeX article ({variant} layout)", ds, ["summary", "experience", "education", "skills"])


# ---------------------------------------------------------------- python-docx

def docx_bullets(doc, items, style="List Bullet"):
    for b in items:
        doc.add_paragraph(b, style=style)


def build_docx(p, variant, path):
    import docx
    from docx.shared import Pt
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    doc = docx.Document()
    st = doc.styles["Normal"]
    st.font.name = "Calibri"
    st.font.size = Pt(10.5)
    contact = [p["email"], p["phone"], p["location"]] + p["links"]
    if variant == "table-header":  # name left, contact right in a table; contact also in the header part
        t = doc.add_table(rows=1, cols=2)
        c0, c1 = t.rows[0].cells
        r = c0.paragraphs[0].add_run(p["name"])
        r.bold, r.font.size = True, Pt(20)
        c0.add_paragraph(p["jobs"][0]["title"])
        c1.paragraphs[0].text = p["email"]
        for x in contact[1:]:
            c1.add_paragraph(x)
        for para in c1.paragraphs:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.sections[0].header.paragraphs[0].text = f"{p['name']} — Curriculum Vitae"
        ds = "short"
    else:
        h = doc.add_paragraph()
        r = h.add_run(p["name"])
        r.bold, r.font.size = True, Pt(18)
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        c = doc.add_paragraph(" | ".join(contact))
        c.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ds = {"pipe": "year", "comma": "long", "at": "num", "twocol": "short"}[variant]
    doc.add_heading("Professional Summary", level=1)
    doc.add_paragraph(p["summary"])
    if variant == "twocol":  # skills in a left cell, experience in the right cell
        t = doc.add_table(rows=1, cols=2)
        left, right = t.rows[0].cells
        left.paragraphs[0].add_run(p["skill_heading"].upper()).bold = True
        for s in p["skills"]:
            left.add_paragraph(s, style="List Bullet")
        right.paragraphs[0].add_run(p["exp_heading"].upper()).bold = True
        for j in p["jobs"]:
            right.add_paragraph().add_run(j["title"]).bold = True
            right.add_paragraph(f"{j['employer']}, {j['city']}  ({dates(j, ds)})")
            for b in j["bullets"]:
                right.add_paragraph(b, style="List Bullet")
    else:
        doc.add_heading(p["exp_heading"], level=1)
        for j in p["jobs"]:
            if variant == "pipe":
                doc.add_paragraph().add_run(f"{j['employer']} | {j['title']} | {j['city']} | {dates(j, ds, ' - ')}").bold = True
            elif variant == "comma":
                para = doc.add_paragraph()
                para.add_run(j["title"]).bold = True
                para.add_run(f", {j['employer']} — {dates(j, ds, ' to ')}")
            elif variant == "at":
                doc.add_paragraph().add_run(f"{j['title']} at {j['employer']} ({dates(j, ds, ' - ')})").bold = True
            else:
                para = doc.add_paragraph()
                para.add_run(j["title"]).bold = True
                para.add_run("\t" + dates(j, ds))
                doc.add_paragraph().add_run(f"{j['employer']}, {j['city']}").italic = True
            docx_bullets(doc, j["bullets"], "List Number" if variant == "at" else "List Bullet")
    doc.add_heading(p["edu_heading"], level=1)
    for x in p["education"]:
        doc.add_paragraph(f"{x['degree']}{', ' + x['field'] if x['field'] else ''} — {x['institution']}, {x['end']}")
    if variant != "twocol":
        doc.add_heading(p["skill_heading"], level=1)
        if variant in ("pipe", "at"):
            doc.add_paragraph(", ".join(p["skills"]))
        else:
            docx_bullets(doc, p["skills"])
    doc.add_heading("Languages", level=1)
    doc.add_paragraph(", ".join(p["languages"]))
    doc.save(path)
    return ds


def make_docx(fid, p, variant):
    import docx
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.docx")
        ds = build_docx(p, variant, path)
        save(fid, "docx", path, p, f"python-docx {docx.__version__ if hasattr(docx, '__version__') else '1.x'} ({variant})", ds,
             ["summary", "experience", "education", "skills", "languages"],
             layout="two-column" if variant == "twocol" else "single-column")


def make_libreoffice(fid, p, variant):
    import docx
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.docx")
        ds = build_docx(p, variant, path)
        run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf", "--outdir", d, path])
        save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{version(['soffice', '--version'])} (DOCX from python-docx, {variant}) to PDF", ds,
             ["summary", "experience", "education", "skills", "languages"],
             layout="two-column" if variant == "twocol" else "single-column")


# ---------------------------------------------------------------- Markdown, pandoc

def markdown(p, variant):
    lines = [f"# {p['name']}", ""]
    if variant == "bold":
        lines += [f"{p['email']} · {p['phone']} · {p['location']}" + "".join(" · " + l for l in p["links"]), "",
                  "## Summary", "", p["summary"], "", f"## {p['exp_heading']}", ""]
        for j in p["jobs"]:
            lines += [f"**{j['title']} ({dates(j, 'year', ' - ')})**  ", f"{j['employer']}, {j['city']}", ""]
            lines += [f"- {b}" for b in j["bullets"]] + [""]
        ds = "year"
    else:
        lines += [f"- Email: {p['email']}", f"- Phone: {p['phone']}", f"- Location: {p['location']}"]
        lines += [f"- Web: {l}" for l in p["links"]]
        lines += ["", "## Summary", "", p["summary"], "", f"## {p['exp_heading']}", ""]
        for j in p["jobs"]:
            lines += [f"### {j['title']}, {j['employer']} — {dates(j, 'short')}", ""]
            lines += [f"* {b}" for b in j["bullets"]] + [""]
        ds = "short"
    lines += [f"## {p['edu_heading']}", ""]
    for x in p["education"]:
        lines += [f"- **{x['institution']}**, {x['degree']}{' in ' + x['field'] if x['field'] else ''} ({x['end']})"]
    lines += ["", f"## {p['skill_heading']}", ""]
    lines += ([", ".join(p["skills"])] if variant == "bold" else [f"- {s}" for s in p["skills"]])
    return "\n".join(lines) + "\n", ds


def make_md(fid, p, variant):
    with tempfile.TemporaryDirectory() as d:
        text, ds = markdown(p, variant)
        path = os.path.join(d, "r.txt")
        open(path, "w", encoding="utf-8").write(text)
        save(fid, "txt", path, p, f"Markdown as plain text ({variant})", ds, ["summary", "experience", "education", "skills"],
             layout="markdown")


def make_pandoc(fid, p, variant, to):
    with tempfile.TemporaryDirectory() as d:
        text, ds = markdown(p, variant)
        md = os.path.join(d, "r.md")
        open(md, "w", encoding="utf-8").write(text)
        pv = version(["pandoc", "--version"])
        if to == "docx":
            run(["pandoc", md, "-o", os.path.join(d, "r.docx")])
            save(fid, "docx", os.path.join(d, "r.docx"), p, f"{pv} Markdown to DOCX", ds,
                 ["summary", "experience", "education", "skills"])
        else:  # odt, then LibreOffice to PDF
            run(["pandoc", md, "-o", os.path.join(d, "r.odt")])
            run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf", "--outdir", d, os.path.join(d, "r.odt")])
            save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{pv} Markdown to ODT, {version(['soffice', '--version'])} to PDF", ds,
                 ["summary", "experience", "education", "skills"])


# ---------------------------------------------------------------- ReportLab

def make_reportlab(fid, p, variant):
    import reportlab
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet, ParagraphStyle
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.platypus import SimpleDocTemplate, Paragraph, Spacer, ListFlowable, ListItem, Table, TableStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for fam, fn in [("DejaVu", "DejaVuSans.ttf"), ("DejaVu-Bold", "DejaVuSans-Bold.ttf")]:
        for base in ["/usr/share/fonts/truetype/dejavu/"]:
            if os.path.exists(base + fn):
                pdfmetrics.registerFont(TTFont(fam, base + fn))
    ss = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=ss["Normal"], fontName="DejaVu", fontSize=9.5, leading=12)
    bold = ParagraphStyle("bb", parent=body, fontName="DejaVu-Bold")
    h = ParagraphStyle("h", parent=bold, fontSize=11.5, spaceBefore=8, spaceAfter=3, textColor="#1f4e79")
    e = html.escape
    story = []
    ds = "short"
    if variant == "rightaddr":  # right-aligned address block above the name
        right = ParagraphStyle("r", parent=body, alignment=TA_RIGHT)
        story += [Paragraph(f"{e(p['location'])}<br/>{e(p['phone'])}<br/>{e(p['email'])}", right), Spacer(1, 6),
                  Paragraph(e(p["name"]), ParagraphStyle("n", parent=bold, fontSize=20, leading=24))]
        ds = "num"
    elif variant == "beside":  # name and phone on one line
        story += [Paragraph(f"{e(p['name'])} &nbsp;&nbsp; <font size=10>{e(p['phone'])}</font>",
                            ParagraphStyle("n", parent=bold, fontSize=18, leading=22)),
                  Paragraph(f"{e(p['email'])} · {e(p['location'])}" + "".join(" · " + e(l) for l in p["links"]), body)]
    else:
        story += [Paragraph(e(p["name"]), ParagraphStyle("n", parent=bold, fontSize=20, leading=24)),
                  Paragraph(" | ".join(e(x) for x in [p["phone"], p["email"], p["location"]] + p["links"]), body)]
        ds = "cur"
    story += [Paragraph("SUMMARY", h), Paragraph(e(p["summary"]), body), Paragraph(e(p["exp_heading"].upper()), h)]
    for j in p["jobs"]:
        if variant == "beside":
            story.append(Paragraph(f"<b>{e(j['employer'])}</b> | {e(j['title'])} | {e(j['city'])} | {e(dates(j, ds, ' - '))}", body))
        else:
            t = Table([[Paragraph(f"<b>{e(j['title'])}</b>, {e(j['employer'])}", body),
                        Paragraph(e(dates(j, ds, ' – ')), ParagraphStyle("rr", parent=body, alignment=TA_RIGHT))]],
                      colWidths=[360, 150])
            t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            story.append(t)
        story.append(ListFlowable([ListItem(Paragraph(e(b), body)) for b in j["bullets"]], bulletType="bullet", start="•", leftIndent=12))
    story.append(Paragraph(e(p["edu_heading"].upper()), h))
    for x in p["education"]:
        story.append(Paragraph(f"<b>{e(x['institution'])}</b> — {e(x['degree'])}{', ' + e(x['field']) if x['field'] else ''} ({x['end']})", body))
    story.append(Paragraph(e(p["skill_heading"].upper()), h))
    if variant == "rightaddr":
        story.append(ListFlowable([ListItem(Paragraph(e(s), body)) for s in p["skills"]], bulletType="bullet", start="•", leftIndent=12))
    else:
        story.append(Paragraph(" · ".join(e(s) for s in p["skills"]), body))
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.pdf")
        SimpleDocTemplate(out, pagesize=letter, leftMargin=50, rightMargin=50, topMargin=40, bottomMargin=40,
                          title=p["name"]).build(story)
        save(fid, "pdf", out, p, f"ReportLab {reportlab.Version} platypus ({variant})", ds, ["summary", "experience", "education", "skills"])


# ---------------------------------------------------------------- more converters

def plain_text(p):
    """A plain-text resume with capitalised headings and 'Title - Company, City (dates)' lines."""
    L = [p["name"].upper(), f"{p['location']} | {p['phone']} | {p['email']}", ""]
    L += ["PROFILE", p["summary"], "", p["exp_heading"].upper()]
    for j in p["jobs"]:
        L += [f"{j['title']} - {j['employer']}, {j['city']} ({dates(j, 'long', ' to ')})"]
        L += [f"  * {b}" for b in j["bullets"]] + [""]
    L += [p["edu_heading"].upper()]
    L += [f"{x['degree']}{', ' + x['field'] if x['field'] else ''}, {x['institution']}, {x['end']}" for x in p["education"]]
    L += ["", p["skill_heading"].upper(), "; ".join(p["skills"])]
    return "\n".join(L) + "\n"


def make_plain(fid, p):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.txt")
        open(path, "w", encoding="utf-8").write(plain_text(p))
        save(fid, "txt", path, p, "plain text (capitalised headings)", "long", ["summary", "experience", "education", "skills"])


def make_pandoc_html(fid, p, variant, printer):
    with tempfile.TemporaryDirectory() as d:
        text, ds = markdown(p, variant)
        md = os.path.join(d, "r.md")
        open(md, "w", encoding="utf-8").write(text)
        hp = os.path.join(d, "r.html")
        run(["pandoc", md, "-s", "--metadata", f"title=Resume", "-o", hp])
        pdf = os.path.join(d, "r.pdf")
        pv = version(["pandoc", "--version"])
        if printer == "chromium":
            chromium_pdf(hp, pdf)
            mk = f"{pv} standalone HTML, chromium {version(['chromium', '--version']).split()[1]} print"
        elif printer == "wkhtmltopdf":
            run(["wkhtmltopdf", "-q", hp, pdf])
            mk = f"{pv} standalone HTML, {version(['wkhtmltopdf', '--version'])}"
        else:
            run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", d, hp])
            mk = f"{pv} standalone HTML, {version(['soffice', '--version'])} (writer_web_pdf_Export)"
        save(fid, "pdf", pdf, p, mk, ds, ["summary", "experience", "education", "skills"])


def make_pandoc_latex(fid, p, variant, engine):
    with tempfile.TemporaryDirectory() as d:
        text, ds = markdown(p, variant)
        md = os.path.join(d, "r.md")
        open(md, "w", encoding="utf-8").write(text)
        run(["pandoc", md, "-o", os.path.join(d, "r.pdf"), f"--pdf-engine={engine}", "-V", "geometry:margin=0.8in"], cwd=d)
        save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{version(['pandoc', '--version'])} to PDF via {engine} (default template)", ds,
             ["summary", "experience", "education", "skills"])


def make_lo_docx(fid, p, variant):
    """LibreOffice-written DOCX: pandoc Markdown -> ODT, LibreOffice ODT -> DOCX."""
    with tempfile.TemporaryDirectory() as d:
        text, ds = markdown(p, variant)
        md = os.path.join(d, "r.md")
        open(md, "w", encoding="utf-8").write(text)
        run(["pandoc", md, "-o", os.path.join(d, "r.odt")])
        run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "docx:MS Word 2007 XML", "--outdir", d, os.path.join(d, "r.odt")])
        save(fid, "docx", os.path.join(d, "r.docx"), p, f"{version(['soffice', '--version'])} DOCX export (from pandoc ODT)", ds,
             ["summary", "experience", "education", "skills"])


# ---------------------------------------------------------------- second batch of layouts

def build_docx2(p, variant, path):
    """python-docx layouts a Word user makes: contact facts only in the page header part, or the
    body set in two newspaper columns (w:cols)."""
    import docx
    from docx.shared import Pt
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement
    doc = docx.Document()
    doc.styles["Normal"].font.name = "Cambria"
    doc.styles["Normal"].font.size = Pt(10.5)
    sec = doc.sections[0]
    if variant == "header-part":
        hp = sec.header.paragraphs[0]
        hp.text = f"{p['phone']}  •  {p['email']}  •  {p['location']}"
        t = doc.add_paragraph()
        r = t.add_run(p["name"])
        r.bold, r.font.size = True, Pt(22)
        doc.add_paragraph(p["jobs"][0]["title"])
        ds = "short"
    else:  # "columns": the name and contact lines, then the rest in two columns
        t = doc.add_paragraph()
        r = t.add_run(p["name"])
        r.bold, r.font.size = True, Pt(20)
        doc.add_paragraph(f"{p['email']}  ·  {p['phone']}  ·  {p['location']}")
        new = doc.add_section(0)  # WD_SECTION.CONTINUOUS
        cols = new._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            new._sectPr.append(cols)
        cols.set(qn("w:num"), "2")
        cols.set(qn("w:space"), "567")
        ds = "num"
    doc.add_heading(p["exp_heading"], level=2)
    for j in p["jobs"]:
        para = doc.add_paragraph()
        para.add_run(f"{j['title']}, {j['employer']}").bold = True
        doc.add_paragraph(f"{j['city']} | {dates(j, ds)}")
        docx_bullets(doc, j["bullets"])
    doc.add_heading(p["edu_heading"], level=2)
    for x in p["education"]:
        para = doc.add_paragraph()
        para.add_run(x["institution"]).bold = True
        doc.add_paragraph(f"{x['degree']}{', ' + x['field'] if x['field'] else ''}, {x['end']}")
    doc.add_heading(p["skill_heading"], level=2)
    docx_bullets(doc, p["skills"])
    doc.save(path)
    return ds


def make_docx2(fid, p, variant, to_pdf=False):
    import docx
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.docx")
        ds = build_docx2(p, variant, path)
        mk = f"python-docx 1.2.0 ({variant})"
        if to_pdf:
            run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf", "--outdir", d, path])
            save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{version(['soffice', '--version'])} ({mk}) to PDF", ds,
                 ["experience", "education", "skills"], layout="two-column" if variant == "columns" else "single-column")
        else:
            save(fid, "docx", path, p, mk, ds, ["experience", "education", "skills"],
                 layout="two-column" if variant == "columns" else "single-column")


def make_canvas(fid, p):
    """ReportLab canvas: text drawn at absolute positions in a left sidebar and a main column."""
    import reportlab
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.utils import simpleSplit
    pdfmetrics.registerFont(TTFont("DV", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DVB", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.pdf")
        c = canvas.Canvas(out, pagesize=A4)
        W, H = A4
        c.setFillColorRGB(0.93, 0.95, 0.97)
        c.rect(0, 0, 180, H, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        y = H - 60
        c.setFont("DVB", 13)
        for part in simpleSplit(p["name"], "DVB", 13, 150):
            c.drawString(20, y, part)
            y -= 16
        c.setFont("DV", 8.5)
        for line in [p["email"], p["phone"], p["location"]]:
            y -= 12
            c.drawString(20, y, line)
        y -= 28
        c.setFont("DVB", 9.5)
        c.drawString(20, y, p["skill_heading"].upper())
        c.setFont("DV", 8.5)
        for sk in p["skills"]:
            y -= 12
            c.drawString(20, y, sk)
        y = H - 60
        x0, width = 200, W - 240
        def head(t):
            nonlocal y
            y -= 10
            c.setFont("DVB", 11)
            c.drawString(x0, y, t.upper())
            c.line(x0, y - 3, x0 + width, y - 3)
            y -= 16
        def para(t, font="DV", size=9, indent=0):
            nonlocal y
            c.setFont(font, size)
            for part in simpleSplit(t, font, size, width - indent):
                c.drawString(x0 + indent, y, part)
                y -= size + 3
        head("Profile")
        para(p["summary"])
        head(p["exp_heading"])
        for j in p["jobs"]:
            c.setFont("DVB", 9.5)
            c.drawString(x0, y, j["title"])
            c.setFont("DV", 9)
            c.drawRightString(x0 + width, y, dates(j, "short", " – "))
            y -= 12
            para(f"{j['employer']}, {j['city']}", "DV", 9)
            for b in j["bullets"]:
                c.setFont("DV", 9)
                c.drawString(x0 + 4, y, "•")
                para(b, "DV", 9, 14)
            y -= 4
        head(p["edu_heading"])
        for x in p["education"]:
            para(f"{x['degree']}{', ' + x['field'] if x['field'] else ''}", "DVB", 9)
            para(f"{x['institution']}, {x['end']}", "DV", 9)
        c.setTitle(f"{p['name']} CV")
        c.save()
        save(fid, "pdf", out, p, f"ReportLab {reportlab.Version} canvas (absolute two-column)", "short",
             ["summary", "experience", "education", "skills"], layout="two-column")


def make_html2(fid, p, variant):
    """Hand-written HTML printed by Chromium: a grid header (name left, contact right on the same
    line) with CSS multi-column skills; or an old-school table with a dates column."""
    e = html.escape
    if variant == "grid":
        css = """body{font-family:'Liberation Sans',sans-serif;font-size:10pt;margin:40px}
.hd{display:grid;grid-template-columns:1fr 1fr;align-items:end;border-bottom:3px solid #444}
.hd h1{margin:0;font-size:24pt}.hd .c{text-align:right;font-size:9pt}
h2{font-size:11pt;color:#8a1c1c;text-transform:uppercase;margin:14px 0 4px}
.sk{column-count:3;padding-left:16px}.t{font-weight:bold}.m{color:#555}"""
        jobs = "".join(f"""<p><span class=t>{e(j['title'])}</span> at {e(j['employer'])} <span class=m>({e(dates(j, 'short', ' – '))})</span></p>
<ul>{''.join(f'<li>{e(b)}</li>' for b in j['bullets'])}</ul>""" for j in p["jobs"])
        body = f"""<div class=hd><h1>{e(p['name'])}</h1><div class=c>{e(p['email'])}<br>{e(p['phone'])}<br>{e(p['location'])}</div></div>
<h2>About me</h2><p>{e(p['summary'])}</p><h2>{e(p['exp_heading'])}</h2>{jobs}
<h2>{e(p['edu_heading'])}</h2>{''.join(f"<p>{e(x['degree'])}{', ' + e(x['field']) if x['field'] else ''} — {e(x['institution'])} ({x['end']})</p>" for x in p['education'])}
<h2>{e(p['skill_heading'])}</h2><ul class=sk>{''.join(f'<li>{e(s)}</li>' for s in p['skills'])}</ul>"""
        ds, layout = "short", "single-column"
    else:  # "table"
        css = """body{font-family:Georgia,'DejaVu Serif',serif;font-size:10pt;margin:36px}td{vertical-align:top;padding:3px 8px}
td.d{width:120px;color:#333}h1{text-align:center;margin-bottom:0}.c{text-align:center}h2{font-variant:small-caps;border-bottom:1px solid #999}"""
        rows = "".join(f"""<tr><td class=d>{e(dates(j, 'num', ' - '))}</td><td><b>{e(j['employer'])}</b>, {e(j['city'])}<br><i>{e(j['title'])}</i>
<ul>{''.join(f'<li>{e(b)}</li>' for b in j['bullets'])}</ul></td></tr>""" for j in p["jobs"])
        erows = "".join(f"<tr><td class=d>{x['start']} - {x['end']}</td><td><b>{e(x['institution'])}</b><br>{e(x['degree'])}{', ' + e(x['field']) if x['field'] else ''}</td></tr>" for x in p["education"])
        body = f"""<h1>{e(p['name'])}</h1><p class=c>{e(p['location'])} · {e(p['phone'])} · {e(p['email'])}</p>
<h2>Summary</h2><p>{e(p['summary'])}</p><h2>{e(p['exp_heading'])}</h2><table>{rows}</table>
<h2>{e(p['edu_heading'])}</h2><table>{erows}</table><h2>{e(p['skill_heading'])}</h2><p>{e(', '.join(p['skills']))}</p>"""
        ds, layout = "num", "table"
    with tempfile.TemporaryDirectory() as d:
        hp = os.path.join(d, "r.html")
        open(hp, "w", encoding="utf-8").write(f"<!doctype html><html><head><meta charset=utf-8><style>{css}</style></head><body>{body}</body></html>")
        pdf = os.path.join(d, "r.pdf")
        chromium_pdf(hp, pdf)
        save(fid, "pdf", pdf, p, f"chromium {version(['chromium', '--version']).split()[1]} + hand-written HTML ({variant})",
             ds, ["summary", "experience", "education", "skills"], layout=layout)


# ---------------------------------------------------------------- third batch: promotions, certifications, references

def groups(p):
    """Consecutive positions at one employer, as resumes show a promotion."""
    out = []
    for j in p["jobs"]:
        if out and out[-1][0]["employer"] == j["employer"]:
            out[-1].append(j)
        else:
            out.append([j])
    return out


PROMO_SECTIONS = ["summary", "experience", "education", "skills", "certifications", "references"]


def make_promo(fid, p, fmt):
    e = html.escape
    if fmt == "html":
        css = """body{font-family:'Liberation Sans',sans-serif;font-size:10pt;margin:40px 48px}h1{font-size:22pt;margin:0;color:#0b3d5c}
.c{color:#333;margin:2px 0 10px}h2{font-size:10.5pt;letter-spacing:2px;text-transform:uppercase;color:#0b3d5c;border-bottom:1px solid #0b3d5c;margin:12px 0 6px}
.emp{font-weight:bold;font-size:11pt;margin-top:8px}.role{display:flex;justify-content:space-between;font-style:italic;margin-top:3px}ul{margin:2px 0 4px}"""
        exp = ""
        for g in groups(p):
            exp += f"<div class=emp>{e(g[0]['employer'])} — {e(g[0]['city'])}</div>"
            for j in g:
                exp += f"<div class=role><span>{e(j['title'])}</span><span>{e(dates(j, 'short', ' – '))}</span></div><ul>{''.join(f'<li>{e(b)}</li>' for b in j['bullets'])}</ul>"
        body = f"""<h1>{e(p['name'])}</h1><div class=c>{e(p['phone'])} | {e(p['email'])} | {e(p['location'])}</div>
<h2>Summary</h2><p>{e(p['summary'])}</p><h2>{e(p['exp_heading'])}</h2>{exp}
<h2>{e(p['edu_heading'])}</h2>{''.join(f"<p><b>{e(x['institution'])}</b>, {e(x['degree'])}{' in ' + e(x['field']) if x['field'] else ''}, {x['end']}</p>" for x in p['education'])}
<h2>{e(p['skill_heading'])}</h2><p>{e(', '.join(p['skills']))}</p>
<h2>Certifications</h2><ul>{''.join(f'<li>{e(c)}</li>' for c in p['certifications'])}</ul>
<h2>References</h2><p>Available upon request.</p>"""
        with tempfile.TemporaryDirectory() as d:
            hp = os.path.join(d, "r.html")
            open(hp, "w", encoding="utf-8").write(f"<!doctype html><html><head><meta charset=utf-8><style>{css}</style></head><body>{body}</body></html>")
            chromium_pdf(hp, os.path.join(d, "r.pdf"))
            save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"chromium {version(['chromium', '--version']).split()[1]} + hand-written HTML (promotion)",
                 "short", PROMO_SECTIONS)
    elif fmt in ("docx", "docx-lo"):
        import docx
        from docx.shared import Pt
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        doc = docx.Document()
        doc.styles["Normal"].font.name = "Arial"
        doc.styles["Normal"].font.size = Pt(10)
        r = doc.add_paragraph().add_run(p["name"])
        r.bold, r.font.size = True, Pt(18)
        doc.add_paragraph(f"{p['location']}  |  {p['phone']}  |  {p['email']}")
        # footer with a PAGE field, as Word's "Page X" footers
        fp = doc.sections[0].footer.paragraphs[0]
        fp.text = f"{p['name']} – Page "
        frun = fp.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.text = text
            frun._r.append(el)
        doc.add_heading("Summary", level=1)
        doc.add_paragraph(p["summary"])
        doc.add_heading(p["exp_heading"], level=1)
        for g in groups(p):
            doc.add_paragraph().add_run(f"{g[0]['employer']}, {g[0]['city']}").bold = True
            for j in g:
                para = doc.add_paragraph()
                para.add_run(j["title"]).italic = True
                para.add_run(f"  ({dates(j, 'long', ' – ')})")
                docx_bullets(doc, j["bullets"])
        doc.add_heading(p["edu_heading"], level=1)
        for x in p["education"]:
            doc.add_paragraph(f"{x['institution']} — {x['degree']}{', ' + x['field'] if x['field'] else ''} ({x['end']})")
        doc.add_heading(p["skill_heading"], level=1)
        docx_bullets(doc, p["skills"])
        doc.add_heading("Certifications", level=1)
        docx_bullets(doc, p["certifications"])
        doc.add_heading("References", level=1)
        doc.add_paragraph("Available upon request.")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.docx")
            doc.save(path)
            if fmt == "docx":
                save(fid, "docx", path, p, "python-docx 1.2.0 (promotion, footer page field)", "long", PROMO_SECTIONS)
            else:
                run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf", "--outdir", d, path])
                save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{version(['soffice', '--version'])} (python-docx promotion layout) to PDF",
                     "long", PROMO_SECTIONS)
    elif fmt in ("pdflatex", "lualatex"):
        exp = ""
        for g in groups(p):
            exp += f"\\noindent\\textbf{{{tx(g[0]['employer'])}}}, {tx(g[0]['city'])}\\par\n"
            for j in g:
                exp += f"\\noindent\\emph{{{tx(j['title'])}}} \\hfill {tx(dates(j, 'num', ' -- '))}\\par\n"
                exp += BEGIN_IT + items(j["bullets"]) + END_IT + "\n"
        edu_tex = "\n".join(f"{tx(x['degree'])}{', ' + tx(x['field']) if x['field'] else ''}, {tx(x['institution'])} " + HFILL + f"{x['end']}" + PAR
                             for x in p["education"])
        fonts = "\\usepackage{lmodern}\n" if fmt == "pdflatex" else "\\usepackage{fontspec}\\setmainfont{TeX Gyre Termes}\n"
        src = f"""\\documentclass[11pt,a4paper]{{article}}
{tex_preamble(fmt)}{fonts}\\usepackage[margin=2cm]{{geometry}}\\usepackage{{enumitem}}\\setlist{{nosep}}
\\usepackage{{fancyhdr}}\\pagestyle{{fancy}}\\fancyhf{{}}\\renewcommand{{\\headrulewidth}}{{0pt}}\\cfoot{{\\thepage}}
\\begin{{document}}
{{\\centering{{\\huge {tx(p['name'])}}}\\\\[3pt] {tx(p['email'])} \\textbullet{{}} {tx(p['phone'])} \\textbullet{{}} {tx(p['location'])}\\par}}
\\section*{{Summary}}
{tx(p['summary'])}
\\section*{{{tx(p['exp_heading'])}}}
{exp}
\\section*{{{tx(p['edu_heading'])}}}
{edu_tex}
\\section*{{{tx(p['skill_heading'])}}}
{tx(', '.join(p['skills']))}
\\section*{{Certifications}}
{BEGIN_IT}{items(p['certifications'])}{END_IT}
\\section*{{References}}
Available upon request.
\\end{{document}}
"""
        latex(fid, p, src, fmt, "LaTeX article (promotion layout, fancyhdr)", "num", PROMO_SECTIONS)
    elif fmt == "md":
        L = [f"{p['name']}", "=" * len(p["name"]), "", f"{p['email']} | {p['phone']} | {p['location']}", "",
             "Summary", "-------", "", p["summary"], "", p["exp_heading"], "-" * len(p["exp_heading"]), ""]
        for g in groups(p):
            L += [f"### {g[0]['employer']}, {g[0]['city']}", ""]
            for j in g:
                L += [f"*{j['title']}* — {dates(j, 'short', ' – ')}", ""] + [f"- {b}" for b in j["bullets"]] + [""]
        L += [p["edu_heading"], "-" * len(p["edu_heading"]), ""]
        L += [f"- {x['degree']}{', ' + x['field'] if x['field'] else ''}, {x['institution']} ({x['end']})" for x in p["education"]]
        L += ["", p["skill_heading"], "-" * len(p["skill_heading"]), "", ", ".join(p["skills"]), "",
              "Certifications", "--------------", ""] + [f"- {c}" for c in p["certifications"]]
        L += ["", "References", "----------", "", "Available upon request."]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.txt")
            open(path, "w", encoding="utf-8").write("\n".join(L) + "\n")
            save(fid, "txt", path, p, "Markdown (setext headings) as plain text (promotion)", "short", PROMO_SECTIONS, layout="markdown")
    elif fmt == "moderncv":
        first, _, last = p["name"].rpartition(" ")
        jobs = "\n".join(
            f"\\cventry{{{tx(dates(j, 'short', ' -- '))}}}{{{tx(j['title'])}}}{{{tx(j['employer'])}}}{{{tx(j['city'])}}}{{}}"
            f"{{\\begin{{itemize}}{items(j['bullets'])}\\end{{itemize}}}}" for j in p["jobs"])
        skills_tex = "\n".join(CVLIST + tx(sk) + "}" for sk in p["skills"])
        certs_tex = "\n".join(CVITEM + tx(c) + "}" for c in p["certifications"])
        edus = "\n".join(f"\\cventry{{{x['end']}}}{{{tx(x['degree'])}}}{{{tx(x['institution'])}}}{{}}{{{tx(x['field'] or '')}}}{{}}" for x in p["education"])
        src = f"""\\documentclass[10pt,letterpaper,roman]{{moderncv}}
\\moderncvstyle{{classic}}\\moderncvcolor{{green}}
\\usepackage[scale=0.82]{{geometry}}
\\name{{{tx(first)}}}{{{tx(last)}}}
\\address{{{tx(p['location'])}}}{{}}{{}}
\\phone[fixed]{{{tx(p['phone'])}}}
\\email{{{tx(p['email'])}}}
\\begin{{document}}
\\makecvtitle
\\section{{Summary}}\\cvitem{{}}{{{tx(p['summary'])}}}
\\section{{{tx(p['exp_heading'])}}}
{jobs}
\\section{{{tx(p['edu_heading'])}}}
{edus}
\\section{{{tx(p['skill_heading'])}}}
{skills_tex}
\\section{{Certifications}}
{certs_tex}
\\section{{References}}\\cvitem{{}}{{Available upon request.}}
\\end{{document}}
"""
        latex(fid, p, src, "xelatex", "moderncv classic (roman, cvlistitem skills)", "short", PROMO_SECTIONS, layout="two-column")


# ---------------------------------------------------------------- plan

def plan():
    P = PEOPLE
    jobs = []
    themes = ["jsonresume-theme-even", "jsonresume-theme-elegant", "jsonresume-theme-flat", "jsonresume-theme-kendall",
              "jsonresume-theme-macchiato", "jsonresume-theme-stackoverflow"]
    k = 0
    for t in themes:
        for ls in (False, True):
            jobs.append((f"u{len(jobs) + 1:02d}-jr-{t.split('-')[-1]}{'-ls' if ls else ''}", lambda f, p=P[k], t=t, ls=ls: make_jsonresume(f, p, t, ls)))
            k += 1
    for v in ("sidebar", "spaced", "sidebar", "spaced"):
        jobs.append((f"u{len(jobs) + 1:02d}-html-{v}", lambda f, p=P[k], v=v: make_html(f, p, v)))
        k += 1
    for style, eng in [("classic", "pdflatex"), ("casual", "xelatex"), ("banking", "lualatex"), ("oldstyle", "pdflatex"),
                       ("fancy", "xelatex"), ("classic", "lualatex"), ("banking", "pdflatex"), ("casual", "pdflatex")]:
        jobs.append((f"u{len(jobs) + 1:02d}-moderncv-{style}-{eng}", lambda f, p=P[k], s=style, e=eng: make_moderncv(f, p, s, e)))
        k += 1
    for eng in ("pdflatex", "xelatex"):
        jobs.append((f"u{len(jobs) + 1:02d}-europasscv-{eng}", lambda f, p=P[k], e=eng: make_europass(f, p, e)))
        k += 1
    for eng in ("pdflatex", "lualatex"):
        jobs.append((f"u{len(jobs) + 1:02d}-currvita-{eng}", lambda f, p=P[k], e=eng: make_currvita(f, p, e)))
        k += 1
    for v, eng in [("jake", "pdflatex"), ("rightaddr", "xelatex"), ("at", "lualatex"), ("jake", "xelatex")]:
        jobs.append((f"u{len(jobs) + 1:02d}-article-{v}-{eng}", lambda f, p=P[k], v=v, e=eng: make_article(f, p, e, v)))
        k += 1
    for v in ("table-header", "pipe", "comma", "at", "twocol", "pipe"):
        jobs.append((f"u{len(jobs) + 1:02d}-pydocx-{v}", lambda f, p=P[k], v=v: make_docx(f, p, v)))
        k += 1
    for v in ("table-header", "comma", "twocol", "at"):
        jobs.append((f"u{len(jobs) + 1:02d}-lo-{v}", lambda f, p=P[k], v=v: make_libreoffice(f, p, v)))
        k += 1
    for v, to in [("bold", "docx"), ("list", "docx"), ("list", "odt")]:
        jobs.append((f"u{len(jobs) + 1:02d}-pandoc-{to}-{v}", lambda f, p=P[k], v=v, to=to: make_pandoc(f, p, v, to)))
        k += 1
    for v in ("rightaddr", "beside", "plain", "beside"):
        jobs.append((f"u{len(jobs) + 1:02d}-reportlab-{v}", lambda f, p=P[k], v=v: make_reportlab(f, p, v)))
        k += 1
    for v in ("bold", "list", "bold"):
        jobs.append((f"u{len(jobs) + 1:02d}-md-{v}", lambda f, p=P[k], v=v: make_md(f, p, v)))
        k += 1
    for v in ("plain", "plain"):
        jobs.append((f"u{len(jobs) + 1:02d}-text-{v}", lambda f, p=P[k]: make_plain(f, p)))
        k += 1
    for v, pr in [("list", "chromium"), ("bold", "wkhtmltopdf"), ("list", "wkhtmltopdf"), ("bold", "lo")]:
        jobs.append((f"u{len(jobs) + 1:02d}-pandoc-html-{pr}-{v}", lambda f, p=P[k], v=v, pr=pr: make_pandoc_html(f, p, v, pr)))
        k += 1
    for v, eng in [("list", "xelatex"), ("bold", "pdflatex")]:
        jobs.append((f"u{len(jobs) + 1:02d}-pandoc-latex-{eng}-{v}", lambda f, p=P[k], v=v, e=eng: make_pandoc_latex(f, p, v, e)))
        k += 1
    for v in ("list", "bold"):
        jobs.append((f"u{len(jobs) + 1:02d}-lo-docx-{v}", lambda f, p=P[k], v=v: make_lo_docx(f, p, v)))
        k += 1
    # second batch
    for v, pdf in [("header-part", False), ("columns", False), ("header-part", True), ("columns", True)]:
        jobs.append((f"u{len(jobs) + 1:02d}-{'lo' if pdf else 'pydocx'}-{v}", lambda f, p=P[k], v=v, pdf=pdf: make_docx2(f, p, v, pdf)))
        k += 1
    for _ in range(2):
        jobs.append((f"u{len(jobs) + 1:02d}-reportlab-canvas", lambda f, p=P[k]: make_canvas(f, p)))
        k += 1
    for v in ("grid", "table", "grid", "table"):
        jobs.append((f"u{len(jobs) + 1:02d}-html-{v}", lambda f, p=P[k], v=v: make_html2(f, p, v)))
        k += 1
    for style, eng in [("fancy", "pdflatex"), ("oldstyle", "lualatex"), ("casual", "lualatex")]:
        jobs.append((f"u{len(jobs) + 1:02d}-moderncv-{style}-{eng}", lambda f, p=P[k], s=style, e=eng: make_moderncv(f, p, s, e, "orange")))
        k += 1
    jobs.append((f"u{len(jobs) + 1:02d}-europasscv-lualatex", lambda f, p=P[k]: make_europass(f, p, "lualatex")))
    k += 1
    for t in ("even", "elegant", "kendall", "macchiato", "stackoverflow", "flat"):
        jobs.append((f"u{len(jobs) + 1:02d}-jr-{t}", lambda f, p=P[k], t=t: make_jsonresume(f, p, "jsonresume-theme-" + t, False)))
        k += 1
    # third batch
    k = 88
    for fmt in ("html", "docx", "docx-lo", "pdflatex", "lualatex", "md", "moderncv", "html", "docx", "docx-lo",
                "pdflatex", "md", "moderncv", "html", "docx-lo", "lualatex", "docx", "moderncv"):
        jobs.append((f"u{len(jobs) + 1:02d}-promo-{fmt}", lambda f, p=P[k], fmt=fmt: make_promo(f, p, fmt)))
        k += 1
    assert k <= 106, k
    # fourth batch (u101 on): makers and layouts of batch4.py, people 106..
    import batch4
    jobs += batch4.plan4(sys.modules[__name__], P)
    return jobs


def main():
    os.makedirs(FILES, exist_ok=True)
    os.makedirs(EXPECTED, exist_ok=True)
    want = sys.argv[1:]
    mpath = os.path.join(ROOT, "manifest.json")
    old = json.load(open(mpath)) if os.path.exists(mpath) else []
    failed = []
    for fid, fn in plan():
        # "from:101" selects u101 and later
        num = int(fid[1:].split("-")[0])
        if want and not any((w.startswith("from:") and num >= int(w[5:])) or (not w.startswith("from:") and w in fid) for w in want):
            continue
        try:
            fn(fid)
        except Exception as ex:  # keep going; report at the end
            failed.append((fid, str(ex)[:400]))
    done = {m["file"] for m in MANIFEST}
    merged = [m for m in old if m["file"] not in done] + MANIFEST
    merged.sort(key=lambda m: m["file"])
    json.dump(merged, open(mpath, "w"), ensure_ascii=False, indent=2)
    for f, e in failed:
        print("FAILED", f, e, file=sys.stderr)


if __name__ == "__main__":
    main()
