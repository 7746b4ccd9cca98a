#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages xdplab needs, only those that
# are missing, with apt-get (root).  Run by `make deps`, `make test` and ./run.sh.
# Why each one is there is written in README.md ("Dependencies").
set -euo pipefail

PKGS=(
	clang llvm bpftool libbpf-dev libxdp-dev libelf-dev zlib1g-dev pkg-config make gcc
	libjson-c-dev libinih-dev libpcap-dev
	iproute2 iptables nftables ethtool procps
	dpdk libdpdk-dev dpdk-dev
	gnuplot-nox python3 python3-pandas clang-format
	shellcheck libclang-rt-14-dev
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "xdplab: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 7
fi
echo "xdplab: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
