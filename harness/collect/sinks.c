// SPDX-License-Identifier: GPL-2.0
/*
 * sinks.c - the sink programs (sinks.h): the built-in counting sink, and a
 * table of the objects a system may name with sink = NAME.
 */
#include <string.h>
#include "sinks.h"
#include "util.h"
#include "xl_err.h"

static const struct {
	const char *name, *obj, *prog;
} sink_kinds[] = {
	/* The load balancer's checking sink (progs/xdp_lb_check.bpf.c, apps/lb_check.h). */
	{ "lb-check", "xdp_lb_check.bpf.o", "xdp_lb_check" },
};

#define NKINDS (sizeof(sink_kinds) / sizeof(sink_kinds[0]))

bool xl_sink_known(const char *kind)
{
	for (size_t i = 0; kind && i < NKINDS; i++)
		if (!strcmp(kind, sink_kinds[i].name))
			return true;
	return false;
}

int xl_sink_prog(const char *kind, bool latency, struct xl_xdp_opts *o, char *path, size_t len)
{
	o->prog = latency ? "sink-latency" : "sink";
	o->obj_path = NULL;
	if (!kind || !kind[0])
		return 0;
	for (size_t i = 0; i < NKINDS; i++) {
		if (strcmp(kind, sink_kinds[i].name))
			continue;
		if (xl_exe_relative(sink_kinds[i].obj, path, len))
			return xl_fail(XL_EXIT_ENV, "the %s sink's object %s is not beside xdplab",
				       kind, sink_kinds[i].obj);
		o->obj_path = path;
		o->prog = sink_kinds[i].prog;
		return 0;
	}
	return xl_fail(XL_EXIT_CONFIG, "unknown sink '%s'", kind);
}
