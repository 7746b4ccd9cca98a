// SPDX-License-Identifier: GPL-2.0
/* opts.c - DPDK port and memory options, port checks and --vdev arguments (opts.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "opts.h"
#include "netns.h"
#include "util.h"
#include "xl_err.h"

/* "bb:dd.f" or "dddd:bb:dd.f" -> "dddd:bb:dd.f" in lower case. */
static int parse_pci(const char *s, char out[XL_DPDK_PCI_LEN])
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;
	int n;

	for (const char *c = s; *c; c++)
		if (!isxdigit((unsigned char)*c) && *c != ':' && *c != '.')
			return -EINVAL;
	n = sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail);
	if (n != 4) {
		dom = 0;
		if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, XL_DPDK_PCI_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

int xl_dpdk_opts_parse(const char *s, struct xl_dpdk_opts *o)
{
	char buf[512], *save = NULL, *kv;
	bool have_vdev = false;
	long v;

	memset(o, 0, sizeof(*o));
	o->kind = XL_DPDK_AF_XDP;
	o->mem_mb = 128;
	o->huge = true;
	o->burst = 32;
	o->busy_budget = -1;
	if (!s || !*s)
		return 0;
	if (strlen(s) >= sizeof(buf))
		return xl_fail(XL_EXIT_DPDK, "DPDK options too long");
	snprintf(buf, sizeof(buf), "%s", s);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *val = strchr(kv, '=');

		if (!val)
			return xl_fail(XL_EXIT_DPDK, "DPDK option '%s' is not key=value", kv);
		*val++ = 0;
		if (!strcmp(kv, "vdev")) {
			if (!strcmp(val, "af_xdp"))
				o->kind = XL_DPDK_AF_XDP;
			else if (!strcmp(val, "af_packet"))
				o->kind = XL_DPDK_AF_PACKET;
			else
				return xl_fail(XL_EXIT_DPDK,
					       "unknown DPDK vdev kind '%s' (af_xdp or af_packet)",
					       val);
			have_vdev = true;
		} else if (!strcmp(kv, "pci")) {
			char list[128], *psave = NULL, *a;

			snprintf(list, sizeof(list), "%s", val);
			o->npci = 0;
			for (a = strtok_r(list, "+", &psave); a; a = strtok_r(NULL, "+", &psave)) {
				if (o->npci == XL_DPDK_MAX_PCI)
					return xl_fail(
						XL_EXIT_DPDK,
						"at most %d PCI devices in pci=", XL_DPDK_MAX_PCI);
				if (parse_pci(a, o->pci[o->npci]))
					return xl_fail(XL_EXIT_DPDK,
						       "bad PCI address '%s' (want [dddd:]bb:dd.f)",
						       a);
				o->npci++;
			}
			if (!o->npci)
				return xl_fail(XL_EXIT_DPDK, "pci= names no device");
			o->kind = XL_DPDK_PCI;
		} else if (!strcmp(kv, "mem")) {
			if (xl_parse_int(val, 16, 65536, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK mem= '%s' (MB, 16..65536)",
					       val);
			o->mem_mb = v;
		} else if (!strcmp(kv, "huge")) {
			if (xl_parse_int(val, 0, 1, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK huge= '%s' (0 or 1)", val);
			o->huge = v;
		} else if (!strcmp(kv, "mbufs")) {
			if (xl_parse_int(val, 1024, 1 << 22, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK mbufs= '%s' (1024..4194304)",
					       val);
			o->mbufs = v;
		} else if (!strcmp(kv, "burst")) {
			if (xl_parse_int(val, 1, 512, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK burst= '%s' (1..512)", val);
			o->burst = v;
			o->burst_set = true;
		} else if (!strcmp(kv, "busy_budget")) {
			if (xl_parse_int(val, 0, 1024, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK busy_budget= '%s' (0..1024)",
					       val);
			o->busy_budget = v;
		} else if (!strcmp(kv, "log")) {
			if (!*val || strlen(val) >= sizeof(o->log))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK log= path");
			snprintf(o->log, sizeof(o->log), "%s", val);
		} else {
			return xl_fail(
				XL_EXIT_DPDK,
				"unknown DPDK option '%s' (vdev, pci, mem, huge, mbufs, burst, busy_budget, log)",
				kv);
		}
	}
	if (have_vdev && o->kind == XL_DPDK_PCI)
		return xl_fail(XL_EXIT_DPDK, "give vdev= or pci=, not both");
	if (o->busy_budget >= 0 && o->kind != XL_DPDK_AF_XDP)
		return xl_fail(XL_EXIT_DPDK, "busy_budget= applies to vdev=af_xdp only");
	return 0;
}

/*
 * A PCI device that carries a kernel interface which is up is the machine's
 * own NIC (virtio puts it one level down: <dev>/virtio0/net/eth0), so look
 * from the interfaces' side: any /sys/class/net/X whose device lies under it.
 */
static int pci_in_use(const char *addr, char *ifname, size_t len)
{
	char path[128], dev[PATH_MAX], ifdev[PATH_MAX];
	struct dirent *de;
	size_t dlen;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", addr);
	if (!realpath(path, dev))
		return 0;
	dlen = strlen(dev);
	d = opendir("/sys/class/net");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char link[400], flags_path[400];
		long flags;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/sys/class/net/%s/device", de->d_name);
		if (!realpath(link, ifdev) || strncmp(ifdev, dev, dlen) ||
		    (ifdev[dlen] && ifdev[dlen] != '/'))
			continue;
		snprintf(flags_path, sizeof(flags_path), "/sys/class/net/%s/flags", de->d_name);
		if (!xl_read_long(flags_path, &flags) && (flags & 1 /* IFF_UP */)) {
			snprintf(ifname, len, "%s", de->d_name);
			ret = 1;
			break;
		}
	}
	closedir(d);
	return ret;
}

int xl_dpdk_check_ports(const struct xl_dpdk_opts *o, const char *ns, const char *const *ifnames,
			int nports)
{
	if (o->kind == XL_DPDK_PCI) {
		if (o->npci < nports)
			return xl_fail(XL_EXIT_DPDK, "pci= names %d device(s), %d needed", o->npci,
				       nports);
		for (int i = 0; i < nports; i++) {
			char path[96], ifname[64];

			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", o->pci[i]);
			if (access(path, F_OK))
				return xl_fail(XL_EXIT_DPDK, "no PCI device %s on this machine",
					       o->pci[i]);
			if (pci_in_use(o->pci[i], ifname, sizeof(ifname)))
				return xl_fail(
					XL_EXIT_DPDK,
					"PCI device %s is kernel interface %s, which is up: refusing to hand it to DPDK",
					o->pci[i], ifname);
		}
		return 0;
	}
	if (!xl_ns_exists(ns))
		return xl_fail(XL_EXIT_DPDK, "network namespace '%s' does not exist", ns);
	for (int i = 0; i < nports; i++)
		if (xl_ns_ifindex(ns, ifnames[i]) < 0)
			return xl_fail(XL_EXIT_NOIF, "DPDK port interface '%s' does not exist%s%s",
				       ifnames[i], ns && *ns ? " in namespace " : "",
				       ns && *ns ? ns : "");
	return 0;
}

int xl_dpdk_vdev_arg(const struct xl_dpdk_opts *o, int i, const char *ifname, int nq, char *buf,
		     size_t len)
{
	switch (o->kind) {
	case XL_DPDK_AF_XDP:
		if (o->busy_budget >= 0)
			snprintf(buf, len, "net_af_xdp%d,iface=%s,queue_count=%d,busy_budget=%d", i,
				 ifname, nq, o->busy_budget);
		else
			snprintf(buf, len, "net_af_xdp%d,iface=%s,queue_count=%d", i, ifname, nq);
		return 0;
	case XL_DPDK_AF_PACKET:
		snprintf(buf, len, "net_af_packet%d,iface=%s,qpairs=%d", i, ifname, nq);
		return 0;
	case XL_DPDK_PCI: buf[0] = 0; return 0;
	}
	return -EINVAL;
}
