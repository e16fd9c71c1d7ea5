#!/usr/bin/env bash
# Compile cost of apierror, measured against what users would otherwise write.
#
#   benches/compile/run.sh            # sizes 10 50 200, 7 incremental runs, 3 clean runs
#   SIZES="200" REPS=3 CLEAN_REPS=1 benches/compile/run.sh
#
# 1. Incremental rebuild: for enums of SIZES variants, a user crate with
#    - `apierror`:  #[derive(Debug, thiserror::Error, apierror::ApiError)]
#    - `serde`:     #[derive(Debug, thiserror::Error, serde::Serialize, serde::Deserialize)]
#    - `none`:      #[derive(Debug)]
#    plus one function that encodes and one that decodes (so the generic impls are
#    instantiated, as in a real crate). After a warm build, the crate is edited and
#    `cargo build` (dev profile, incremental) then `cargo check` are timed, REPS times;
#    the medians are reported. Two edits: `other` changes another item of the crate (the
#    derives re-run, their output is unchanged), `enum` adds or removes a variant (every
#    derived impl changes).
# 2. Clean build: an empty crate depending on `apierror` (default features), one on
#    `apierror` + `thiserror`, and one on `thiserror` + `serde` (derive) + `serde_json`,
#    each from an empty target directory, CLEAN_REPS times; the median is reported.
#
# The crates are generated under target/compile-bench/ (never committed) with the
# workspace's Cargo.lock, so dependency versions are the ones the workspace uses, and a
# path dependency on this checkout's runtime/. Results go to stdout and to
# target/compile-bench/results.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/compile-bench"
sizes="${SIZES:-10 50 200}"
reps="${REPS:-7}"
clean_reps="${CLEAN_REPS:-3}"
kinds="apierror serde none"

mkdir -p "$work"
# A member directory is $work/<crate>; the runtime, relative to it.
runtime="$(realpath --relative-to="$work/member" "$root/runtime")"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The variants of an enum of $2 variants, declared for kind $1: a mix of unit, struct
# and tuple variants over four statuses, then the catch-all.
variants() {
  local kind=$1 n=$2 i
  for ((i = 0; i < n; i++)); do
    case $((i % 4)) in
      0)
        [ "$kind" = none ] || echo "    #[error(\"request $i is malformed\")]"
        [ "$kind" != apierror ] || echo "    #[status(400)]"
        echo "    V$i,"
        ;;
      1)
        [ "$kind" = none ] || echo "    #[error(\"field {field} is invalid\")]"
        if [ "$kind" = apierror ]; then
          echo "    #[status(422)]"
          echo "    V$i { #[api_error(details)] field: String },"
        else
          echo "    V$i { field: String },"
        fi
        ;;
      2)
        [ "$kind" = none ] || echo "    #[error(\"item {0} not found\")]"
        if [ "$kind" = apierror ]; then
          echo "    #[status(404)]"
          echo "    V$i(#[api_error(details)] u64),"
        else
          echo "    V$i(u64),"
        fi
        ;;
      3)
        [ "$kind" = none ] || echo "    #[error(\"service unavailable\")]"
        [ "$kind" != apierror ] || echo "    #[status(503)]"
        echo "    V$i,"
        ;;
    esac
  done
  case $kind in
    apierror) printf '    #[api_error(unknown)]\n    #[error("{0}")]\n    Other(apierror::Unknown),\n' ;;
    serde) printf '    #[error("{0}")]\n    Other(String),\n' ;;
    none) printf '    Other(String),\n' ;;
  esac
}

# The [dependencies] of kind $1.
dependencies() {
  case $1 in
    apierror) printf 'apierror = { path = "%s" }\n' "$runtime" ;;
    apierror-thiserror) printf 'apierror = { path = "%s" }\nthiserror = "2"\n' "$runtime" ;;
    serde) printf 'thiserror = "2"\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\n' ;;
  esac
}

# Writes the manifest of a crate whose dependencies are those of kind $1 into $2 (the
# apierror user crate also uses thiserror, as the README does).
manifest() {
  local kind=$1 dir=$2
  mkdir -p "$dir/src"
  {
    printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n' "$(basename "$dir")"
    dependencies "$kind"
    if [ "$kind" = apierror ] && [ "${3:-}" = user ]; then
      printf 'thiserror = "2"\n'
    fi
  } > "$dir/Cargo.toml"
}

# Writes src/lib.rs of the user crate for kind $1 into $3: an enum of $2 variants, the
# functions that use it, and a last item returning $4 (what the `other` edit changes).
user_source() {
  local kind=$1 n=$2 dir=$3 stamp=$4
  {
    echo "//! A user crate with an error enum of $n variants ($kind)."
    case $kind in
      apierror)
        echo '#[derive(Debug, thiserror::Error, apierror::ApiError)]'
        echo '#[api_error(format = "nested")]'
        ;;
      serde) echo '#[derive(Debug, thiserror::Error, serde::Serialize, serde::Deserialize)]' ;;
      none) echo '#[derive(Debug)]' ;;
    esac
    echo 'pub enum ServiceError {'
    variants "$kind" "$n"
    echo '}'
    case $kind in
      apierror)
        cat <<'RUST'

pub fn encode(error: &ServiceError) -> Vec<u8> {
    apierror::ApiError::to_body(error)
}

pub fn decode(status: u16, body: &[u8]) -> ServiceError {
    let status = apierror::http::StatusCode::from_u16(status).unwrap();
    let headers = apierror::http::HeaderMap::new();
    apierror::ApiError::from_response(status, &headers, body).unwrap()
}
RUST
        ;;
      serde)
        cat <<'RUST'

pub fn encode(error: &ServiceError) -> Vec<u8> {
    serde_json::to_vec(error).unwrap()
}

pub fn decode(body: &[u8]) -> Option<ServiceError> {
    serde_json::from_slice(body).ok()
}
RUST
        ;;
    esac
    printf '\npub fn stamp() -> u32 {\n    %s\n}\n' "$stamp"
  } > "$dir/src/lib.rs"
}

# Generate the workspace.
members=()
for n in $sizes; do
  for kind in $kinds; do
    manifest "$kind" "$work/n$n-$kind" user
    user_source "$kind" "$n" "$work/n$n-$kind" 0
    members+=("\"n$n-$kind\"")
  done
done
for kind in apierror apierror-thiserror serde; do
  manifest "$kind" "$work/clean-$kind"
  echo "//! Dependencies only: $kind." > "$work/clean-$kind/src/lib.rs"
  members+=("\"clean-$kind\"")
done
{
  echo '# Generated by benches/compile/run.sh; not part of the apierror workspace.'
  echo '[workspace]'
  echo 'resolver = "3"'
  echo "members = [$(IFS=,; echo "${members[*]}")]"
} > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"

cd "$work"
export CARGO_TARGET_DIR="$work/target"
unset RUSTFLAGS RUSTC_WRAPPER CARGO_INCREMENTAL CARGO_BUILD_INCREMENTAL

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "$(rustc -V); $(cargo -V); $machine" >&2
echo "warming up (building every dependency once)..." >&2
for n in $sizes; do
  for kind in $kinds; do
    cargo build -q -p "n$n-$kind"
    cargo check -q -p "n$n-$kind"
  done
done

# Times rebuilds of n$2-$1 after an edit of kind $3, $reps times: `other` changes the
# crate's last item, `enum` adds or removes a variant. Each rep times `cargo build`,
# then `cargo check`; prints "<build median> <check median>".
incremental() {
  local kind=$1 n=$2 edit=$3 crate="n$2-$1" i start mid end
  for ((i = 1; i <= reps; i++)); do
    if [ "$edit" = other ]; then
      user_source "$kind" "$n" "$work/$crate" "$i"
    else
      user_source "$kind" "$((n + i % 2))" "$work/$crate" 0
    fi
    start=$(now)
    cargo build -q -p "$crate"
    mid=$(now)
    cargo check -q -p "$crate"
    end=$(now)
    echo "$(seconds "$start" "$mid") $(seconds "$mid" "$end")"
  done > "$work/times"
  echo "$(cut -d' ' -f1 "$work/times" | median) $(cut -d' ' -f2 "$work/times" | median)"
  # Back to the crate as generated, for the next edit.
  user_source "$kind" "$n" "$work/$crate" 0
}

results="$work/results.md"
{
  echo "Machine: $machine; $(rustc -V)."
  echo
  echo "### Incremental rebuild of the user crate (median of $reps, seconds)"
  echo
  echo "| variants | edit | command | no derive | thiserror + serde | thiserror + apierror | apierror / serde |"
  echo "|---:|---|---|---:|---:|---:|---:|"
} > "$results"
for n in $sizes; do
  for edit in other enum; do
    read -r none_build none_check < <(incremental none "$n" "$edit")
    read -r serde_build serde_check < <(incremental serde "$n" "$edit")
    read -r api_build api_check < <(incremental apierror "$n" "$edit")
    {
      echo "| $n | $edit | cargo build | $none_build | $serde_build | $api_build | $(ratio "$api_build" "$serde_build")× |"
      echo "| $n | $edit | cargo check | $none_check | $serde_check | $api_check | $(ratio "$api_check" "$serde_check")× |"
    } | tee -a "$results" >&2
  done
done
# Leave every crate built, so a rerun starts warm.
cargo build -q

# Times a build of clean-$1 from an empty target directory, $clean_reps times; prints
# the median.
clean() {
  local kind=$1 i start end
  for ((i = 0; i < clean_reps; i++)); do
    rm -rf "$work/target-clean"
    start=$(now)
    CARGO_TARGET_DIR="$work/target-clean" cargo build -q -p "clean-$kind"
    end=$(now)
    seconds "$start" "$end"
  done | median
}

{
  echo
  echo "### Clean build of the dependencies (dev profile, $(nproc) jobs, median of $clean_reps, seconds)"
  echo
  echo "| dependencies | seconds |"
  echo "|---|---:|"
} >> "$results"
clean_api=$(clean apierror)
clean_both=$(clean apierror-thiserror)
clean_serde=$(clean serde)
rm -rf "$work/target-clean"
{
  echo "| thiserror + serde (derive) + serde_json (baseline) | $clean_serde |"
  echo "| apierror (default features) | $clean_api ($(ratio "$clean_api" "$clean_serde")×) |"
  echo "| apierror + thiserror (what the README's users build) | $clean_both ($(ratio "$clean_both" "$clean_serde")×) |"
} | tee -a "$results" >&2

echo >&2
cat "$results"
