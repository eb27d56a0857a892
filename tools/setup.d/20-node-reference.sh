#!/usr/bin/env bash
# Installs the GPT-2 reference encoder (node + js-tiktoken 1.0.21, pinned by the committed
# data/tokenizer/reference/package-lock.json) into data/raw/node/ (gitignored), where the tokenizer
# tests and benchmark look for it. Idempotent: a rerun with the right version installed does nothing.
# Usage: 20-node-reference.sh REPO_ROOT   (tools/setup.sh passes it)
set -euo pipefail
root=${1:?usage: 20-node-reference.sh REPO_ROOT}
src="$root/data/tokenizer/reference"
dst="$root/data/raw/node"
want=1.0.21
command -v node >/dev/null || { echo "20-node-reference.sh: node not found (install Debian's nodejs/npm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "20-node-reference.sh: npm not found" >&2; exit 1; }
have=$(node -p "require('$dst/node_modules/js-tiktoken/package.json').version" 2>/dev/null || true)
if [ "$have" = "$want" ] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
  echo "  js-tiktoken $want already in $dst"
  exit 0
fi
mkdir -p "$dst"
cp "$src/package.json" "$src/package-lock.json" "$dst/"
(cd "$dst" && npm ci --silent --no-audit --no-fund)
have=$(node -p "require('$dst/node_modules/js-tiktoken/package.json').version")
[ "$have" = "$want" ] || { echo "20-node-reference.sh: installed js-tiktoken $have, want $want" >&2; exit 1; }
echo "  js-tiktoken $have installed in $dst"
