#!/usr/bin/env bash
# The main job: the flagship review (glutamate modulators as entactogens), offline, from its
# curated citations and evidence through every stage to the HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DIR=${DEMO_DIR:-demo-review}
FLAGSHIP=examples/glutamate-entactogens

rm -rf "$DIR"
mkdir -p "$DIR"
cp "$FLAGSHIP/protocol.toml" "$DIR/protocol.toml"
cp -r "$FLAGSHIP/evidence" "$DIR/evidence"

# The first run sets the folder up as a review and runs search (offline: no snapshot is shipped,
# so the sources are reported and skipped), the curated citations, dedupe, the curator's
# screening decisions and extractions, suggestions, synthesis and the report.
"$BIN/livingreview" run "$DIR" --offline
echo
# A second run has nothing new: it changes nothing and says so.
"$BIN/livingreview" run "$DIR" --offline 2>/dev/null | tail -n 2
