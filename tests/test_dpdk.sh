#!/usr/bin/env bash
# test_dpdk.sh - DPDK from the command line and through the runner: bad DPDK
# settings of `xdplab gen -b dpdk` exit 8 (4 for a missing interface) with one line and leave no process,
# runtime directory, shared-memory file or hugepage behind; a short runner
# trial of configs/test-dpdk.ini gives dpdk-rxonly and dpdk-mac rows with
# positive DUT rate and DUT CPU.  Own namespaces: xlds<pid>-gen, removed on exit.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

NS=xlds$$-gen
TMP=$(mktemp -d)
HUGE_BEFORE=$(cat /proc/sys/vm/nr_hugepages)

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# No DPDK process, runtime directory, shm file or hugepage left by this shell's commands.
# shellcheck disable=SC2317  # called through check
# What a dead earlier run left is xdplab cleanup's to sweep, not this test's to fail on.
dpdk_files() {
	local d
	for d in /var/run/dpdk/xdplab-* /run/xdplab/*.shm /run/xdplab/huge-*; do
		[ -e "$d" ] && echo "$d"
	done
}
DPDK_BEFORE=$(dpdk_files)
# shellcheck disable=SC2317  # called through check
dpdk_clean() {
	if pgrep -x xdplab-dpdkgen >/dev/null; then return 1; fi
	[ "$(dpdk_files)" = "$DPDK_BEFORE" ] || return 1
	[ "$(cat /proc/sys/vm/nr_hugepages)" = "$HUGE_BEFORE" ]
}

# shellcheck disable=SC2317  # called through check and expect_exit
gen() {
	"$XDPLAB" gen --backend dpdk --ns "$NS" --dst-mac 02:58:4c:00:00:02 --count 10 "$@"
}

if [ "$(id -u)" -ne 0 ]; then skip dpdk "needs root"; t_finish; fi
if [ ! -x "$REPO/build/xdplab-dpdkgen" ]; then skip dpdk "built without libdpdk"; t_finish; fi

ip netns add "$NS"
ip -n "$NS" link add gen0 type veth peer name gen1
ip -n "$NS" link set gen0 up
ip -n "$NS" link set gen1 up

expect_exit gen_bad_vdev 8 gen --dev gen0 --opts vdev=foo
expect_exit gen_bad_pci 8 gen --dev gen0 --opts pci=0000:zz:00.0
expect_exit gen_absent_pci 8 gen --dev gen0 --opts pci=0000:7f:1f.7
expect_exit gen_unknown_key 8 gen --dev gen0 --opts colour=blue
expect_exit gen_bad_burst 8 gen --dev gen0 --opts burst=0
expect_exit gen_no_interface 4 gen --dev nosuch0
expect_exit gen_no_hugepages 8 gen --dev gen0 --opts mem=65536
check gen_errors_leave_nothing dpdk_clean

# A good run, then the same checks.
check gen_sends_ten gen --dev gen0 --opts "log=$TMP/gen.log"
check gen_run_leaves_nothing dpdk_clean
if grep -q PCI "$TMP/gen.log"; then fail gen_log_no_pci "EAL log mentions PCI"; else pass gen_log_no_pci; fi

# Through the runner: results.csv rows of the dpdk systems.
if "$XDPLAB" run "$REPO/configs/test-dpdk.ini" -r "$TMP/res" -q >"$TMP/run.out" 2>&1; then
	csv=$TMP/res/latest/results.csv
	rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["system"] ~ /^dpdk-/ && $col["dut_pps"] > 0 && $col["dut_cpu_pct"] > 0 { n++ }
		END { print n + 0 }' "$csv")
	if [ "$rows" -eq 2 ]; then pass runner_dpdk_rows; else fail runner_dpdk_rows "$rows of 2 rows with dut_pps and dut_cpu_pct > 0 in $csv"; fi
	if grep -q 'not kernel bypass' "$TMP/res/latest/context.json" 2>/dev/null; then
		pass runner_context_names_pmd
	else
		fail runner_context_names_pmd "context.json does not name the PMD"
	fi
	# The runner copies each DPDK process's EAL output into run.log (the spawn log).
	if ! grep -q -- '---- DPDK process' "$TMP/res/latest/run.log" 2>/dev/null; then
		fail runner_log_no_pci "run.log does not carry the DPDK output"
	elif grep -q PCI "$TMP/res/latest/run.log"; then
		fail runner_log_no_pci "run.log: $(grep -m1 PCI "$TMP/res/latest/run.log")"
	else
		pass runner_log_no_pci
	fi
else
	fail runner_dpdk_rows "xdplab run failed: $(tail -1 "$TMP/run.out")"
fi
check runner_leaves_nothing dpdk_clean
t_finish
