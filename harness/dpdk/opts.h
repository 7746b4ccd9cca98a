/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opts.h - the "key=value,..." options that choose how a DPDK process xdplab
 * starts reaches its port(s) (an af_xdp or af_packet vdev on a kernel
 * interface, or an allow-listed PCI device) and with how much memory, the
 * check that those ports exist and are not the machine's own NIC, and the
 * --vdev argument of each port.  Keys: docs/dpdk.md.  Every user-facing
 * failure is one xl_fail(XL_EXIT_DPDK, ...) line.
 */
#ifndef XL_DPDK_OPTS_H
#define XL_DPDK_OPTS_H

#include <stdbool.h>
#include <stddef.h>

enum xl_dpdk_port_kind {
	XL_DPDK_AF_XDP,
	XL_DPDK_AF_PACKET,
	XL_DPDK_PCI
};

#define XL_DPDK_MAX_PCI 2
#define XL_DPDK_PCI_LEN 16 /* "0000:00:00.0" */

struct xl_dpdk_opts {
	enum xl_dpdk_port_kind kind;
	char pci[XL_DPDK_MAX_PCI][XL_DPDK_PCI_LEN]; /* kind PCI: port 0 (and 1), full DBDF */
	int npci;
	unsigned int mem_mb; /* hugepage memory, -m */
	bool huge; /* false: --no-huge (anonymous memory, nothing reserved) */
	unsigned int mbufs; /* mbufs in the pool; 0 = the program's default */
	unsigned int burst; /* frames per rte_eth_tx_burst (generator) */
	bool burst_set; /* burst= was given (else the generator may lower it for copies) */
	int busy_budget; /* af_xdp preferred busy polling budget; -1 = PMD default */
	char log[256]; /* where the EAL/PMD output goes; "" = private, removed at the end */
};

/* Parse "vdev=af_xdp,mem=128,..."; NULL/"" = defaults.  xl_fail(XL_EXIT_DPDK) on error. */
int xl_dpdk_opts_parse(const char *s, struct xl_dpdk_opts *o);
/*
 * Check that the ports can be used: interfaces exist in ns (vdev kinds), or the
 * PCI devices exist and are not a kernel interface that is up (which would be
 * the machine's own NIC).  xl_fail(XL_EXIT_DPDK) on error.
 */
int xl_dpdk_check_ports(const struct xl_dpdk_opts *o, const char *ns, const char *const *ifnames,
			int nports);
/* The --vdev argument (or "" for PCI) of port i on interface ifname with nq queues. */
int xl_dpdk_vdev_arg(const struct xl_dpdk_opts *o, int i, const char *ifname, int nq, char *buf,
		     size_t len);

#endif
