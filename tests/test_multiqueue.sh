#!/usr/bin/env bash
# test_multiqueue.sh - the N-core path with N = 2 on a 2-vCPU machine: two
# generator threads, two RX queues on dut-in, one NAPI thread per DUT CPU.  A
# real run needs 2N CPUs (generator and DUT apart); the test hook
# XDPLAB_SHARE_CPUS=1 lets both roles share the two CPUs, which tests the queue
# logic but measures nothing.  Checked: the refusal without the hook; a run with
# cores = 2 (two NAPI threads of dut-in, pinned to dut_cpus in queue order; both
# queues counting); and the loader and generator alone with a counted send,
# where the per-queue XDP counters add up exactly to the frames sent and each
# generator thread's frames arrive on their own queue (veth picks the receive
# queue by the sending CPU for XDP frames and by the sending queue otherwise).
# shellcheck disable=SC2317 # checks call functions indirectly
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
G=xlmqg$$ D=xlmqd$$
cleanup() {
	ip netns del "$G" 2>/dev/null
	ip netns del "$D" 2>/dev/null
	rm -rf "$OUT"
}
trap cleanup EXIT

if [ "$(nproc)" -lt 2 ]; then
	skip "multi-queue" "needs 2 CPUs, this machine has $(nproc)"
	t_finish
fi

# Two namespaces joined by a veth pair with 2 queues each way, IPv6 off (no stray frames).
make_pair() {
	ip netns add "$G" && ip netns add "$D" &&
		ip -n "$G" link add gen0 numtxqueues 2 numrxqueues 2 address 02:58:4c:00:00:01 \
			type veth peer name dut-in netns "$D" numtxqueues 2 numrxqueues 2 \
			address 02:58:4c:00:00:02 &&
		ip netns exec "$G" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
		ip netns exec "$D" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
		ip -n "$G" link set gen0 up && ip -n "$D" link set dut-in up
}

# The generator: DPDK over AF_PACKET where it is built (its AF_XDP PMD did not open a
# 2-queue veth here), else live frames if the kernel lets us run them (on this kind of
# VM it sometimes refuses them with EPERM).
make_pair || exit 1
if [ -x "$REPO/build/xdplab-dpdkgen" ]; then
	GEN=(--backend dpdk --opts vdev=af_packet) BACKEND=$'backend = dpdk\nbackend_opts = vdev=af_packet'
elif "$XDPLAB" gen --ns "$G" --dev gen0 --dst-mac 02:58:4c:00:00:02 --duration 0.3 >/dev/null 2>&1; then
	GEN=(--backend livefr) BACKEND="backend = livefr"
else
	GEN=()
fi

# dut_napi: pids of the NAPI kthreads of every port named dut-in, sorted.
dut_napi() { ps -eo pid=,comm= | awk '$2 ~ /^napi\/dut-in-/ {print $1}' | sort; }

# queue_pkts NS IF Q: XDP frames received on RX queue Q (veth's ethtool statistics).
queue_pkts() {
	ip netns exec "$1" ethtool -S "$2" | awk -v k="rx_queue_$3_xdp_packets:" '$1 == k {print $2}'
}

t_case "cores = 2 on 2 CPUs is refused without the test hook (exit 7)"
cat >"$OUT/mq.ini" <<EOF
[testbed]
gen_cpus = 0,1
dut_cpus = 1,0

[run]
cores = 2
trials = 1
warmup_s = 0.5
duration_s = 3
flows = 16
$BACKEND

[experiment mq]
systems = xdp-drop:native
load = max
EOF
expect_exit "no hook: exit 7" 7 "$XDPLAB" run "$OUT/mq.ini" --results "$OUT/refused" -q

t_case "loader + 2 generator threads, counted: queue counts add up to the frames sent"
if [ ${#GEN[@]} -eq 0 ]; then
	t_skip "no generator runs here (live frames refused, no xdplab-dpdkgen)"
else
	N=200000
	"$XDPLAB" load --ns "$D" --dev dut-in --prog drop --duration 20 -q >/dev/null 2>&1 &
	LOAD=$!
	for _ in $(seq 50); do ip -n "$D" link show dut-in | grep -q xdp && break; sleep 0.1; done
	check "counted: the generator sends $N frames from CPUs 0 and 1" \
		"$XDPLAB" gen "${GEN[@]}" --ns "$G" --dev gen0 --dst-mac 02:58:4c:00:00:02 \
		--flows 16 --count "$N" --rate 200000 --cpus 0,1 --duration 15
	sleep 0.2
	q0=$(queue_pkts "$D" dut-in 0) q1=$(queue_pkts "$D" dut-in 1)
	kill -INT "$LOAD"
	wait "$LOAD"
	echo "    queue 0: $q0, queue 1: $q1 (sent $N)"
	check "counted: queue 0 + queue 1 = frames sent" test "$((q0 + q1))" -eq "$N"
	check "counted: each thread's half on its own queue" test "$q0" -eq "$((N / 2))" -a "$q1" -eq "$((N / 2))"
fi

t_case "xdplab run, cores = 2 with XDPLAB_SHARE_CPUS=1: two NAPI threads pinned, both queues count"
if [ ${#GEN[@]} -eq 0 ]; then
	t_skip "no generator runs here (live frames refused, no xdplab-dpdkgen)"
else
	napi_before=$(dut_napi)
	for _ in $(seq 600); do flock -n /run/xdplab.lock true && break; sleep 0.5; done
	XDPLAB_SHARE_CPUS=1 "$XDPLAB" run "$OUT/mq.ini" --results "$OUT/run" -q >"$OUT/run.out" 2>"$OUT/run.err" &
	PID=$!
	# Until the DUT program is on dut-in and its queues count (the measured interval).
	for _ in $(seq 100); do
		a0=$(queue_pkts "xl$PID-dut" dut-in 0 2>/dev/null)
		[ -n "$a0" ] && [ "$a0" -gt 0 ] && break
		sleep 0.1
	done
	sleep 1
	a0=$(queue_pkts "xl$PID-dut" dut-in 0) a1=$(queue_pkts "xl$PID-dut" dut-in 1)
	napi=$(comm -13 <(echo "$napi_before") <(dut_napi))
	cpus=""
	for t in $napi; do cpus="$cpus $(taskset -pc "$t" | awk '{print $NF}')"; done
	sleep 0.5
	b0=$(queue_pkts "xl$PID-dut" dut-in 0) b1=$(queue_pkts "xl$PID-dut" dut-in 1)
	wait "$PID"
	rc=$?
	echo "    queue 0: $a0 -> $b0, queue 1: $a1 -> $b1; NAPI threads of dut-in on CPUs:$cpus"
	check "run: exit 0" test "$rc" -eq 0
	check "run: the hook is announced" grep -q "XDPLAB_SHARE_CPUS=1" "$OUT/run.err"
	check "run: two NAPI threads of dut-in" test "$(echo "$napi" | wc -w)" -eq 2
	check "run: pinned in queue order to dut_cpus 1,0" test "$cpus" = " 1 0"
	check "run: queue 0 counted during the trial" test "$b0" -gt "$a0"
	check "run: queue 1 counted during the trial" test "$b1" -gt "$a1"
	check "run: the row says cores = 2 and is not invalid" /usr/bin/python3 - "$OUT/run" <<'PY'
import csv, glob, sys
rows = list(csv.DictReader(open(glob.glob(sys.argv[1] + "/2*/results.csv")[0])))
assert len(rows) == 1 and rows[0]["cores"] == "2" and rows[0]["valid"] == "1", rows
assert int(rows[0]["dut_pkts"]) > 0, rows
PY
	check "run: its namespaces are gone" sh -c "! ip netns list | grep -q '^xl$PID-'"
fi

t_finish
