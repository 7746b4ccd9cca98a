#!/usr/bin/env bash
# test_config.sh - bad input to `xdplab run` and the other commands: each gets
# its documented exit code and a one-line error, and leaves nothing behind (no
# results directory, no namespace, no XDP program).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# check_bad NAME CODE [TEXT]: run $TMP/c.ini, expect CODE and a one-line error (holding
# TEXT, if given, and only printable bytes), no results written and nothing left behind.
check_bad() {
	local name=$1 code=$2 want=${3:-} err
	t_case "config: $name"
	expect_exit "config: $name gives exit $code" "$code" "$XDPLAB" run "$TMP/c.ini" --results "$TMP/res" -q
	err=$("$XDPLAB" run "$TMP/c.ini" --results "$TMP/res" -q 2>&1 >/dev/null)
	check "config: $name: one-line error" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
	if LC_ALL=C grep -q '[^[:print:]]' <<<"$err"; then
		fail "config: $name: error is printable" "raw control or non-ASCII bytes in: $err"
	else
		pass "config: $name: error is printable"
	fi
	if [ -n "$want" ]; then
		case $err in
		*"$want"*) pass "config: $name: error says where and what" ;;
		*) fail "config: $name: error says where and what" "'$err' lacks '$want'" ;;
		esac
	fi
	check "config: $name: no results written" test -z "$(find "$TMP/res" -mindepth 1 -maxdepth 1 ! -name latest 2>/dev/null)"
	check "config: $name: machine clean" machine_clean
	t_case_end
}

# bad_config NAME CODE CONTENT [TEXT]: write CONTENT as a config and expect CODE.
bad_config() {
	printf '%s\n' "$3" >"$TMP/c.ini"
	check_bad "$1" "$2" "${4:-}"
}

# bad_bytes NAME FORMAT TEXT: the config is printf FORMAT (octal escapes reach NUL), exit 3.
bad_bytes() {
	# shellcheck disable=SC2059
	printf "$2" >"$TMP/c.ini"
	check_bad "$1" 3 "$3"
}

ok_exp=$'[experiment drop]\nsystems = xdp-drop'
bad_config "unknown key" 3 $'[run]\ntrails = 3\n'"$ok_exp"
bad_config "unknown section" 3 $'[runn]\ntrials = 3\n'"$ok_exp"
bad_config "unknown system" 3 $'[experiment drop]\nsystems = xdp-dorp'
bad_config "mode not allowed for a system" 3 $'[experiment drop]\nsystems = linux-raw:native'
# tests/fuzz/regressions/testbed-type-before-left-out.ini: the type is checked before
# systems are left out for the generator (that exit was 7 when all of them were).
bad_config "bad testbed type, checked before anything is left out" 3 $'[testbed]\ntype = vetkup\n[experiment lb]\nsystems = xdp-lb\nlb_vips = 1\nlb_reals = 2\nsrc_addrs = 10' "testbed type must be 'veth' or 'existing'"
bad_config "unknown sink program" 3 $'[system my-fwd]\nkind = xdp\ncounts = sink\nprog = redirect\nsink = lb-chek\n[experiment f]\nsystems = my-fwd' "sink = lb-chek: unknown sink"
bad_config "a sink program where no sink is" 3 $'[system my-drop]\nkind = xdp\ncounts = dut\nprog = drop\nsink = lb-check\n[experiment d]\nsystems = my-drop' "it counts at the DUT"
bad_config "unknown mode" 3 $'[experiment drop]\nsystems = xdp-drop:turbo'
bad_config "frame size out of range" 3 $'[run]\nframe_size = 9000\n'"$ok_exp"
bad_config "negative rate" 3 $'[experiment drop]\nsystems = xdp-drop\nrates = -5'
bad_config "rate not a number" 3 $'[experiment drop]\nsystems = xdp-drop\nrates = fast'
bad_config "no experiment" 3 $'[run]\ntrials = 1'
bad_config "experiment without systems" 3 $'[experiment drop]\nrates = 0'
bad_config "unknown backend" 3 $'[run]\nbackend = trex\n'"$ok_exp"
bad_config "unknown testbed type" 3 $'[testbed]\ntype = nic\n'"$ok_exp"
# Test traffic: the protocol and the pcap file (read when the config is loaded).
bad_config "unknown proto" 3 $'[run]\nproto = sctp\n'"$ok_exp" "proto must be 'udp' or 'tcp', not 'sctp'"
bad_config "missing pcap file" 3 "$ok_exp"$'\npcap = '"$TMP/nosuch.pcap" "nosuch.pcap"
printf 'not a capture\n' >"$TMP/text.pcap"
bad_config "pcap that is not a capture" 3 $'[run]\npcap = '"$TMP/text.pcap"$'\n'"$ok_exp" "text.pcap"
bad_config "pcap with proto" 3 "$ok_exp"$'\nproto = tcp\npcap = '"$TMP/text.pcap" "leave proto out"
bad_config "bad pcap_macs" 3 "$ok_exp"$'\npcap_macs = mine' "pcap_macs must be"
bad_config "dst_addrs without routes" 3 "$ok_exp"$'\ndst_addrs = 100' "set routes"
bad_config "dst_addrs with pcap" 3 "$ok_exp"$'\nroutes = 10\ndst_addrs = 5\npcap = '"$TMP/text.pcap" "choose one"
# A real capture (one frame), for what depends on the backend.
/usr/bin/python3 -c 'import struct, sys
fr = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + b"\x00" * 46
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) + struct.pack("<IIII", 0, 0, len(fr), len(fr)) + fr)' "$TMP/one.pcap"
bad_config "pcap with a backend that cannot replay it" 3 $'[run]\nbackend = pktgen\npktgen = /bin/true\n'"$ok_exp"$'\npcap = '"$TMP/one.pcap" "livefr and dpdk, not pktgen"
bad_config "dst_addrs over the limit" 3 "$ok_exp"$'\nroutes = 10\ndst_addrs = 5000'
bad_config "latency with tcp" 3 $'[experiment lat]\nkind = latency\nsystems = xdp-redirect\nrates = 1000\nproto = tcp' "latency trials send"
bad_config "same CPU for generator and DUT" 3 $'[testbed]\ngen_cpus = 1\ndut_cpus = 1\n'"$ok_exp"
bad_config "CPU not online" 3 $'[testbed]\ngen_cpus = 0\ndut_cpus = 4000\n'"$ok_exp"
bad_config "more cores than the machine has" 7 $'[run]\ncores = '"$(($(nproc) / 2 + 1))"$'\n'"$ok_exp"
bad_config "existing testbed with a missing interface" 4 $'[testbed]\ntype = existing\ngenerator = nosuch0\ndut-in = nosuch1\ndut-out = nosuch2\nsink = nosuch3\n'"$ok_exp"

# Strict reading (lib/inifile.c): what libinih alone would merge, cut or pass through.
bad_config "duplicate section" 3 "$ok_exp"$'\n[run]\n'"$ok_exp" 'c.ini:4: duplicate section [experiment drop] (first at line 1)'
bad_config "duplicate key" 3 $'[run]\ntrials = 3\ntrials = 5\n'"$ok_exp" "c.ini:3: duplicate key 'trials' in [run] (first at line 2)"
bad_config "continuation line" 3 "$ok_exp"$',\n  linux-raw' 'c.ini:3: indented line would continue'
bad_config "line over 198 bytes" 3 "$ok_exp"$'\n; '"$(printf 'a%.0s' $(seq 300))" 'c.ini:3: line is 302 bytes long, more than 198'
bad_config "text after a section header" 3 $'[experiment drop] x\nsystems = xdp-drop' "c.ini:1: text after ']'"
bad_config "rate under 1 pps" 3 "$ok_exp"$'\nrates = 0.5' "c.ini:3: rates: '0.5'"
bad_config "hex float" 3 $'[run]\nduration_s = 0x1p1\n'"$ok_exp" 'c.ini:2: duration_s must be a number'
bad_bytes "NUL byte" '[run]\ntrials = 3\000\n[experiment drop]\nsystems = xdp-drop\n' 'c.ini:2: NUL byte (\x00) at column 11'
bad_bytes "control byte" '[experiment drop]\nsystems = xdp-drop\001\n' 'c.ini:2: control byte \x01 at column 19 in "systems = xdp-drop\x01"'
bad_bytes "escape sequence" '[experiment drop]\nsystems = \033[2Jxdp-drop\n' 'c.ini:2: control byte \x1b'
bad_bytes "bare carriage return" '[experiment drop]\rsystems = xdp-drop\n' 'c.ini:1: carriage return \x0d'
bad_bytes "Latin-1 byte" '; caf\351\n[experiment drop]\nsystems = xdp-drop\n' 'c.ini:1: invalid UTF-8 byte \xe9'
bad_bytes "UTF-8 in a bad value" '[run]\ntrials = tr\303\251s\n[experiment drop]\nsystems = xdp-drop\n' "c.ini:2: trials must be an integer in 1..1000, not 'tr\xc3\xa9s'"
printf '\357\273\277; UTF-8 comment: 10 \302\265s\r\n[experiment drop] ; c\r\nsystems = xdp-drop\r\n' >"$TMP/c.ini"
expect_exit "config: BOM, CRLF and UTF-8 comments accepted (exit 2 comes from --only)" 2 "$XDPLAB" run "$TMP/c.ini" --only nosuch
nl_name="$TMP/new"$'\n'"line.ini"
printf '%s\n' "$ok_exp" "$ok_exp" >"$nl_name"
err=$("$XDPLAB" run "$nl_name" --results "$TMP/res" -q 2>&1 >/dev/null)
check "config: file name with a newline: error stays one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
case $err in
*'new\x0aline.ini:3: duplicate section'*) pass "config: file name with a newline: escaped in FILE:LINE" ;;
*) fail "config: file name with a newline: escaped in FILE:LINE" "got '$err'" ;;
esac

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
