#!/bin/sh
# Regenerate the corpus: sources and labels from tools/resumes.py, then the files from the sources.
# Needs python3, chromium, soffice (LibreOffice), pandoc, pdflatex and lualatex (TeX Live:
# texlive-latex-base, texlive-latex-recommended, texlive-fonts-recommended, plus texlive-luatex for
# lualatex), and for bad/: qpdf, pdftoppm (poppler-utils), python3.
# Usage: ./generate.sh            everything
#        ./generate.sh r03 r07    only the resumes whose id starts with these prefixes
set -eu
cd "$(dirname "$0")"
python3 tools/author.py
python3 tools/build.py "$@"
if [ "$#" -eq 0 ]; then
  python3 tools/pairs.py
  sh tools/bad.sh
fi
