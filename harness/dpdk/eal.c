// SPDX-License-Identifier: GPL-2.0
/* eal.c - the EAL arguments every xdplab DPDK process gets (eal.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "eal.h"

#define ADD(x)                         \
	do {                           \
		if (*argc >= max - 1)  \
			return -E2BIG; \
		argv[(*argc)++] = (x); \
	} while (0)

static const char *stash(char **store, size_t *left, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *stash(char **store, size_t *left, const char *fmt, ...)
{
	va_list ap;
	char *s = *store;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, *left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= *left)
		return NULL;
	*store += n + 1;
	*left -= n + 1;
	return s;
}

int xl_dpdk_eal_args(const struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const int *cpus,
		     int ncpus, const char **argv, int *argc, int max, char *store,
		     size_t store_len)
{
	char lcores[512];
	size_t off = 0;
	const char *s;

	lcores[0] = 0;
	for (int i = 0; i < ncpus; i++)
		off += snprintf(lcores + off, sizeof(lcores) - off, "%s%d@%d", i ? "," : "", i,
				cpus[i]);
	if (off >= sizeof(lcores) || !(s = stash(&store, &store_len, "%s", lcores)))
		return -E2BIG;
	ADD("--lcores");
	ADD(s);
	if (o->kind == XL_DPDK_PCI) {
		for (int i = 0; i < o->npci; i++) {
			ADD("-a");
			ADD(o->pci[i]);
		}
	} else {
		ADD("--no-pci"); /* never probe the machine's own PCI NICs */
	}
	/* In-memory mode takes hugepages through memfd: no hugetlbfs mount, no files. */
	ADD(o->huge ? "--in-memory" : "--no-huge");
	ADD("-m");
	if (!(s = stash(&store, &store_len, "%u", o->mem_mb)))
		return -E2BIG;
	ADD(s);
	ADD("--file-prefix");
	ADD(p->prefix);
	ADD("--log-level=pmd.net.af_xdp:info");
	ADD("--log-level=pmd.net.af_packet:info");
	argv[*argc] = NULL;
	return 0;
}
