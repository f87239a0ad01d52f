"""Fourth batch of the unseen-maker corpus (u101 on): makers and layouts not used by u01-u100.

Called from build.py's plan() with the build module itself (so files, labels and manifest rows go
through the same save()). Makers: eight more JSON Resume themes from npm (class, paper, short,
spartan, onepage, caffeine, modern, classy) printed by Chromium; five hand-written HTML/CSS layouts
(icon-prefixed sidebar, date timeline, right sidebar, header band with a contact grid, two-column
cards) printed by Chromium and by WeasyPrint; python-docx layouts (a whole-page table, right tab
stops, a skills table) as DOCX and through LibreOffice to PDF; LibreOffice importing HTML and
exporting DOCX; ReportLab (header band canvas, platypus two-column table); fpdf2 (cells, sidebar).

Labels come from the records in personas.py; where a maker does not print a value (a theme that
prints no degree, only the city, no location at all) fix_label() drops it or keeps the form the
file prints, as check_labels.py --fix does for links and locations.
"""

import html
import json
import os
import re
import subprocess
import tempfile

E = html.escape


def city_of(p):
    return p["jobs"][0]["city"] if p["location"] != p["jobs"][0]["city"] and "," in p["location"] and \
        any(ch.isdigit() for ch in p["location"]) else p["location"]


def text_of(path):
    if path.endswith(".pdf"):
        return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    import docx
    d = docx.Document(path)
    parts = [q.text for q in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                parts += [q.text for q in c.paragraphs]
                for t2 in c.tables:
                    for r2 in t2.rows:
                        for c2 in r2.cells:
                            parts += [q.text for q in c2.paragraphs]
    for s in d.sections:
        parts += [q.text for q in s.header.paragraphs]
        for t in s.header.tables:
            for row in t.rows:
                for c in row.cells:
                    parts += [q.text for q in c.paragraphs]
    return "\n".join(parts)


def _n(s):
    return re.sub(r"[^0-9a-zà-ÿ@.]+", "", re.sub(r"\s+", " ", s).lower().replace("–", "-").replace("—", "-"))


def fix_label(b, fid, p, sections=None):
    """Drop from the label what the maker did not print (a value a reader cannot see)."""
    ep = os.path.join(b.EXPECTED, f"{fid}.json")
    e = json.load(open(ep, encoding="utf-8"))
    t = _n(text_of(os.path.join(b.ROOT, e["file"])))
    vis = lambda v: bool(v) and _n(v) in t
    if not vis(e["location"]):
        city = next((pl[0] for pl in __import__("personas").PLACES4 if pl[2] == p["location"]), p["location"])
        e["location"] = next((c for c in (city, city.split(",")[0]) if vis(c)), None)
    for x in e["education"]:
        if not vis(x["degree"]):
            x["degree"] = None
        if x["field"] and not vis(x["field"]):
            x["field"] = None
        if not vis(x["end"]):
            x["end"] = None
    e["skills"] = [s for s in e["skills"] if vis(s)]
    if e.get("certifications"):
        e["certifications"] = [c for c in e["certifications"] if vis(c)]  # older themes print no certificates
        if not e["certifications"]:
            del e["certifications"]
    if not e["skills"] and "skills" in e["sections"]:
        e["sections"].remove("skills")
    if sections is not None:
        e["sections"] = sections
    if "skills" not in e["sections"]:
        # items in a sidebar without a skills heading (the caffeine theme) are not a skills section
        e["skills"] = []
    json.dump(e, open(ep, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    open(ep, "a").write("\n")


def set_licence(b, licence):
    b.MANIFEST[-1]["licence"] = licence


def extra_sections(p):
    return (["certifications"] if p.get("certifications") else [])


# ---------------------------------------------------------------- JSON Resume themes

def jr_doc(p):
    city_label = city_of(p)
    city, _, region = city_label.partition(", ")
    prof = []
    for l in p["links"]:
        net = "LinkedIn" if "linkedin" in l else "GitHub"
        prof.append(dict(network=net, username=l.rstrip("/").split("/")[-1], url=l))
    ym = lambda d: None if d is None else f"{d[0]}-{d[1]:02d}-01"
    work = [dict(name=j["employer"], company=j["employer"], position=j["title"], location=j["city"], startDate=ym(j["start"]),
                 **({"endDate": ym(j["end"])} if j["end"] else {}), highlights=j["bullets"]) for j in p["jobs"]]
    edu = [dict(institution=x["institution"], studyType=x["degree"], area=x["field"] or "",
                startDate=f"{x['start']}-09-01", endDate=f"{x['end']}-06-01") for x in p["education"]]
    loc = dict(city=city, region=region)
    if p["location"] != city_label:
        loc["address"] = p["location"].split(", ")[0]
    doc = dict(basics=dict(name=p["name"], label=p["jobs"][0]["title"], email=p["email"], phone=p["phone"],
                           summary=p["summary"], location=loc, profiles=prof),
               work=work, education=edu, skills=[dict(name=s, keywords=[]) for s in p["skills"]],
               languages=[dict(language=l, fluency="Fluent") for l in p["languages"]])
    if p.get("certifications"):
        doc["certificates"] = [dict(name=c, issuer="") for c in p["certifications"]]
    return doc


THEME_DATES = {"class": "short", "paper": "short", "short": "short", "spartan": "short", "onepage": "short",
               "caffeine": "short", "modern": "year", "classy": "short"}

HEAD_KINDS = [("summary", r"(about|about me|summary|profile|professional summary)"),
              ("experience", r"(work|work experience|experience|employment)"),
              ("education", r"education"), ("skills", r"(skills|professional skills)"),
              ("languages", r"languages"), ("certifications", r"(certificates|certifications)")]


def theme_sections(pdf):
    lines = [re.sub(r"\s+", " ", l).strip().lower() for l in
             subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.splitlines()]
    squashed = {l.replace(" ", "") for l in lines}
    out = []
    for kind, rx in HEAD_KINDS:
        r = re.compile(rx.replace(" ", "") + "$")
        if any(r.match(l) for l in squashed):
            out.append(kind)
    return out


def make_theme(b, fid, p, t, letterspace=False):
    theme = "jsonresume-theme-" + t
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "resume.json")
        json.dump(jr_doc(p), open(src, "w"), ensure_ascii=False)
        out = os.path.join(d, "resume.html")
        js = ("(async()=>{let t;try{t=require(process.argv[1])}catch(e){const m=await import(process.argv[1]);"
              "t=m.render?m:m.default}const r=require(process.argv[2]);"
              "require('fs').writeFileSync(process.argv[3],await t.render(r))})()")
        b.run(["node", "-e", js, theme, src, out], cwd=b.JR_DIR, env=dict(os.environ, NODE_PATH=os.path.join(b.JR_DIR, "node_modules")))
        h = open(out, encoding="utf-8").read()
        # no network when printing: drop remote stylesheets, fonts and pictures
        h = re.sub(r"<link[^>]+href=\"https?://[^\"]+\"[^>]*>", "", h)
        if letterspace:
            h = h.replace("</head>", b.LETTERSPACE_CSS + "</head>") if "</head>" in h else b.LETTERSPACE_CSS + h
        open(out, "w", encoding="utf-8").write(h)
        pdf = os.path.join(d, "out.pdf")
        b.chromium_pdf(out, pdf)
        sections = theme_sections(pdf)
        maker = f"chromium {b.version(['chromium', '--version']).split()[1]} + {theme} {b.theme_version(theme)}" + \
                (" + CSS letter-spacing" if letterspace else "")
        b.save(fid, "pdf", pdf, p, maker, THEME_DATES[t], sections, layout="html-theme")
    lic = json.load(open(os.path.join(b.JR_DIR, "node_modules", theme, "package.json"))).get("license", "?")
    set_licence(b, f"CC0-1.0 (invented content); rendered with {theme} ({lic})")
    fix_label(b, fid, p)


# ---------------------------------------------------------------- hand-written HTML layouts

def html_layout(p, variant):
    """Returns (html, date style, sections, layout)."""
    jobs_ul = lambda j: "<ul>" + "".join(f"<li>{E(x)}</li>" for x in j["bullets"]) + "</ul>"
    edu_line = lambda x: f"{E(x['degree'])}{', ' + E(x['field']) if x['field'] else ''}"
    certs = p.get("certifications") or []
    if variant == "icons":
        css = """body{font-family:'DejaVu Sans',sans-serif;font-size:9.5pt;margin:0}.wrap{display:flex;min-height:100vh}
aside{width:30%;background:#2f3e46;color:#f1f1f1;padding:22px 16px}main{width:70%;padding:22px 24px}
aside h1{font-size:19pt;margin:0 0 4px}aside .t{color:#cad2c5;margin-bottom:16px}
aside .ic{margin:5px 0;overflow-wrap:anywhere}aside .ic span{display:inline-block;width:16px;color:#84a98c}
aside h3{font-size:9.5pt;text-transform:uppercase;border-bottom:1px solid #84a98c;padding-bottom:2px;margin-top:18px}
aside ul{list-style:none;padding:0}aside li{margin:3px 0}
main h2{font-size:12pt;color:#2f3e46;text-transform:uppercase;margin:14px 0 6px}.job h4{margin:8px 0 0;font-size:10.5pt}
.job .m{color:#52796f;font-size:9pt}"""
        contact = [("✉", p["email"]), ("☎", p["phone"]), ("⌂", p["location"])] + [("➚", l) for l in p["links"]]
        side = f"""<aside><h1>{E(p['name'])}</h1><div class=t>{E(p['jobs'][0]['title'])}</div>
{''.join(f'<div class=ic><span>{i}</span>{E(v)}</div>' for i, v in contact)}
<h3>{E(p['skill_heading'])}</h3><ul>{''.join(f'<li>{E(s)}</li>' for s in p['skills'])}</ul>
<h3>Languages</h3><ul>{''.join(f'<li>{E(s)}</li>' for s in p['languages'])}</ul>
{'<h3>Certifications</h3><ul>' + ''.join(f'<li>{E(c)}</li>' for c in certs) + '</ul>' if certs else ''}</aside>"""
        jobs = "".join(f"""<div class=job><h4>{E(j['title'])}</h4><div class=m>{E(j['employer'])} ▪ {E(j['city'])} ▪ {E(b_dates(j, 'short'))}</div>{jobs_ul(j)}</div>""" for j in p["jobs"])
        edus = "".join(f"<div class=job><h4>{edu_line(x)}</h4><div class=m>{E(x['institution'])} ▪ {x['end']}</div></div>" for x in p["education"])
        body = f"<div class=wrap>{side}<main><h2>Profile</h2><p>{E(p['summary'])}</p><h2>{E(p['exp_heading'])}</h2>{jobs}<h2>{E(p['edu_heading'])}</h2>{edus}</main></div>"
        return css, body, "short", ["summary", "experience", "education", "skills", "languages"] + extra_sections(p), "two-column"
    if variant == "timeline":
        css = """body{font-family:'Liberation Sans',sans-serif;font-size:10pt;margin:36px 44px}
h1{font-size:26pt;font-weight:300;margin:0}.c{color:#555;margin:4px 0 14px}
h2{font-size:10pt;text-transform:uppercase;letter-spacing:1px;color:#b5522b;margin:16px 0 6px}
.row{display:grid;grid-template-columns:110px 1fr;column-gap:16px;margin-bottom:8px}.row .d{color:#777;font-size:9pt;text-align:right;padding-top:1px}
.row .x{border-left:2px solid #e0c3b5;padding-left:12px}.row b{font-size:10.5pt}ul{margin:3px 0;padding-left:16px}
.sk span{display:inline-block;border:1px solid #ccc;border-radius:8px;padding:1px 7px;margin:2px}"""
        jobs = "".join(f"""<div class=row><div class=d>{E(b_dates(j, 'num', ' – '))}</div><div class=x><b>{E(j['title'])}</b><br>{E(j['employer'])}, {E(j['city'])}{jobs_ul(j)}</div></div>""" for j in p["jobs"])
        edus = "".join(f"<div class=row><div class=d>{x['start']} – {x['end']}</div><div class=x><b>{E(x['institution'])}</b><br>{edu_line(x)}</div></div>" for x in p["education"])
        certs_h = f"<h2>Certifications</h2>{''.join(f'<div class=row><div class=d></div><div class=x>{E(c)}</div></div>' for c in certs)}" if certs else ""
        body = f"""<h1>{E(p['name'])}</h1><div class=c>{E(p['phone'])} &nbsp;/&nbsp; {E(p['email'])} &nbsp;/&nbsp; {E(p['location'])}{''.join(' &nbsp;/&nbsp; ' + E(l) for l in p['links'])}</div>
<h2>Summary</h2><p>{E(p['summary'])}</p><h2>{E(p['exp_heading'])}</h2>{jobs}<h2>{E(p['edu_heading'])}</h2>{edus}{certs_h}
<h2>{E(p['skill_heading'])}</h2><div class=sk>{''.join(f'<span>{E(s)}</span>' for s in p['skills'])}</div>"""
        return css, body, "num", ["summary", "experience", "education", "skills"] + extra_sections(p), "single-column"
    if variant == "rightbar":
        css = """body{font-family:'DejaVu Serif',serif;font-size:9.5pt;margin:0}.wrap{display:flex;flex-direction:row}
main{width:66%;padding:26px 22px 26px 34px}aside{width:34%;background:#f3efe6;padding:26px 18px;min-height:100vh;font-family:'DejaVu Sans',sans-serif;font-size:9pt}
h1{font-size:22pt;margin:0;font-variant:small-caps}.sub{font-style:italic;color:#555;margin-bottom:10px}
h2{font-size:11.5pt;border-bottom:1px solid #a08c5b;color:#6b5a2e;margin:14px 0 6px}aside h3{font-size:9.5pt;color:#6b5a2e;margin:14px 0 4px}
.pos{display:flex;justify-content:space-between;font-weight:bold;margin-top:7px}.emp{font-style:italic}"""
        jobs = "".join(f"""<div class=pos><span>{E(j['employer'])}</span><span>{E(b_dates(j, 'long', ' – '))}</span></div><div class=emp>{E(j['title'])} — {E(j['city'])}</div>{jobs_ul(j)}""" for j in p["jobs"])
        edus = "".join(f"<div class=pos><span>{E(x['institution'])}</span><span>{x['end']}</span></div><div class=emp>{edu_line(x)}</div>" for x in p["education"])
        side = f"""<aside><h3>Contact</h3><p>{E(p['location'])}</p><p>Tel. {E(p['phone'])}</p><p>{E(p['email'])}</p>{''.join(f'<p>{E(l)}</p>' for l in p['links'])}
<h3>{E(p['skill_heading'])}</h3>{''.join(f'<div>{E(s)}</div>' for s in p['skills'])}
<h3>Languages</h3><p>{E(' · '.join(p['languages']))}</p>
{'<h3>Certifications</h3>' + ''.join(f'<div>{E(c)}</div>' for c in certs) if certs else ''}</aside>"""
        body = f"""<div class=wrap><main><h1>{E(p['name'])}</h1><div class=sub>{E(p['summary'])}</div><h2>{E(p['exp_heading'])}</h2>{jobs}
<h2>{E(p['edu_heading'])}</h2>{edus}</main>{side}</div>"""
        return css, body, "long", ["experience", "education", "skills", "languages"] + extra_sections(p), "two-column"
    if variant == "band":
        css = """body{font-family:'Liberation Sans',sans-serif;font-size:10pt;margin:0}
.band{background:#1d3557;color:#fff;padding:22px 40px;display:grid;grid-template-columns:1.2fr 1fr;align-items:center}
.band h1{margin:0;font-size:24pt}.band .t{color:#a8dadc;font-size:11pt}.band .c{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;font-size:8.5pt}
.band .c b{color:#a8dadc;font-weight:normal}.body{padding:8px 40px}h2{font-size:11pt;color:#1d3557;border-bottom:2px solid #e63946;margin:14px 0 6px;text-transform:uppercase}
.ttl{font-weight:bold}.sub{color:#444}table.sk{width:100%;border-collapse:collapse}table.sk td{padding:2px 4px;width:33%}"""
        contact = [("Phone", p["phone"]), ("Email", p["email"]), ("Address", p["location"])] + [("Web", l) for l in p["links"]]
        jobs = "".join(f"""<p><span class=ttl>{E(j['title'])}</span> | {E(j['employer'])} | {E(b_dates(j, 'short', ' - '))}<br><span class=sub>{E(j['city'])}</span></p>{jobs_ul(j)}""" for j in p["jobs"])
        edus = "".join(f"<p><span class=ttl>{edu_line(x)}</span> | {E(x['institution'])} | {x['end']}</p>" for x in p["education"])
        sk = p["skills"]
        rows = "".join("<tr>" + "".join(f"<td>• {E(s)}</td>" for s in sk[k:k + 3]) + "</tr>" for k in range(0, len(sk), 3))
        certs_h = f"<h2>Certifications</h2><ul>{''.join(f'<li>{E(c)}</li>' for c in certs)}</ul>" if certs else ""
        body = f"""<div class=band><div><h1>{E(p['name'])}</h1><div class=t>{E(p['jobs'][0]['title'])}</div></div>
<div class=c>{''.join(f'<b>{k}</b><span>{E(v)}</span>' for k, v in contact)}</div></div><div class=body>
<h2>Profile</h2><p>{E(p['summary'])}</p><h2>{E(p['skill_heading'])}</h2><table class=sk>{rows}</table>
<h2>{E(p['exp_heading'])}</h2>{jobs}<h2>{E(p['edu_heading'])}</h2>{edus}{certs_h}</div>"""
        return css, body, "short", ["summary", "skills", "experience", "education"] + extra_sections(p), "header-band"
    # "cards": two columns of sections (experience left; education, skills, languages right)
    css = """body{font-family:'DejaVu Sans',sans-serif;font-size:9pt;margin:30px}
header{text-align:left;border-bottom:4px double #333;padding-bottom:6px}header h1{margin:0;font-size:20pt;text-transform:uppercase;letter-spacing:2px}
header .c span{margin-right:14px}.cols{display:grid;grid-template-columns:62% 1fr;gap:22px}
h2{font-size:10pt;background:#eee;padding:3px 6px;margin:12px 0 6px}.card{margin-bottom:8px}.card .h{display:flex;justify-content:space-between}
.card .h b{font-size:9.5pt}.card .s{color:#555}"""
    jobs = "".join(f"""<div class=card><div class=h><b>{E(j['employer'])}</b><span>{E(j['city'])}</span></div><div class=h><span class=s>{E(j['title'])}</span><span class=s>{E(b_dates(j, 'short', ' – '))}</span></div>{jobs_ul(j)}</div>""" for j in p["jobs"])
    edus = "".join(f"<div class=card><b>{E(x['institution'])}</b><div class=s>{edu_line(x)}, {x['end']}</div></div>" for x in p["education"])
    certs_h = f"<h2>Certifications</h2>{''.join(f'<div>{E(c)}</div>' for c in certs)}" if certs else ""
    body = f"""<header><h1>{E(p['name'])}</h1><div class=c><span>⌂ {E(p['location'])}</span><span>☏ {E(p['phone'])}</span><span>✉ {E(p['email'])}</span>{''.join(f'<span>⚑ {E(l)}</span>' for l in p['links'])}</div></header>
<p>{E(p['summary'])}</p><div class=cols><div><h2>{E(p['exp_heading'])}</h2>{jobs}</div>
<div><h2>{E(p['edu_heading'])}</h2>{edus}<h2>{E(p['skill_heading'])}</h2><ul>{''.join(f'<li>{E(s)}</li>' for s in p['skills'])}</ul>
<h2>Languages</h2><p>{E(', '.join(p['languages']))}</p>{certs_h}</div></div>"""
    return css, body, "short", ["experience", "education", "skills", "languages"] + extra_sections(p), "two-column"


def b_dates(j, style, sep=" – "):
    from personas import fmt_date
    return fmt_date(j["start"], style)[0] + sep + fmt_date(j["end"], style)[0]


def make_html4(b, fid, p, variant, printer):
    css, body, ds, sections, layout = html_layout(p, variant)
    with tempfile.TemporaryDirectory() as d:
        hp = os.path.join(d, "r.html")
        open(hp, "w", encoding="utf-8").write(f"<!doctype html><html><head><meta charset=utf-8><title>{E(p['name'])}</title>"
                                              f"<style>@page{{size:A4;margin:0}}{css}</style></head><body>{body}</body></html>")
        pdf = os.path.join(d, "r.pdf")
        if printer == "chromium":
            b.chromium_pdf(hp, pdf)
            maker = f"chromium {b.version(['chromium', '--version']).split()[1]} + hand-written HTML ({variant})"
        else:
            b.run(["weasyprint", hp, pdf])
            maker = f"{b.version(['weasyprint', '--version'])} + hand-written HTML ({variant})"
        b.save(fid, "pdf", pdf, p, maker, ds, sections, layout=layout)
    fix_label(b, fid, p)


# ---------------------------------------------------------------- python-docx layouts

def build_docx4(p, variant, path):
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: F401
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Cm, RGBColor
    doc = docx.Document()
    st = doc.styles["Normal"]
    st.font.name, st.font.size = ("Calibri" if variant != "tabstops" else "Cambria"), Pt(10)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin = sec.bottom_margin = Cm(1.5)
    width = sec.page_width - sec.left_margin - sec.right_margin
    certs = p.get("certifications") or []

    def no_borders(t):
        tbl = t._tbl
        pr = tbl.tblPr
        b = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            b.append(el)
        pr.append(b)

    def heading(container, text, color=RGBColor(0x1F, 0x4E, 0x79)):
        para = container.add_paragraph()
        r = para.add_run(text.upper())
        r.bold, r.font.size, r.font.color.rgb = True, Pt(11), color
        para.paragraph_format.space_before = Pt(8)
        return para

    def bullets(container, xs):
        for x in xs:
            container.add_paragraph(x, style="List Bullet")

    if variant == "tablegrid":
        # the whole page is a two-column table: contact, skills, languages left; the rest right
        t = doc.add_table(rows=1, cols=2)
        no_borders(t)
        left, right = t.rows[0].cells
        left.width, right.width = Cm(5.6), width - Cm(5.6)
        shade = OxmlElement("w:shd")
        shade.set(qn("w:fill"), "E8EEF4")
        left._tc.get_or_add_tcPr().append(shade)
        r = left.paragraphs[0].add_run(p["name"])
        r.bold, r.font.size = True, Pt(16)
        left.add_paragraph(p["jobs"][0]["title"]).runs[0].italic = True
        heading(left, "Contact")
        for v in [p["phone"], p["email"], p["location"]] + p["links"]:
            left.add_paragraph(v)
        heading(left, p["skill_heading"])
        bullets(left, p["skills"])
        heading(left, "Languages")
        for l in p["languages"]:
            left.add_paragraph(l)
        right.paragraphs[0].add_run("Profile").bold = True
        right.add_paragraph(p["summary"])
        heading(right, p["exp_heading"])
        for j in p["jobs"]:
            para = right.add_paragraph()
            para.add_run(j["title"]).bold = True
            para.add_run(f"\n{j['employer']}, {j['city']}\n{b_dates(j, 'short', ' – ')}")
            bullets(right, j["bullets"])
        heading(right, p["edu_heading"])
        for x in p["education"]:
            para = right.add_paragraph()
            para.add_run(f"{x['degree']}{', ' + x['field'] if x['field'] else ''}").bold = True
            para.add_run(f"\n{x['institution']}, {x['end']}")
        if certs:
            heading(right, "Certifications")
            bullets(right, certs)
        doc.save(path)
        return "short", ["summary", "experience", "education", "skills", "languages"] + extra_sections(p), "two-column"
    if variant == "tabstops":
        # name and contact in the Word page header; positions as "Employer<TAB>dates" with a right tab stop
        hp = sec.header.paragraphs[0]
        r = hp.add_run(p["name"])
        r.bold, r.font.size = True, Pt(18)
        sec.header.add_paragraph(f"{p['location']}  ·  {p['phone']}  ·  {p['email']}")
        para = doc.add_paragraph()
        para.add_run(p["summary"]).italic = True
        heading(doc, p["exp_heading"])
        for j in p["jobs"]:
            para = doc.add_paragraph()
            para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            para.add_run(j["employer"]).bold = True
            para.add_run(f", {j['city']}\t{b_dates(j, 'long', ' – ')}")
            doc.add_paragraph().add_run(j["title"]).italic = True
            bullets(doc, j["bullets"])
        heading(doc, p["edu_heading"])
        for x in p["education"]:
            para = doc.add_paragraph()
            para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            para.add_run(x["institution"]).bold = True
            para.add_run(f"\t{x['end']}\n{x['degree']}{', ' + x['field'] if x['field'] else ''}")
        heading(doc, p["skill_heading"])
        doc.add_paragraph(" | ".join(p["skills"]))
        if certs:
            heading(doc, "Certifications")
            bullets(doc, certs)
        heading(doc, "Languages")
        doc.add_paragraph(", ".join(p["languages"]))
        doc.save(path)
        # the summary is an italic paragraph under the header, with no heading: not a section of its own
        return "long", ["experience", "education", "skills", "languages"] + extra_sections(p), "header-part"
    # "skilltable": header as a two-cell table (name | contact lines), positions as a borderless
    # table (title and employer left, dates right), skills in a three-column table
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    a, c = t.rows[0].cells
    r = a.paragraphs[0].add_run(p["name"])
    r.bold, r.font.size = True, Pt(20)
    a.add_paragraph(p["jobs"][0]["title"])
    c.paragraphs[0].text = p["email"]
    for v in [p["phone"], p["location"]] + p["links"]:
        c.add_paragraph(v)
    for q in c.paragraphs:
        q.alignment = 2
    heading(doc, "Summary")
    doc.add_paragraph(p["summary"])
    heading(doc, p["exp_heading"])
    for j in p["jobs"]:
        t = doc.add_table(rows=2, cols=2)
        no_borders(t)
        t.cell(0, 0).paragraphs[0].add_run(j["title"]).bold = True
        t.cell(0, 1).paragraphs[0].text = b_dates(j, "num", " – ")
        t.cell(0, 1).paragraphs[0].alignment = 2
        t.cell(1, 0).paragraphs[0].text = j["employer"]
        t.cell(1, 1).paragraphs[0].text = j["city"]
        t.cell(1, 1).paragraphs[0].alignment = 2
        bullets(doc, j["bullets"])
    heading(doc, p["edu_heading"])
    for x in p["education"]:
        doc.add_paragraph(f"{x['institution']}: {x['degree']}{' in ' + x['field'] if x['field'] else ''}, {x['end']}")
    heading(doc, p["skill_heading"])
    sk = p["skills"]
    t = doc.add_table(rows=(len(sk) + 2) // 3, cols=3)
    t.style = "Table Grid"
    for k, s in enumerate(sk):
        t.cell(k // 3, k % 3).paragraphs[0].text = s
    if certs:
        heading(doc, "Certifications")
        bullets(doc, certs)
    doc.save(path)
    return "num", ["summary", "experience", "education", "skills"] + extra_sections(p), "table-header"


def make_docx4(b, fid, p, variant, to_pdf):
    import docx
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.docx")
        ds, sections, layout = build_docx4(p, variant, path)
        if to_pdf:
            b.run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--convert-to", "pdf", "--outdir", d, path])
            b.save(fid, "pdf", os.path.join(d, "r.pdf"), p, f"{b.version(['soffice', '--version'])} (python-docx {docx.__version__} {variant}) to PDF",
                   ds, sections, layout=layout)
        else:
            b.save(fid, "docx", path, p, f"python-docx {docx.__version__} ({variant})", ds, sections, layout=layout)
    fix_label(b, fid, p)


# ---------------------------------------------------------------- LibreOffice: HTML in, DOCX out

def make_lo_html_docx(b, fid, p):
    certs = p.get("certifications") or []
    rows = "".join(f"""<tr><td width="25%" valign="top">{E(b_dates(j, 'short', ' - '))}</td><td><b>{E(j['title'])}</b>, {E(j['employer'])}<br><i>{E(j['city'])}</i>
<ul>{''.join(f'<li>{E(x)}</li>' for x in j['bullets'])}</ul></td></tr>""" for j in p["jobs"])
    erows = "".join(f"<tr><td width='25%'>{x['end']}</td><td><b>{E(x['institution'])}</b><br>{E(x['degree'])}{', ' + E(x['field']) if x['field'] else ''}</td></tr>" for x in p["education"])
    body = f"""<table width="100%"><tr><td><h1>{E(p['name'])}</h1></td><td align="right">{E(p['email'])}<br>{E(p['phone'])}<br>{E(p['location'])}{''.join('<br>' + E(l) for l in p['links'])}</td></tr></table>
<h2>Summary</h2><p>{E(p['summary'])}</p><h2>{E(p['exp_heading'])}</h2><table width="100%">{rows}</table>
<h2>{E(p['edu_heading'])}</h2><table width="100%">{erows}</table><h2>{E(p['skill_heading'])}</h2><p>{E('; '.join(p['skills']))}</p>
{'<h2>Certifications</h2><ul>' + ''.join(f'<li>{E(c)}</li>' for c in certs) + '</ul>' if certs else ''}"""
    with tempfile.TemporaryDirectory() as d:
        hp = os.path.join(d, "r.html")
        open(hp, "w", encoding="utf-8").write(f"<!doctype html><html><head><meta charset=utf-8><title>CV</title></head><body>{body}</body></html>")
        b.run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/lo", "--infilter=HTML (StarWriter)",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", d, hp])
        b.save(fid, "docx", os.path.join(d, "r.docx"), p, f"{b.version(['soffice', '--version'])} (hand-written HTML imported, DOCX export)",
               "short", ["summary", "experience", "education", "skills"] + extra_sections(p), layout="table")
    fix_label(b, fid, p)


# ---------------------------------------------------------------- ReportLab

def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for n, f in [("LS", "LiberationSans-Regular.ttf"), ("LSB", "LiberationSans-Bold.ttf"), ("LSI", "LiberationSans-Italic.ttf")]:
        pdfmetrics.registerFont(TTFont(n, "/usr/share/fonts/truetype/liberation/" + f))


def make_reportlab4(b, fid, p, variant):
    import reportlab
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.utils import simpleSplit
    _fonts()
    certs = p.get("certifications") or []
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.pdf")
        if variant == "band":
            from reportlab.pdfgen import canvas
            c = canvas.Canvas(out, pagesize=letter)
            W, H = letter
            c.setFillColorRGB(0.11, 0.24, 0.33)
            c.rect(0, H - 110, W, 110, stroke=0, fill=1)
            c.setFillColorRGB(1, 1, 1)
            c.setFont("LSB", 22)
            c.drawString(40, H - 58, p["name"])
            c.setFont("LS", 11)
            c.drawString(40, H - 78, p["jobs"][0]["title"])
            c.setFont("LS", 8.5)
            yy = H - 40
            for v in [p["email"], p["phone"]] + simpleSplit(p["location"], "LS", 8.5, 200) + p["links"]:
                c.drawRightString(W - 40, yy, v)
                yy -= 12
            c.setFillColorRGB(0, 0, 0)
            y = H - 140
            x0, width = 40, W - 80

            def newpage_if(need):
                nonlocal y
                if y < 60 + need:
                    c.showPage()
                    y = H - 50

            def head(t):
                nonlocal y
                newpage_if(40)
                c.setFont("LSB", 11)
                c.setFillColorRGB(0.11, 0.24, 0.33)
                c.drawString(x0, y, t)
                c.setFillColorRGB(0, 0, 0)
                y -= 16

            def para(t, font="LS", size=9.5, indent=0):
                nonlocal y
                for part in simpleSplit(t, font, size, width - indent):
                    newpage_if(0)
                    c.setFont(font, size)
                    c.drawString(x0 + indent, y, part)
                    y -= size + 3.5
            head("SUMMARY")
            para(p["summary"])
            y -= 6
            head(p["exp_heading"].upper())
            for j in p["jobs"]:
                newpage_if(30)
                c.setFont("LSB", 10)
                c.drawString(x0, y, f"{j['employer']} — {j['title']}")
                c.setFont("LSI", 9.5)
                c.drawRightString(x0 + width, y, b_dates(j, "short", " to "))
                y -= 13
                para(j["city"], "LSI", 9)
                for x in j["bullets"]:
                    c.setFont("LS", 9.5)
                    c.drawString(x0 + 6, y, "–")
                    para(x, "LS", 9.5, 16)
                y -= 5
            head(p["edu_heading"].upper())
            for x in p["education"]:
                para(f"{x['institution']} — {x['degree']}{', ' + x['field'] if x['field'] else ''} ({x['end']})")
            y -= 6
            head(p["skill_heading"].upper())
            para(" • ".join(p["skills"]))
            if certs:
                y -= 6
                head("CERTIFICATIONS")
                for x in certs:
                    para(x)
            c.setTitle(p["name"])
            c.save()
            maker, ds, sections, layout = (f"ReportLab {reportlab.Version} canvas (header band)", "short",
                                           ["summary", "experience", "education", "skills"] + extra_sections(p), "header-band")
        else:  # platypus: the whole body as a two-column Table
            from reportlab.lib.styles import ParagraphStyle
            from reportlab.platypus import SimpleDocTemplate, Paragraph, Table, TableStyle, Spacer
            from reportlab.lib import colors
            s = ParagraphStyle("s", fontName="LS", fontSize=9, leading=11.5)
            h = ParagraphStyle("h", fontName="LSB", fontSize=10.5, leading=14, spaceBefore=8, textColor=colors.HexColor("#7a2e2e"))
            bl = ParagraphStyle("b", parent=s, leftIndent=10, bulletIndent=0)
            nm = ParagraphStyle("n", fontName="LSB", fontSize=20, leading=24)
            left = [Paragraph(E(p["name"]), nm), Spacer(1, 6), Paragraph("CONTACT", h)] + \
                [Paragraph(E(v), s) for v in [p["phone"], p["email"], p["location"]] + p["links"]] + \
                [Paragraph(E(p["skill_heading"]).upper(), h)] + [Paragraph(E(x), bl, bulletText="•") for x in p["skills"]] + \
                [Paragraph("LANGUAGES", h)] + [Paragraph(E(x), s) for x in p["languages"]]
            right = [Paragraph("PROFILE", h), Paragraph(E(p["summary"]), s), Paragraph(E(p["exp_heading"]).upper(), h)]
            for j in p["jobs"]:
                right += [Paragraph(f"<b>{E(j['title'])}</b>, {E(j['employer'])}", s),
                          Paragraph(f"<i>{E(b_dates(j, 'num', ' - '))} | {E(j['city'])}</i>", s)]
                right += [Paragraph(E(x), bl, bulletText="•") for x in j["bullets"]] + [Spacer(1, 4)]
            right += [Paragraph(E(p["edu_heading"]).upper(), h)]
            right += [Paragraph(f"<b>{E(x['degree'])}{', ' + E(x['field']) if x['field'] else ''}</b><br/>{E(x['institution'])}, {x['end']}", s)
                      for x in p["education"]]
            if certs:
                right += [Paragraph("CERTIFICATIONS", h)] + [Paragraph(E(x), bl, bulletText="•") for x in certs]
            W, H = A4
            t = Table([[left, right]], colWidths=[150, W - 72 - 150 - 10])
            t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (0, 0), colors.HexColor("#f4eeee")),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
            SimpleDocTemplate(out, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36,
                              title=p["name"]).build([t])
            maker, ds, sections, layout = (f"ReportLab {reportlab.Version} platypus (two-column table)", "num",
                                           ["summary", "experience", "education", "skills", "languages"] + extra_sections(p), "two-column")
        b.save(fid, "pdf", out, p, maker, ds, sections, layout=layout)
    fix_label(b, fid, p)


# ---------------------------------------------------------------- fpdf2

def make_fpdf(b, fid, p, variant):
    import fpdf
    from fpdf import FPDF
    certs = p.get("certifications") or []
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    for st, f in [("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf")]:
        pdf.add_font("DV", st, "/usr/share/fonts/truetype/dejavu/" + f)
    pdf.add_page()
    if variant == "cells":
        pdf.set_margins(18, 16, 18)
        pdf.set_xy(18, 16)
        pdf.set_font("DV", "B", 20)
        pdf.cell(0, 10, p["name"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DV", "", 9)
        pdf.multi_cell(0, 5, "  |  ".join([p["email"], p["phone"], p["location"]] + p["links"]), new_x="LMARGIN", new_y="NEXT")
        W = pdf.w - 36

        def head(t):
            pdf.ln(3)
            pdf.set_font("DV", "B", 11)
            pdf.cell(0, 7, t, border="B", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        head("Summary")
        pdf.set_font("DV", "", 9.5)
        pdf.multi_cell(0, 5, p["summary"], new_x="LMARGIN", new_y="NEXT")
        head(p["exp_heading"])
        for j in p["jobs"]:
            pdf.set_font("DV", "B", 10)
            pdf.cell(W * 0.7, 6, f"{j['title']} – {j['employer']}")
            pdf.set_font("DV", "", 9)
            pdf.cell(W * 0.3, 6, b_dates(j, "iso", " – "), align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DV", "I", 9)
            pdf.cell(0, 5, j["city"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DV", "", 9.5)
            for x in j["bullets"]:
                pdf.set_x(22)
                pdf.multi_cell(0, 5, "• " + x, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        head(p["edu_heading"])
        pdf.set_font("DV", "", 9.5)
        for x in p["education"]:
            pdf.multi_cell(0, 5, f"{x['degree']}{', ' + x['field'] if x['field'] else ''} — {x['institution']}, {x['end']}", new_x="LMARGIN", new_y="NEXT")
        head(p["skill_heading"])
        pdf.multi_cell(0, 5, ", ".join(p["skills"]), new_x="LMARGIN", new_y="NEXT")
        if certs:
            head("Certifications")
            for x in certs:
                pdf.multi_cell(0, 5, x, new_x="LMARGIN", new_y="NEXT")
        ds, sections, layout = "iso", ["summary", "experience", "education", "skills"] + extra_sections(p), "single-column"
    else:  # sidebar: a shaded left column drawn with absolute positions, then the main column
        pdf.set_fill_color(236, 240, 230)
        pdf.rect(0, 0, 72, pdf.h, style="F")
        pdf.set_xy(8, 16)
        pdf.set_font("DV", "B", 14)
        pdf.multi_cell(58, 7, p["name"], new_x="LEFT", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("DV", "B", 9.5)
        pdf.cell(58, 6, "CONTACT", new_x="LEFT", new_y="NEXT")
        pdf.set_font("DV", "", 7.5)
        for v in [p["phone"], p["email"], p["location"]] + p["links"]:
            pdf.multi_cell(58, 4.5, v, new_x="LEFT", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(3)
        pdf.set_font("DV", "B", 9.5)
        pdf.cell(58, 6, p["skill_heading"].upper(), new_x="LEFT", new_y="NEXT")
        pdf.set_font("DV", "", 8.5)
        for s in p["skills"]:
            pdf.multi_cell(58, 4.5, s, new_x="LEFT", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("DV", "B", 9.5)
        pdf.cell(58, 6, "LANGUAGES", new_x="LEFT", new_y="NEXT")
        pdf.set_font("DV", "", 8.5)
        for s in p["languages"]:
            pdf.multi_cell(58, 4.5, s, new_x="LEFT", new_y="NEXT")
        pdf.set_left_margin(80)
        pdf.set_right_margin(14)
        pdf.set_xy(80, 16)

        def head(t):
            pdf.ln(2)
            pdf.set_font("DV", "B", 11)
            pdf.set_text_color(60, 90, 40)
            pdf.cell(0, 7, t.upper(), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        head("Profile")
        pdf.set_font("DV", "", 9.5)
        pdf.multi_cell(0, 5, p["summary"], new_x="LMARGIN", new_y="NEXT")
        head(p["exp_heading"])
        for j in p["jobs"]:
            pdf.set_font("DV", "B", 10)
            pdf.multi_cell(0, 5.5, j["title"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DV", "", 9)
            pdf.multi_cell(0, 5, f"{j['employer']}, {j['city']} ({b_dates(j, 'short', ' – ')})", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DV", "", 9.5)
            for x in j["bullets"]:
                pdf.multi_cell(0, 5, "– " + x, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        head(p["edu_heading"])
        for x in p["education"]:
            pdf.set_font("DV", "B", 9.5)
            pdf.multi_cell(0, 5, x["institution"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DV", "", 9.5)
            pdf.multi_cell(0, 5, f"{x['degree']}{', ' + x['field'] if x['field'] else ''}, {x['end']}", new_x="LMARGIN", new_y="NEXT")
        if certs:
            head("Certifications")
            for x in certs:
                pdf.multi_cell(0, 5, x, new_x="LMARGIN", new_y="NEXT")
        ds, sections, layout = "short", ["summary", "experience", "education", "skills", "languages"] + extra_sections(p), "two-column"
    pdf.set_title(p["name"])
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.pdf")
        pdf.output(out)
        b.save(fid, "pdf", out, p, f"fpdf2 {fpdf.__version__} ({variant})", ds, sections, layout=layout)
    fix_label(b, fid, p)


# ---------------------------------------------------------------- plan

def plan4(b, P, first_number=101, k=106):
    makers = []
    for t in ("class", "paper", "short", "spartan", "onepage", "caffeine", "modern", "classy"):
        makers.append((f"jr-{t}", lambda f, p, t=t: make_theme(b, f, p, t)))
    for v in ("icons", "timeline", "rightbar", "band", "cards"):
        makers.append((f"html-{v}", lambda f, p, v=v: make_html4(b, f, p, v, "chromium")))
    for v in ("icons", "timeline", "rightbar", "band", "cards"):
        makers.append((f"weasy-{v}", lambda f, p, v=v: make_html4(b, f, p, v, "weasyprint")))
    for v in ("tablegrid", "tabstops", "skilltable"):
        makers.append((f"pydocx-{v}", lambda f, p, v=v: make_docx4(b, f, p, v, False)))
        makers.append((f"lo-{v}", lambda f, p, v=v: make_docx4(b, f, p, v, True)))
    makers.append(("lo-html-docx", lambda f, p: make_lo_html_docx(b, f, p)))
    for v in ("band", "table"):
        makers.append((f"reportlab-{v}", lambda f, p, v=v: make_reportlab4(b, f, p, v)))
    for v in ("cells", "sidebar"):
        makers.append((f"fpdf-{v}", lambda f, p, v=v: make_fpdf(b, f, p, v)))
    makers.append(("jr-short-ls", lambda f, p: make_theme(b, f, p, "short", True)))
    makers.append(("jr-classy-ls", lambda f, p: make_theme(b, f, p, "classy", True)))
    jobs = []
    n = first_number
    order = list(range(k, len(P)))
    pos = 0
    # rounds over the makers (one file each), until the batch's people are used
    while pos < len(order):
        for name, fn in makers:
            if pos >= len(order):
                break
            if "classy" in name and not P[order[pos]]["links"]:
                # the classy theme fails on a resume without profiles: give it the next person who has one
                nxt = next((q for q in range(pos + 1, len(order)) if P[order[q]]["links"]), None)
                if nxt is not None:
                    order[pos], order[nxt] = order[nxt], order[pos]
            jobs.append((f"u{n}-{name}", lambda f, p=P[order[pos]], fn=fn: fn(f, p)))
            n += 1
            pos += 1
    return jobs
