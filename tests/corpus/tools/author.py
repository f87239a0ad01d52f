#!/usr/bin/env python3
"""Write tests/corpus/src/<id>.<ext> and tests/corpus/expected/<id>.json from tools/resumes.py.

The resume content lives once, in resumes.py; this script renders it in the layout chosen for each
resume (HTML for Chromium or LibreOffice, Markdown for pandoc, LaTeX, plain text) and derives the
gold labels from the same data, so the labels always say what the file says.

Markup used in resumes.py text:
  {Kafka}                 shows "Kafka" and labels the skill "Kafka"
  {k8s|Kubernetes}        shows "k8s" and labels the skill "Kubernetes"
Items of a skills group are skills by themselves ("Python" or "Excel|Microsoft Excel").
Spoken languages and certifications are labelled in their own fields, not in `skills`.
Standard library only.
"""

import html
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)

from resumes import RESUMES  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MARK = re.compile(r"\{([^{}|]+)(?:\|([^{}]+))?\}")


class Labels:
    def __init__(self):
        self.skills = []

    def add(self, s):
        s = s.strip()
        if s and s not in self.skills:
            self.skills.append(s)


def text(s, lab):
    """Strip markup, recording skills."""
    def rep(m):
        lab.add(m.group(2) or m.group(1))
        return m.group(1)
    return MARK.sub(rep, s)


def skill_item(s, lab):
    if "{" in s:
        return text(s, lab)
    if "|" in s:
        shown, canon = s.split("|", 1)
        lab.add(canon)
        return shown
    lab.add(s)
    return s


# ---------------------------------------------------------------- dates

def parse(d):
    if d in ("present",):
        return None, None
    parts = d.split("-")
    return int(parts[0]), (int(parts[1]) if len(parts) > 1 else None)


def fmt_one(d, style, present):
    if d == "present":
        return present
    y, m = parse(d)
    if m is None or style == "year":
        return str(y)
    if style == "mon":
        return f"{MONTHS[m - 1][:3]} {y}"
    if style == "slash":
        return f"{m:02d}/{y}"
    if style == "full":
        return f"{MONTHS[m - 1]} {y}"
    if style == "iso":
        return f"{y}-{m:02d}"
    if style == "dot":
        return f"{m:02d}.{y}"
    if style == "apos":
        return f"{MONTHS[m - 1][:3]} '{y % 100:02d}"
    raise ValueError(style)


SEPS = {"mon": " – ", "slash": " - ", "year": "–", "full": " to ", "iso": " – ", "dot": " – ",
        "apos": " – "}
PRESENTS = {"mon": "Present", "slash": "Present", "year": "present", "full": "Present",
            "iso": "current", "dot": "heute", "apos": "Now"}


def label_date(d, style):
    if d == "present":
        return "present"
    y, m = parse(d)
    if m is None or style == "year":
        return str(y)
    return f"{y}-{m:02d}"


def dates(entry, r):
    """Return (shown, start_label, end_label)."""
    style = entry.get("style", r["dates"])
    present = entry.get("present", r.get("present", PRESENTS[style]))
    if "shown" in entry:
        return entry["shown"], entry["start"], entry["end"]
    sep = r.get("sep", SEPS[style])
    shown = fmt_one(entry["start"], style, present) + sep + fmt_one(entry["end"], style, present)
    return shown, label_date(entry["start"], style), label_date(entry["end"], style)


# ---------------------------------------------------------------- model -> blocks
# A rendered resume is a list of sections; each section is (kind, heading, blocks) where a block is
# ("p", text) | ("bullets", [text]) | ("entry", dict) | ("group", label, [items]) | ("line", text)

def build(r):
    lab = Labels()
    exp_labels, edu_labels = [], []
    certs, spoken = [], []
    sections = []
    for sec in r["sections"]:
        kind, heading, body = sec[0], sec[1], sec[2]
        blocks = []
        if kind in ("experience", "volunteering"):
            for e in body:
                shown, s, en = dates(e, r)
                ent = {"title": e["title"], "org": e["org"], "where": e.get("where"), "dates": shown,
                       "bullets": [text(b, lab) for b in e.get("bullets", [])],
                       "para": text(e["para"], lab) if e.get("para") else None}
                blocks.append(("entry", ent))
                if kind == "experience":
                    exp_labels.append({"employer": e["org"], "title": e["title"], "start": s, "end": en})
        elif kind == "education":
            for e in body:
                ent = dict(e)
                ent["bullets"] = [text(b, lab) for b in e.get("bullets", [])]
                blocks.append(("edu", ent))
                edu_labels.append({"institution": e["school"], "degree": e["degree"],
                                   "field": e.get("field"), "end": e.get("end"),
                                   "gpa": e.get("gpa_label", e.get("gpa"))})
        elif kind == "skills":
            for g in body:
                if isinstance(g, str):
                    blocks.append(("p", text(g, lab)))
                else:
                    label, items = g
                    blocks.append(("group", label, [skill_item(i, lab) for i in items]))
        elif kind == "certifications":
            for c in body:
                if isinstance(c, tuple):
                    shown, name = c
                else:
                    shown, name = c, c
                certs.append(name)
                blocks.append(("li", text(shown, lab)))
        elif kind == "languages":
            for c in body:
                shown, name = c if isinstance(c, tuple) else (c, c)
                spoken.append(name)
                blocks.append(("li", shown))
        elif kind == "projects":
            for p in body:
                if isinstance(p, tuple):
                    blocks.append(("proj", p[0], text(p[1], lab)))
                else:
                    blocks.append(("li", text(p, lab)))
        else:
            if isinstance(body, str):
                blocks.append(("p", text(body, lab)))
            else:
                for b in body:
                    blocks.append(("li", text(b, lab)))
        sections.append((kind, heading, blocks))
    headline = text(r["headline"], lab) if r.get("headline") else None
    return {"sections": sections, "headline": headline, "labels": lab, "exp": exp_labels,
            "edu": edu_labels, "certs": certs, "spoken": spoken}


# ---------------------------------------------------------------- education line styles

def edu_lines(e):
    """Return (first_line, second_line) as people write them."""
    style = e.get("fmt", "a")
    deg = e["degree"] + (f" in {e['field']}" if e.get("field") and style != "b" else "")
    when = e.get("shown_end", e.get("end") or "")
    if style == "b":  # "B.Sc., Computer Science"
        deg = e["degree"] + (f", {e['field']}" if e.get("field") else "")
    where = e["school"] + (f", {e['where']}" if e.get("where") else "")
    second = where + (f" — {when}" if when else "")
    if e.get("gpa"):
        second += f" — {e.get('gpa_word', 'GPA')}: {e['gpa']}{e.get('gpa_scale', '')}"
    return deg, second


# ---------------------------------------------------------------- renderers

def avatar_png(size=96):
    """A plain head-and-shoulders silhouette, drawn here so no photo of anyone is needed."""
    import base64
    import struct
    import zlib
    rows = []
    c = size / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            head = (x - c) ** 2 + (y - size * 0.38) ** 2 < (size * 0.2) ** 2
            body = (x - c) ** 2 / (size * 0.36) ** 2 + (y - size * 1.0) ** 2 / (size * 0.4) ** 2 < 1
            row += bytes((236, 240, 244)) if not (head or body) else bytes((120, 134, 150))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def esc(s):
    return html.escape(s, quote=False)


def contact_items(r):
    c = r["contact"]
    items = [c[k] for k in ("email", "phone", "location") if c.get(k)]
    items += c.get("links", [])
    return items


def html_section(kind, heading, blocks, tag="h2", table_entries=False, lo=False, bold_heading=False):
    if bold_heading:  # a hand-formatted heading: bold body text, no heading style
        out = [f'<section class="{kind}"><p><b>{esc(heading.upper())}</b></p>']
    else:
        out = [f'<section class="{kind}"><{tag}>{esc(heading)}</{tag}>']
    lis = []

    def flush():
        if lis:
            out.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lis) + "</ul>")
            lis.clear()
    for b in blocks:
        if b[0] == "li":
            lis.append(b[1])
            continue
        flush()
        if b[0] == "p":
            out.append(f"<p>{esc(b[1])}</p>")
        elif b[0] == "group":
            if b[1]:
                out.append(f"<p><b>{esc(b[1])}:</b> {esc(', '.join(b[2]))}</p>")
            else:
                out.append("<p>" + esc(" · ".join(b[2])) + "</p>")
        elif b[0] == "proj":
            out.append(f"<p><b>{esc(b[1])}</b> — {esc(b[2])}</p>")
        elif b[0] == "entry":
            e = b[1]
            where = f", {esc(e['where'])}" if e.get("where") else ""
            body = ""
            if e["para"]:
                body += f"<p>{esc(e['para'])}</p>"
            if e["bullets"]:
                body += "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in e["bullets"]) + "</ul>"
            if table_entries:
                out.append(f'<table width="100%" border="0"><tr><td width="22%" valign="top">'
                           f'{esc(e["dates"])}</td><td valign="top"><b>{esc(e["title"])}</b><br>'
                           f'{esc(e["org"])}{where}{body}</td></tr></table>')
            elif lo:
                out.append(f'<p><b>{esc(e["title"])}</b><br>{esc(e["org"])}{where} | {esc(e["dates"])}</p>'
                           f'{body}')
            else:
                out.append(f'<div class="entry"><div class="row"><b>{esc(e["title"])}</b>'
                           f'<span class="dates">{esc(e["dates"])}</span></div>'
                           f'<div class="org">{esc(e["org"])}{where}</div>{body}</div>')
        elif b[0] == "edu":
            e = b[1]
            l1, l2 = edu_lines(e)
            extra = "".join(f"<li>{esc(x)}</li>" for x in e["bullets"])
            extra = f"<ul>{extra}</ul>" if extra else ""
            if table_entries:
                out.append(f'<table width="100%" border="0"><tr><td width="22%" valign="top">'
                           f'{esc(e.get("shown_end", e.get("end") or ""))}</td><td><b>{esc(l1)}</b>'
                           f'<br>{esc(l2)}{extra}</td></tr></table>')
            else:
                out.append(f'<div class="entry"><b>{esc(l1)}</b><div class="org">{esc(l2)}</div>'
                           f'{extra}</div>')
    flush()
    out.append("</section>")
    return "\n".join(out)


CSS_BASE = """
@page { size: A4; margin: 14mm; }
body { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 10pt; color: #222; margin: 0; }
h1 { font-size: 20pt; margin: 0 0 2px 0; }
h2 { font-size: 11.5pt; text-transform: uppercase; letter-spacing: 0.5px; border-bottom: 1px solid #999;
     margin: 12px 0 5px 0; }
p { margin: 3px 0; } ul { margin: 2px 0 4px 0; padding-left: 16px; } li { margin: 1px 0; }
.entry { margin-bottom: 6px; } .row { display: flex; justify-content: space-between; }
.dates { color: #555; white-space: nowrap; } .org { font-style: italic; }
.headline { font-size: 12pt; color: #444; } .contact { color: #333; margin: 4px 0 8px 0; }
"""

CSS_LAYOUT = {
    "one-column": "",
    "two-column": """
.cols { display: grid; grid-template-columns: 1.9fr 1fr; column-gap: 18px; }
.side { border-left: 1px solid #ccc; padding-left: 12px; }
""",
    "sidebar": """
@page { margin: 0; }
body { display: flex; min-height: 297mm; }
.side { width: 68mm; background: #1f3347; color: #f2f2f2; padding: 14mm 6mm 10mm 8mm; box-sizing: border-box; }
.side h1 { font-size: 17pt; }
.side h2 { border-bottom-color: #8aa; } .side .dates, .side .headline, .side .contact { color: #e6e6e6; }
.side .contact div { font-size: 8.5pt; }
.main { flex: 1; padding: 14mm 12mm 10mm 10mm; }
""",
}


def render_html(r, built, layout, for_lo=False, table_entries=False):
    c = r["contact"]
    secs = built["sections"]
    side_kinds = set(r.get("side", []))
    ordered = []
    head = [f"<h1>{esc(c['name'])}</h1>"]
    if built["headline"]:
        head.append(f'<div class="headline">{esc(built["headline"])}</div>')
    contact = " | ".join(esc(x) for x in contact_items(r))
    if layout == "sidebar":
        side = secs_in(secs, side_kinds, True)
        main = secs_in(secs, side_kinds, False)
        ordered = side + main
        cblock = "".join(f"<div>{esc(x)}</div>" for x in contact_items(r))
        photo = (f'<img src="{avatar_png()}" alt="Photo" width="96" height="96" style="border-radius:50%">'
                 if r.get("photo") else "")
        body = (f'<aside class="side">{photo}{"".join(head)}<div class="contact">{cblock}</div>'
                + "".join(html_section(*s) for s in side) + '</aside><main class="main">'
                + "".join(html_section(*s) for s in main) + "</main>")
    elif layout == "two-column":
        side = secs_in(secs, side_kinds, True)
        main = secs_in(secs, side_kinds, False)
        ordered = main + side
        body = ("<header>" + "".join(head) + f'<div class="contact">{contact}</div></header>'
                '<div class="cols"><div class="main">' + "".join(html_section(*s) for s in main)
                + '</div><div class="side">' + "".join(html_section(*s) for s in side) + "</div></div>")
    elif layout == "sidebar-table":  # a Word-style template: one 2-cell table holds the whole page
        side = secs_in(secs, side_kinds, True)
        main = secs_in(secs, side_kinds, False)
        ordered = side + main
        cblock = "<br>".join(esc(x) for x in contact_items(r))
        hl = f'<p><i>{esc(built["headline"])}</i></p>' if built["headline"] else ""
        body = (f'<table width="100%" border="0" cellpadding="6"><tr><td width="34%" valign="top" bgcolor="#e8eef3">'
                f'<h1>{esc(c["name"])}</h1>{hl}<p>{cblock}</p>'
                + "".join(html_section(*s, lo=True) for s in side)
                + '</td><td valign="top">' + "".join(html_section(*s, lo=True) for s in main)
                + "</td></tr></table>")
    else:
        ordered = secs
        if table_entries:
            cl = "<br>".join(esc(x) for x in contact_items(r))
            hl = f'<br><i>{esc(built["headline"])}</i>' if built["headline"] else ""
            header = (f'<table width="100%" border="0"><tr><td width="55%" valign="top"><h1>'
                      f'{esc(c["name"])}</h1>{hl}</td><td valign="top" align="right">{cl}</td></tr>'
                      "</table>")
        else:
            header = "".join(head) + f'<p class="contact">{contact}</p>'
        if r.get("photo"):
            header = f'<p><img src="{avatar_png()}" alt="Photo" width="96" height="96" align="right"></p>' + header
        body = header + "".join(html_section(*s, table_entries=table_entries, lo=for_lo,
                                             bold_heading=r.get("bold_headings", False)) for s in secs)
    css = "" if for_lo else f"<style>{CSS_BASE}{CSS_LAYOUT[layout]}</style>"
    if r.get("footer") and not for_lo:
        # A <tfoot> repeats on every printed page in Chromium: a running footer without a page margin box.
        css += ("<style>table.pg { width: 100%; border-collapse: collapse; } table.pg > * > tr > td { padding: 0; }"
                " .runfoot { font-size: 8pt; color: #777; text-align: center; padding-top: 6mm; }</style>")
        body = (f'<table class="pg"><tfoot><tr><td><div class="runfoot">{esc(r["footer"])}</div></td></tr></tfoot>'
                f"<tbody><tr><td>{body}</td></tr></tbody></table>")
    doc = (f'<!DOCTYPE html>\n<html lang="{r.get("lang", "en")}"><head><meta charset="utf-8">'
           f"<title>{esc(c['name'])} — Resume</title>{css}</head>\n<body>\n{body}\n</body></html>\n")
    return doc, ordered


def secs_in(secs, kinds, inside):
    return [s for s in secs if (s[0] in kinds) == inside]


def md_escape(s):
    return re.sub(r"([*_`\[\]#<>\\])", r"\\\1", s)


def render_md(r, built):
    c = r["contact"]
    out = [f"# {md_escape(c['name'])}", ""]
    if built["headline"]:
        out += [f"**{md_escape(built['headline'])}**", ""]
    out += [md_escape(" · ".join(contact_items(r))), ""]
    for kind, heading, blocks in built["sections"]:
        if out[-1].startswith("|"):
            out.append("")
        out += [f"## {md_escape(heading)}", ""]
        for b in blocks:
            if b[0] == "p":
                out += [md_escape(b[1]), ""]
            elif b[0] == "li":
                out.append(f"- {md_escape(b[1])}")
            elif b[0] == "group" and r.get("md_skill_table"):
                if not out[-1].startswith("|"):
                    out += ["| Area | Skills |", "|---|---|"]
                out.append(f"| {md_escape(b[1] or '')} | {md_escape(', '.join(b[2]))} |")
            elif b[0] == "group":
                lead = f"**{md_escape(b[1])}:** " if b[1] else ""
                out += [lead + md_escape(", ".join(b[2])), ""]
            elif b[0] == "proj":
                out += [f"- **{md_escape(b[1])}** — {md_escape(b[2])}"]
            elif b[0] == "entry":
                e = b[1]
                where = f", {e['where']}" if e.get("where") else ""
                out += [f"### {md_escape(e['title'])} — {md_escape(e['org'])}{md_escape(where)}", "",
                        f"*{md_escape(e['dates'])}*", ""]
                if e["para"]:
                    out += [md_escape(e["para"]), ""]
                out += [f"- {md_escape(x)}" for x in e["bullets"]]
                out.append("")
            elif b[0] == "edu":
                l1, l2 = edu_lines(b[1])
                out += [f"**{md_escape(l1)}**  ", md_escape(l2), ""]
                out += [f"- {md_escape(x)}" for x in b[1]["bullets"]]
                if b[1]["bullets"]:
                    out.append("")
        out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


TEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
               "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
               "–": "--", "—": "---", "’": "'", "'": "'", "|": r"\textbar{}", "+": "+"}


def tex(s):
    return "".join(TEX_SPECIAL.get(ch, ch) for ch in s)


def render_tex(r, built, engine):
    c = r["contact"]
    if engine == "lualatex":
        pre = ("\\documentclass[10pt,a4paper]{article}\n\\usepackage[T1]{fontenc}\n"
               "\\usepackage{charter}\n")
    else:
        pre = ("\\documentclass[10pt,a4paper]{article}\n\\usepackage[T1]{fontenc}\n"
               "\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n")
    pre += ("\\usepackage[margin=18mm]{geometry}\n\\usepackage[hidelinks]{hyperref}\n"
            "\\pagestyle{empty}\n\\setlength{\\parindent}{0pt}\n"
            "\\newenvironment{tight}{\\begin{itemize}\\setlength{\\itemsep}{0pt}"
            "\\setlength{\\parskip}{0pt}}{\\end{itemize}}\n"
            "\\newcommand{\\sect}[1]{\\par\\medskip{\\large\\scshape #1}\\par\\vspace{1pt}"
            "\\hrule\\vspace{4pt}}\n")
    out = [pre, "\\begin{document}", "\\begin{center}", f"{{\\LARGE\\bfseries {tex(c['name'])}}}\\\\[3pt]"]
    if built["headline"]:
        out.append(f"{tex(built['headline'])}\\\\[2pt]")
    out.append(" \\,$\\cdot$\\, ".join(tex(x) for x in contact_items(r)))
    out.append("\\end{center}")
    for kind, heading, blocks in built["sections"]:
        out.append(f"\\sect{{{tex(heading)}}}")
        lis = []

        def flush():
            if lis:
                out.append("\\begin{tight}")
                out.extend(f"\\item {tex(x)}" for x in lis)
                out.append("\\end{tight}")
                lis.clear()
        for b in blocks:
            if b[0] == "li":
                lis.append(b[1])
                continue
            flush()
            if b[0] == "p":
                out.append(tex(b[1]) + "\n")
            elif b[0] == "group":
                lead = f"\\textbf{{{tex(b[1])}:}} " if b[1] else ""
                out.append(lead + tex(", ".join(b[2])) + "\\\\")
            elif b[0] == "proj":
                out.append(f"\\textbf{{{tex(b[1])}}} --- {tex(b[2])}\\\\")
            elif b[0] == "entry":
                e = b[1]
                where = f", {e['where']}" if e.get("where") else ""
                out.append(f"\\textbf{{{tex(e['title'])}}} \\hfill {tex(e['dates'])}\\\\")
                out.append(f"\\textit{{{tex(e['org'] + where)}}}")
                if e["para"]:
                    out.append("\\\\" + tex(e["para"]))
                if e["bullets"]:
                    out.append("\\begin{tight}")
                    out.extend(f"\\item {tex(x)}" for x in e["bullets"])
                    out.append("\\end{tight}")
                out.append("\\medskip\n")
            elif b[0] == "edu":
                l1, l2 = edu_lines(b[1])
                out.append(f"\\textbf{{{tex(l1)}}}\\\\\n{tex(l2)}\\\\[3pt]")
                if b[1]["bullets"]:
                    out.append("\\begin{tight}")
                    out.extend(f"\\item {tex(x)}" for x in b[1]["bullets"])
                    out.append("\\end{tight}")
        flush()
    out.append("\\end{document}\n")
    return "\n".join(out)


def xesc(s):
    return html.escape(s, quote=True)


FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans'" fo:font-size="10pt"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.08cm"/></style:style>
  <style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>
  <style:style style:name="HeaderName" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"><style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.1cm" fo:border-bottom="0.5pt solid #808080"/><style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:color="#1f3347"/></style:style>
  <style:style style:name="Entry" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="Dates" style:family="paragraph"><style:text-properties fo:font-style="italic" fo:color="#555555"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="0.8cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="1.2cm" fo:margin-bottom="0.5cm"/></style:header-style></style:page-layout>
 </office:automatic-styles>
"""


def render_fodt(r, built):
    """Flat ODT whose page header carries the name and contact details (LibreOffice -> DOCX)."""
    c = r["contact"]
    out = [FODT_HEAD, ' <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">',
           "  <style:header>",
           f'   <text:p text:style-name="HeaderName">{xesc(c["name"])}</text:p>',
           f'   <text:p text:style-name="Header">{xesc(" · ".join(contact_items(r)))}</text:p>',
           "  </style:header>", " </style:master-page></office:master-styles>", " <office:body><office:text>"]
    if built["headline"]:
        out.append(f'  <text:p text:style-name="Entry">{xesc(built["headline"])}</text:p>')

    def para(t, style="Standard"):
        out.append(f'  <text:p text:style-name="{style}">{xesc(t)}</text:p>')

    def bullets(items):
        if items:
            out.append("  <text:list>" + "".join(f"<text:list-item><text:p>{xesc(x)}</text:p></text:list-item>"
                                               for x in items) + "</text:list>")
    for kind, heading, blocks in built["sections"]:
        out.append(f'  <text:h text:style-name="Heading_20_2" text:outline-level="2">{xesc(heading)}</text:h>')
        lis = []
        for b in blocks:
            if b[0] == "li":
                lis.append(b[1])
                continue
            bullets(lis)
            lis = []
            if b[0] == "p":
                para(b[1])
            elif b[0] == "group":
                para((f"{b[1]}: " if b[1] else "") + ", ".join(b[2]))
            elif b[0] == "proj":
                para(f"{b[1]} – {b[2]}")
            elif b[0] == "entry":
                e = b[1]
                where = f", {e['where']}" if e.get("where") else ""
                para(f"{e['title']} — {e['org']}{where}", "Entry")
                para(e["dates"], "Dates")
                if e["para"]:
                    para(e["para"])
                bullets(e["bullets"])
            elif b[0] == "edu":
                l1, l2 = edu_lines(b[1])
                para(l1, "Entry")
                para(l2)
                bullets(b[1]["bullets"])
        bullets(lis)
    out.append(" </office:text></office:body>\n</office:document>\n")
    return "\n".join(out)


def render_txt(r, built, style):
    c = r["contact"]
    nl = []
    bullet = {"caps": "- ", "plain": "• ", "odd": "*\t"}[style]
    if style == "caps":
        nl += [c["name"].upper()]
    elif style == "odd":
        nl += ["   " + c["name"] + "   "]
    else:
        nl += [c["name"]]
    if built["headline"]:
        nl.append(built["headline"])
    if style == "odd":
        nl += ["\u00a0\u00a0|\u00a0\u00a0".join(contact_items(r)[:2]) + "  ", "\t".join(contact_items(r)[2:])]
    else:
        nl += contact_items(r)
    for kind, heading, blocks in built["sections"]:
        nl.append("")
        if style == "caps":
            nl += [heading.upper(), "=" * len(heading)]
        elif style == "plain":
            nl += [heading + ":" if r.get("colon_headings") else heading, ""]
        else:
            nl += ["", heading.upper() + "  ", "-" * (len(heading) + 4)]
        for b in blocks:
            if b[0] == "p":
                nl.append(b[1])
            elif b[0] == "li":
                nl.append(bullet + b[1])
            elif b[0] == "group":
                nl.append((f"{b[1]}: " if b[1] else "") + ", ".join(b[2]))
            elif b[0] == "proj":
                nl.append(f"{bullet}{b[1]}: {b[2]}")
            elif b[0] == "entry":
                e = b[1]
                where = f", {e['where']}" if e.get("where") else ""
                if style == "caps":
                    nl += [f"{e['title']}, {e['org']}{where}", e["dates"]]
                elif style == "plain":
                    nl += [f"{e['org']}{where} — {e['title']}", e["dates"]]
                else:
                    nl += [f"{e['title']}    {e['org']}{where}    {e['dates']}"]
                if e["para"]:
                    nl.append(e["para"])
                nl += [("    " if style == "odd" else "") + bullet + x for x in e["bullets"]]
                nl.append("")
            elif b[0] == "edu":
                l1, l2 = edu_lines(b[1])
                nl += [l1, l2]
                nl += [bullet + x for x in b[1]["bullets"]]
    s = "\n".join(nl).rstrip() + "\n"
    s = re.sub(r"\n{3,}", "\n\n\n", s) if style == "odd" else re.sub(r"\n{3,}", "\n\n", s)
    if style == "odd":
        s = s.replace("\n", "\r\n")
    return s


# ---------------------------------------------------------------- main

MAKER = {"chromium": "pdf", "lo-docx": "docx", "lo-fodt": "docx", "lo-docx-table": "docx", "lo-pdf": "pdf",
         "pandoc-docx": "docx", "pandoc-pdf": "pdf", "pdflatex": "pdf", "lualatex": "pdf",
         "txt": "txt"}


def render(r):
    built = build(r)
    how = r["how"]
    layout = r.get("layout", "one-column")
    ordered = built["sections"]
    if how == "chromium":
        src, ordered = render_html(r, built, layout)
        ext = "html"
    elif how in ("lo-docx", "lo-docx-table", "lo-pdf"):
        src, ordered = render_html(r, built, "sidebar-table" if layout == "sidebar" else "one-column", for_lo=True,
                                   table_entries=(how == "lo-docx-table" or r.get("tables", False)))
        ext = "html"
    elif how == "lo-fodt":
        src, ext = render_fodt(r, built), "fodt"
    elif how in ("pandoc-docx", "pandoc-pdf"):
        src, ext = render_md(r, built), "md"
    elif how in ("pdflatex", "lualatex"):
        src, ext = render_tex(r, built, how), "tex"
    elif how == "txt":
        src, ext = render_txt(r, built, r.get("txt", "plain")), "txt"
    else:
        raise ValueError(how)
    return built, src, ext, ordered


def maker_name(how):
    return {"chromium": "chromium", "lo-docx": "libreoffice", "lo-fodt": "libreoffice", "lo-docx-table": "libreoffice",
            "lo-pdf": "libreoffice", "pandoc-docx": "pandoc", "pandoc-pdf": "pandoc+pdflatex",
            "pdflatex": "pdflatex", "lualatex": "lualatex", "txt": "hand"}[how]


def main():
    os.makedirs(os.path.join(ROOT, "src"), exist_ok=True)
    os.makedirs(os.path.join(ROOT, "expected"), exist_ok=True)
    ids = set()
    for r in RESUMES:
        rid = r["id"]
        assert rid not in ids, rid
        ids.add(rid)
        built, src, ext, ordered = render(r)
        enc = r.get("encoding", "utf-8")
        if r.get("bom"):
            src = "\ufeff" + src
        with open(os.path.join(ROOT, "src", f"{rid}.{ext}"), "w", encoding=enc, newline="") as f:
            f.write(src)
        c = r["contact"]
        layout = r.get("layout", "one-column")
        if r["how"] == "lo-docx-table" or r.get("tables"):
            layout = "tables"
        if r["how"] in ("lo-docx", "lo-pdf") and layout == "sidebar":
            layout = "sidebar-table"
        if r.get("md_skill_table"):
            layout = "one-column+skills-table"
        if r.get("bold_headings"):
            layout += "+unstyled-headings"
        if r.get("footer"):
            layout += "+running-footer"
        if r["how"] == "txt":
            layout = "plain-text" + ("-odd-spacing" if r.get("txt") == "odd" else "")
        exp = {
            "file": f"files/{rid}.{MAKER[r['how']]}",
            "maker": maker_name(r["how"]),
            "layout": layout,
            "profession": r["profession"],
            "name": c["name"],
            "email": c.get("email"),
            "phone": c.get("phone"),
            "location": c.get("location"),
            "links": [u if u.startswith("http") else "https://" + u for u in c.get("links", [])],
            "sections": [s[0] for s in ordered],
            "headings": [s[1] for s in ordered],
            "experience": built["exp"],
            "education": built["edu"],
            "skills": built["labels"].skills,
            "certifications": built["certs"],
            "spoken_languages": built["spoken"],
        }
        if r.get("footer"):
            exp["header_footer_text"] = [r["footer"]]
        if r["how"] == "lo-fodt":
            exp["layout"] = "contact-in-page-header"
            exp["header_footer_text"] = [c["name"], " · ".join(contact_items(r))]
        if r.get("pages"):
            exp["pages"] = r["pages"]
        if r.get("photo"):
            exp["photo"] = True
        if r["how"] == "txt":
            exp["encoding"] = r.get("encoding", "utf-8") + ("-bom" if r.get("bom") else "")
            exp["line_endings"] = "crlf" if r.get("txt") == "odd" else "lf"
        with open(os.path.join(ROOT, "expected", f"{rid}.json"), "w", encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(f"wrote {len(RESUMES)} resumes")


if __name__ == "__main__":
    main()
