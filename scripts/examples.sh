#!/usr/bin/env bash
# `npm run examples`: the main job on the bundled examples, as a docs pipeline or CI would run it:
# check and format-check every diagram, render each to SVG, and convert each to ASL, into out/examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
flowlane() { node bin/flowlane.js "$@"; }
mkdir -p out/examples
flowlane check examples/*.fz
flowlane fmt --check examples/*.fz
flowlane render examples/*.fz --out-dir out/examples
for f in examples/*.fz; do
  flowlane to-asl "$f" -o "out/examples/$(basename "$f" .fz).asl.json" 2>/dev/null
done
echo "checked, formatted, rendered and converted $(ls examples/*.fz | wc -l) examples into out/examples/"
