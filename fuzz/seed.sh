#!/bin/sh
# Seed the fuzz corpora (fuzz/corpus/<target>, git-ignored) from the test fixtures and the
# resume corpus.
set -eu
cd "$(dirname "$0")"
fx=../crates/analysis/tests/fixtures
rc=../tests/corpus/files
mkdir -p corpus/fuzz_pdf corpus/fuzz_docx corpus/fuzz_txt
cp $fx/two-column.pdf $fx/owner-only.pdf $fx/encrypted.pdf corpus/fuzz_pdf/
for f in $rc/*.pdf; do [ -e "$f" ] && [ "$(stat -c %s "$f")" -lt 120000 ] && cp "$f" corpus/fuzz_pdf/; done
cp $fx/resume.docx corpus/fuzz_docx/
for f in $rc/*.docx; do [ -e "$f" ] && cp "$f" corpus/fuzz_docx/; done
for f in $rc/*.txt; do [ -e "$f" ] && cp "$f" corpus/fuzz_txt/; done
printf 'Jane Doe\r\n\xe2\x80\xa2 Rust\r\n' > corpus/fuzz_txt/crlf-bullet.txt
printf '\xff\xfeJ\x00a\x00n\x00e\x00' > corpus/fuzz_txt/utf16.txt
printf 'Caf\xe9 \x95 owner' > corpus/fuzz_txt/cp1252.txt
# document.xml of each DOCX, for the XML half of fuzz_docx.
for f in corpus/fuzz_docx/*.docx; do
  unzip -p "$f" word/document.xml > "corpus/fuzz_docx/$(basename "$f" .docx).document.xml" 2>/dev/null || true
done
ls corpus/*
