#!/usr/bin/env bash
# The main job: run every stage that exists on the flagship review, from a fresh project.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DIR=${DEMO_DIR:-demo-review}
FIXTURES=../shared/fixtures
LR="$BIN/livingreview"

rm -rf "$DIR"
$LR init "$DIR" --protocol examples/glutamate-entactogens/protocol.toml

if [ -d "$FIXTURES" ]; then
  # Real exports and API responses stand in for the flagship's database exports until the
  # recorded flagship searches exist: every importer runs on real files.
  files=()
  for f in "$FIXTURES"/exports/*.ris "$FIXTURES"/exports/web_of_science.txt "$FIXTURES"/exports/embase.csv \
           "$FIXTURES"/medline/*.txt "$FIXTURES"/pubmed/pubmed*.xml "$FIXTURES"/europepmc/search_cancer_core.json \
           "$FIXTURES"/ctgov/NCT02513394.json; do
    [ -f "$f" ] && files+=("$f")
  done
  $LR import "$DIR" "${files[@]}"
else
  echo "(../shared/fixtures not found: skipping the import of real exports)" >&2
fi

$LR dedupe "$DIR"
$LR suggest "$DIR" >/dev/null
echo "criteria verdicts and ranks of the queue: $DIR/report/suggestions.csv"

# Screening quality on a real labelled set: the ranker replayed against known decisions.
if [ -f "$FIXTURES/screening/nagtegaal2019.csv" ]; then
  $LR simulate "$FIXTURES/screening/nagtegaal2019.csv" --seed 1 --out "$DIR/report/simulation"
fi
$LR status "$DIR"
