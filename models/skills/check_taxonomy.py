#!/usr/bin/env python3
"""Validate models/skills/skills.tsv (the embedded skills taxonomy).

Usage: python3 models/skills/check_taxonomy.py [path/to/skills.tsv]
Exits non-zero and prints every problem found; prints row counts per category on success.
"""
import collections
import os
import sys

HEADER = ["name", "category", "kind", "aliases", "flags", "implies"]
CATEGORIES = set(
    "programming_language framework library database cloud devops tool data machine_learning "
    "security mobile testing design methodology business finance marketing sales healthcare legal "
    "education engineering hr operations language soft other".split()
)
KINDS = {"hard", "soft"}
FLAGS = {"ambiguous", "acronym", "certification"}
MIN_ROWS = 3000


def norm(s: str) -> str:
    """The lookup key the Rust parser uses: whitespace collapsed, case folded."""
    return " ".join(s.split()).casefold()


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "skills.tsv")
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append(f"line 1: header must be {'<TAB>'.join(HEADER)}")
    for no, line in enumerate(lines[1:], 2):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 6:
            errors.append(f"line {no}: expected 6 columns, got {len(cols)}: {line!r}")
            continue
        rows.append((no, [c.strip() for c in cols]))
        if any(c != c.strip() for c in cols[:4]):
            errors.append(f"line {no}: stray whitespace around a field")

    names = {}
    for no, (name, cat, kind, aliases, flags, implies) in rows:
        if not name:
            errors.append(f"line {no}: empty name")
        key = norm(name)
        if key in names:
            errors.append(f"line {no}: duplicate name {name!r} (first on line {names[key]})")
        names.setdefault(key, no)
        if cat not in CATEGORIES:
            errors.append(f"line {no}: bad category {cat!r}")
        if kind not in KINDS:
            errors.append(f"line {no}: bad kind {kind!r}")
        for fl in filter(None, flags.split("|")):
            if fl not in FLAGS:
                errors.append(f"line {no}: bad flag {fl!r}")

    aliases_seen = {}
    for no, (name, _c, _k, aliases, _f, _i) in rows:
        own = set()
        for al in filter(None, (a.strip() for a in aliases.split("|"))):
            key = norm(al)
            if key == norm(name):
                errors.append(f"line {no}: alias {al!r} equals its own name")
            elif key in names:
                errors.append(f"line {no}: alias {al!r} collides with the name on line {names[key]}")
            if key in own:
                errors.append(f"line {no}: alias {al!r} listed twice")
            elif key in aliases_seen:
                errors.append(f"line {no}: alias {al!r} also an alias on line {aliases_seen[key]}")
            own.add(key)
            aliases_seen.setdefault(key, no)
        if "" in [a.strip() for a in aliases.split("|")] and aliases:
            errors.append(f"line {no}: empty alias in {aliases!r}")

    for no, (name, _c, _k, _a, _f, implies) in rows:
        for target in filter(None, implies.split("|")):
            if norm(target) not in names:
                errors.append(f"line {no}: {name!r} implies unknown skill {target!r}")
            elif norm(target) == norm(name):
                errors.append(f"line {no}: {name!r} implies itself")

    if len(rows) < MIN_ROWS:
        errors.append(f"only {len(rows)} rows, need at least {MIN_ROWS}")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"{len(errors)} problem(s)", file=sys.stderr)
        return 1
    counts = collections.Counter(r[1][1] for r in rows)
    for cat in sorted(CATEGORIES):
        print(f"{cat:22} {counts.get(cat, 0):5}")
    print(f"{'total':22} {len(rows):5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
