#!/usr/bin/env bash
# test_fuzz.sh - the libFuzzer target over the config reader (tests/fuzz/fuzz_config.c):
# replay every saved regression input, then fuzz for a fixed number of runs from a
# fixed seed (deterministic, about 15 s here) starting from the shipped configs, the
# test configs and the hand-written edge cases in tests/fuzz/seeds/.  A crash or a
# violated property fails the test; the input is kept under build/fuzz/artifacts/ and
# belongs in tests/fuzz/regressions/ once fixed.  Without clang's fuzzer runtime
# (libclang-rt-14-dev) the test is skipped.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

FUZZ_RUNS=${FUZZ_RUNS:-150000}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ=$REPO/build/fuzz/fuzz_config
ART=$REPO/build/fuzz/artifacts
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Called from `make test`: a make of our own must not inherit its jobserver.
unset MAKEFLAGS MAKELEVEL MFLAGS
if ! make -s -C "$REPO" fuzz-available; then
	skip "fuzz: config reader" "clang cannot link -fsanitize=fuzzer (install libclang-rt-14-dev)"
	t_finish
fi
if ! make -s -C "$REPO" fuzz >"$TMP/build.log" 2>&1; then
	fail "fuzz: target builds" "make fuzz failed: $(tail -3 "$TMP/build.log")"
	t_finish
fi
pass "fuzz: target builds"

mkdir -p "$ART" "$TMP/corpus"
regressions=()
for f in "$REPO"/tests/fuzz/regressions/*; do
	case $f in */README*) continue ;; esac
	[ -f "$f" ] && regressions+=("$f")
done
if [ ${#regressions[@]} -eq 0 ]; then
	skip "fuzz: regression inputs replay" "tests/fuzz/regressions/ holds no input yet"
elif "$FUZZ" "${regressions[@]}" >"$TMP/replay.log" 2>&1; then
	pass "fuzz: ${#regressions[@]} regression inputs replay without a crash"
else
	fail "fuzz: regression inputs replay" "$(grep -m3 -E 'ERROR|fuzz_config:|runtime error' "$TMP/replay.log")"
fi

start=$(date +%s.%N)
"$FUZZ" -seed="$FUZZ_SEED" -runs="$FUZZ_RUNS" -max_len=4096 -dict="$REPO/tests/fuzz/config.dict" \
	-artifact_prefix="$ART/" -print_final_stats=1 \
	"$TMP/corpus" "$REPO/configs" "$REPO/tests/configs" "$REPO/tests/fuzz/seeds" \
	"$REPO/tests/fuzz/regressions" >"$TMP/fuzz.log" 2>&1
rc=$?
secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$TMP/fuzz.log")
if [ "$rc" -eq 0 ] && [ "${runs:-0}" -ge "$FUZZ_RUNS" ]; then
	pass "fuzz: $runs runs (seed $FUZZ_SEED) without a crash or violated property"
	echo "   ($secs s, $(awk '/stat::average_exec_per_sec/ { print $2 }' "$TMP/fuzz.log") runs/s)"
else
	fail "fuzz: $FUZZ_RUNS runs (seed $FUZZ_SEED)" "exit $rc after ${runs:-?} runs: $(grep -m3 -E 'ERROR|fuzz_config:|runtime error|Test unit written' "$TMP/fuzz.log" | tr '\n' ' ')"
fi
t_finish
