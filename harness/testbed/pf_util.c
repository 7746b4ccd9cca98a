// SPDX-License-Identifier: GPL-2.0
/*
 * pf_util.c - what the preflight checks (preflight.c) share: reading a port's
 * sysfs and procfs knobs inside its namespace, and building a fix's command
 * and its inverse as argument vectors (`ip -n NS ...`, `ip netns exec NS TOOL
 * ...`) that the runner runs and prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "pf_internal.h"
#include "xl_spawn.h"

static int read_long(const char *ns, const char *path, long *v)
{
	char buf[32];
	int err = xl_read_file(ns, path, buf, sizeof(buf));

	if (!err)
		*v = strtol(buf, NULL, 0); /* sysfs flags are hex (0x1003) */
	return err;
}

long pf_sys_knob(const struct pf_port *p, const char *fmt, const char *ifname)
{
	char path[160];
	long v = -1;

	snprintf(path, sizeof(path), fmt, ifname);
	read_long(p->ns, path, &v);
	return v;
}

/* Start a command: `ip [-n NS] ...` (ip) or `[ip netns exec NS] TOOL ...`; returns argc. */
int pf_cmd_start(const char **v, const char *ns, const char *tool)
{
	int n = 0;

	if (!strcmp(tool, "ip")) {
		v[n++] = "ip";
		if (ns) {
			v[n++] = "-n";
			v[n++] = ns;
		}
		return n;
	}
	if (ns) {
		v[n++] = "ip";
		v[n++] = "netns";
		v[n++] = "exec";
		v[n++] = ns;
	}
	v[n++] = tool;
	return n;
}

void pf_cmd_args(const char **v, int n, ...)
{
	va_list ap;
	const char *a;

	va_start(ap, n);
	while ((a = va_arg(ap, const char *)) && n < PF_ARGS - 1)
		v[n++] = a;
	va_end(ap);
	v[n] = NULL;
}

void pf_join(char *buf, size_t len, const char *const *v)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; v[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", v[i]);
}
