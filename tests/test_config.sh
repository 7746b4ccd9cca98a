#!/usr/bin/env bash
# test_config.sh - bad input to `xdplab run` and the other commands: each gets
# its documented exit code and a one-line error, and leaves nothing behind (no
# results directory, no namespace, no XDP program).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# bad_config NAME CODE CONTENT: write CONTENT as a config and expect CODE.
bad_config() {
	local name=$1 code=$2 err
	t_case "config: $name"
	printf '%s\n' "$3" >"$TMP/c.ini"
	expect_exit "config: $name gives exit $code" "$code" "$XDPLAB" run "$TMP/c.ini" --results "$TMP/res" -q
	err=$("$XDPLAB" run "$TMP/c.ini" --results "$TMP/res" -q 2>&1 >/dev/null)
	check "config: $name: one-line error" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
	check "config: $name: no results written" test -z "$(find "$TMP/res" -mindepth 1 -maxdepth 1 ! -name latest 2>/dev/null)"
	check "config: $name: machine clean" machine_clean
	t_case_end
}

ok_exp=$'[experiment drop]\nsystems = xdp-drop'
bad_config "unknown key" 3 $'[run]\ntrails = 3\n'"$ok_exp"
bad_config "unknown section" 3 $'[runn]\ntrials = 3\n'"$ok_exp"
bad_config "unknown system" 3 $'[experiment drop]\nsystems = xdp-dorp'
bad_config "mode not allowed for a system" 3 $'[experiment drop]\nsystems = linux-raw:native'
bad_config "unknown mode" 3 $'[experiment drop]\nsystems = xdp-drop:turbo'
bad_config "frame size out of range" 3 $'[run]\nframe_size = 9000\n'"$ok_exp"
bad_config "negative rate" 3 $'[experiment drop]\nsystems = xdp-drop\nrates = -5'
bad_config "rate not a number" 3 $'[experiment drop]\nsystems = xdp-drop\nrates = fast'
bad_config "no experiment" 3 $'[run]\ntrials = 1'
bad_config "experiment without systems" 3 $'[experiment drop]\nrates = 0'
bad_config "unknown backend" 3 $'[run]\nbackend = trex\n'"$ok_exp"
bad_config "unknown testbed type" 3 $'[testbed]\ntype = nic\n'"$ok_exp"
bad_config "same CPU for generator and DUT" 3 $'[testbed]\ngen_cpus = 1\ndut_cpus = 1\n'"$ok_exp"
bad_config "CPU not online" 3 $'[testbed]\ngen_cpus = 0\ndut_cpus = 4000\n'"$ok_exp"
bad_config "more cores than the machine has" 7 $'[run]\ncores = '"$(($(nproc) / 2 + 1))"$'\n'"$ok_exp"
bad_config "existing testbed with a missing interface" 4 $'[testbed]\ntype = existing\ngenerator = nosuch0\ndut-in = nosuch1\ndut-out = nosuch2\nsink = nosuch3\n'"$ok_exp"

expect_exit "run: missing config file gives exit 3" 3 "$XDPLAB" run "$TMP/none.ini"
expect_exit "run: bad --trials gives exit 2" 2 "$XDPLAB" run "$REPO/configs/default.ini" --trials zero
expect_exit "run: --only with an unknown experiment gives exit 2" 2 "$XDPLAB" run "$REPO/configs/default.ini" --only nosuch
expect_exit "run: extra argument gives exit 2" 2 "$XDPLAB" run "$REPO/configs/default.ini" extra
expect_exit "unknown command gives exit 2" 2 "$XDPLAB" frobnicate
expect_exit "gen: bad rate gives exit 2" 2 "$XDPLAB" gen --dev gen0 --dst-mac 02:00:00:00:00:01 --rate -1
expect_exit "gen: bad MAC gives exit 2" 2 "$XDPLAB" gen --dev gen0 --dst-mac 02:00:00
expect_exit "gen: frame size 63 gives exit 2" 2 "$XDPLAB" gen --dev gen0 --dst-mac 02:00:00:00:00:01 --size 63
expect_exit "gen: missing interface gives exit 4" 4 "$XDPLAB" gen --dev nosuch0 --dst-mac 02:00:00:00:00:01 --duration 0.1
expect_exit "gen: unknown backend gives exit 2" 2 "$XDPLAB" gen --dev lo --dst-mac 02:00:00:00:00:01 --backend trex
check "help lists every exit code" sh -c "'$XDPLAB' --help | grep -q '130  interrupted'"
check "machine clean after all bad input" machine_clean
t_finish
