#!/usr/bin/env bash
# Instructions per unit-tick of one variant of the compare example, measured with callgrind.
#
# Runs the variant twice, for SHORT and LONG ticks (no warm-up, one round), and divides the
# difference in instructions by (LONG - SHORT) × UNITS, so that building the units and the first
# ticks cancel out. Then lists, by the same difference, the functions where the instructions go:
# inclusive (the systems) and exclusive (the source file each instruction was inlined from).
#
# Usage: benches/callgrind.sh VARIANT [UNITS] [SHORT] [LONG]
#   e.g. benches/callgrind.sh tickweave 100000 20 120
# Needs valgrind. Builds the `profiling` profile with v0 symbol names, so that closures and
# generic systems keep their types in the report.
set -euo pipefail
cd "$(dirname "$0")/.."

variant=${1:?usage: benches/callgrind.sh VARIANT [UNITS] [SHORT] [LONG]}
units=${2:-100000}
short=${3:-20}
long=${4:-120}
out=${CALLGRIND_OUT:-target/callgrind}
mkdir -p "$out"

export RUSTFLAGS="-C symbol-mangling-version=v0"
cargo build --quiet --profile profiling --example compare
target_dir=${CARGO_TARGET_DIR:-target}
program="$target_dir/profiling/examples/compare"

for ticks in "$short" "$long"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$variant.$units.$ticks.out" \
        "$program" --units "$units" --variant "$variant" --rounds 1 --warmup 0 --ticks "$ticks" \
        >"$out/$variant.$units.$ticks.log" 2>&1
    callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$out/$variant.$units.$ticks.out" \
        2>/dev/null >"$out/$variant.$units.$ticks.inclusive.txt"
    callgrind_annotate --auto=no --threshold=100 "$out/$variant.$units.$ticks.out" \
        2>/dev/null >"$out/$variant.$units.$ticks.exclusive.txt"
done

# Difference of two callgrind_annotate listings, per unit-tick, largest first.
per_unit_tick() {
    awk -v scale="$(( (long - short) * units ))" '
        /^ *[0-9][0-9,]* +\(/ {
            count = $1; gsub(",", "", count)
            line = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", line)
            total[line] += (FILENAME == ARGV[1] ? -count : count)
        }
        END { for (line in total) if (total[line] != 0) printf "%10.2f  %s\n", total[line] / scale, line }
    ' "$1" "$2" | sort -rn
}

# The report reads the heads of long pipelines.
set +o pipefail

# Shorter names: no registry or toolchain prefix, a system's closure named after the system.
shorten() {
    sed -E -e 's#/root/\.cargo/registry/src/[^/]*/##g; s#/rustc/[0-9a-f]*/library/##g' \
        -e 's#(/[^ :]*)?/(src|examples|benches)/#\2/#' \
        -e 's#<&mut ([a-z_:]+) as core::ops::function::FnMut<.*>>::call_mut#\1 (system body)#' \
        -e 's#\[[^]]*\]$##' | cut -c1-200
}

echo "$variant, $units units, ticks $short → $long:"
per_unit_tick "$out/$variant.$units.$short.exclusive.txt" "$out/$variant.$units.$long.exclusive.txt" \
    | grep "PROGRAM TOTALS" | sed 's/PROGRAM TOTALS/instructions per unit-tick/'
echo
echo "inclusive, per unit-tick (the tick, the systems, the polls):"
per_unit_tick "$out/$variant.$units.$short.inclusive.txt" "$out/$variant.$units.$long.inclusive.txt" \
    | grep -E "Variant>::step|Schedule>::run|clear_trackers|as core::ops::function::FnMut<\(|::poll|context::enter|Executor>::step" \
    | grep -vE "PROGRAM TOTALS|^ *[0-9.]+  [^ ]*(core/src/ops/function.rs|system/function_system.rs|system/system.rs|Variant>::step \[)" \
    | shorten | head -20
echo
echo "exclusive, per unit-tick (top 25; file = where the code was inlined from):"
per_unit_tick "$out/$variant.$units.$short.exclusive.txt" "$out/$variant.$units.$long.exclusive.txt" \
    | grep -v "PROGRAM TOTALS" | shorten | head -25
