#!/usr/bin/env bash
# run.sh - the one command on a fresh Debian 12 machine (as root): install the
# missing Debian packages, build, run the default reproduction of the XDP
# paper's experiments on a veth testbed that xdplab creates and removes itself,
# and write results, plots and a report under results/<timestamp>/.
#
# Usage: ./run.sh [CONFIG] [xdplab run options]   (default CONFIG: configs/default.ini)
# Exit codes are xdplab's (./build/xdplab --help lists them).
set -uo pipefail
cd "$(dirname "$0")" || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "xdplab: run.sh must run as root (packages, BPF, namespaces)" >&2
	exit 7
fi
make -s deps || exit 7
make -s || exit 1

config=configs/default.ini
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	config=$1
	shift
fi
echo "xdplab: running $config (progress below; results land in results/)" >&2
./build/xdplab run "$config" "$@"
rc=$?
# A run that was interrupted still has its completed trials: report them too.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 130 ] && [ "$rc" -ne 9 ]; then
	exit "$rc"
fi
if [ -x tools/report.sh ] && [ -f results/latest/results.csv ]; then
	tools/report.sh results/latest || exit 1
	echo "xdplab: report: results/latest/report.md, plots in results/latest/plots/" >&2
fi
exit "$rc"
