#!/usr/bin/env bash
# Instructions per unit-tick of one variant of the compare example, measured with callgrind.
#
# Runs the variant twice, for SHORT and LONG ticks (no warm-up, one round), and divides the
# difference in instructions by (LONG - SHORT) × UNITS, so that building the units and the first
# ticks cancel out. Then lists, by the same difference, the functions where the instructions go:
# per function, and per source file each instruction was inlined from (exclusive costs).
#
# Usage: benches/callgrind.sh VARIANT [UNITS] [SHORT] [LONG]
#   e.g. benches/callgrind.sh tickweave 100000 20 120
#        benches/callgrind.sh polled 100000 20 120
# VARIANT is any variant of the compare example (`--help` lists them), of either workload.
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

# An unknown variant fails here, with the compare example's list of names, rather than inside
# valgrind with its message in a log file.
"$program" --variant "$variant" --units 1 --ticks 1 --rounds 1 --warmup 0 >/dev/null

for ticks in "$short" "$long"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$variant.$units.$ticks.out" \
        "$program" --units "$units" --variant "$variant" --rounds 1 --warmup 0 --ticks "$ticks" \
        >"$out/$variant.$units.$ticks.log" 2>&1
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

# Shorter names: no registry, toolchain or checkout prefix; a system's closure named after the
# system.
here=$(pwd)
shorten() {
    sed -E -e 's#[^ ]*/\.cargo/registry/src/[^/]*/##g; s#/rustc/[0-9a-f]*/library/##g' \
        -e "s#$here/##g; s#examples/\\.\\./benches/#benches/#g" \
        -e 's#<&mut ([a-z_:]+) as core::ops::function::FnMut<.*>>::call_mut#\1 (system body)#' \
        -e 's# \[[^]]*\]$##; s# +$##'
}

# Exclusive costs summed per function over the files its code was inlined from.
per_function() {
    sed -E 's/^( *-?[0-9.]+  )[^:]*:/\1/' | awk '
        { cost = $1; $1 = ""; total[$0] += cost }
        END { for (name in total) if (total[name] >= 0.005) printf "%10.2f %s\n", total[name], name }
    ' | sort -rn
}

echo "$variant, $units units, ticks $short → $long:"
per_unit_tick "$out/$variant.$units.$short.exclusive.txt" "$out/$variant.$units.$long.exclusive.txt" \
    | grep "PROGRAM TOTALS" | sed 's/PROGRAM TOTALS/instructions per unit-tick/'
echo
echo "by function, per unit-tick (exclusive, inlined code included; top 12):"
per_unit_tick "$out/$variant.$units.$short.exclusive.txt" "$out/$variant.$units.$long.exclusive.txt" \
    | grep -v "PROGRAM TOTALS" | shorten | per_function | head -12 | cut -c1-200
echo
echo "by source line's file within each function, per unit-tick (top 25):"
per_unit_tick "$out/$variant.$units.$short.exclusive.txt" "$out/$variant.$units.$long.exclusive.txt" \
    | grep -v "PROGRAM TOTALS" | shorten | head -25 | cut -c1-200
