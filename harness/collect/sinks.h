/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sinks.h - the sink programs a trial counts with, one table for both hosts
 * (the local trial, trial.c, and the agent on a generator host, agent_ops.c):
 * the plain counting sink, its latency variant, and the sinks a system may
 * ask for with its setting sink = NAME.
 */
#ifndef XL_SINKS_H
#define XL_SINKS_H

#include <stdbool.h>
#include <stddef.h>
#include "xdp_attach.h"

/*
 * Fill o->prog and o->obj_path (into path[len]) for sink kind (NULL or "" =
 * the plain sink; latency = its histogram variant): 0, or xl_fail() if the
 * kind is unknown (exit 3) or its object is not beside xdplab (exit 7).
 */
int xl_sink_prog(const char *kind, bool latency, struct xl_xdp_opts *o, char *path, size_t len);
/* Whether kind names a sink of the table (config-time checks). */
bool xl_sink_known(const char *kind);

#endif
