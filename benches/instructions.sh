#!/usr/bin/env bash
# Instructions per call of each target case, under callgrind: each case runs at two
# counts and the difference is divided by the extra calls, so start-up cancels. Prints a
# Markdown table with ratios against the hand-written serde baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p apierror-benches --bin instructions
bin=target/release/instructions
low=1000 high=11000

count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

per_call() {
  local a b
  a=$(count "$1" $low)
  b=$(count "$1" $high)
  echo $(( (b - a) / (high - low) ))
}

printf '| case | serde | apierror | ratio | Decoded | ratio |\n|---|---|---|---|---|---|\n'
for body in nested problem flat; do
  base=$(per_call "decode/$body/serde")
  ours=$(per_call "decode/$body/apierror")
  decoded=$(per_call "decode/$body/decoded")
  printf '| decode/%s | %d | %d | %s× | %d | %s× |\n' "$body" "$base" "$ours" \
    "$(ratio "$ours" "$base")" "$decoded" "$(ratio "$decoded" "$base")"
done
for body in nested problem flat; do
  base=$(per_call "encode/$body/serde")
  ours=$(per_call "encode/$body/apierror")
  printf '| encode/%s | %d | %d | %s× | | |\n' "$body" "$base" "$ours" \
    "$(ratio "$ours" "$base")"
done

printf '\n| client case | serde | from_response | ratio | Decoded | ratio |\n|---|---|---|---|---|---|\n'
for case in nested problem flat stripe github slack google; do
  base=$(per_call "client/$case/serde")
  ours=$(per_call "client/$case/apierror")
  decoded=$(per_call "client/$case/decoded")
  printf '| %s | %d | %d | %s× | %d | %s× |\n' "$case" "$base" "$ours" \
    "$(ratio "$ours" "$base")" "$decoded" "$(ratio "$decoded" "$base")"
done

# The vendors against a hand-written client that decodes into the same owned types as
# their enums: what the crate costs beyond the fields' own allocations.
printf '\n| vendor | serde, owned types | from_response | ratio |\n|---|---|---|---|\n'
for case in stripe github slack google; do
  owned=$(per_call "client/$case/owned")
  ours=$(per_call "client/$case/apierror")
  printf '| %s | %d | %d | %s× |\n' "$case" "$owned" "$ours" "$(ratio "$ours" "$owned")"
done

# Decoded against a hand-written client that keeps, owned, what Decoded keeps (status,
# code, message, request id, timestamp, the body's start): the cost of Decoded beyond
# owning the response's words.
printf '\n| body | serde, keeping the same | Decoded | ratio |\n|---|---|---|---|\n'
for case in nested problem flat; do
  kept=$(per_call "client/$case/kept")
  decoded=$(per_call "client/$case/decoded")
  printf '| %s | %d | %d | %s× |\n' "$case" "$kept" "$decoded" "$(ratio "$decoded" "$kept")"
done
