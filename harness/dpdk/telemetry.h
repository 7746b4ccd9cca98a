/* SPDX-License-Identifier: GPL-2.0 */
/*
 * telemetry.h - DPDK's telemetry socket (/var/run/dpdk/<prefix>/dpdk_telemetry.v2),
 * through which xdplab reads the counters of the DPDK processes it starts,
 * never their console output.  One connection per reader.
 */
#ifndef XL_DPDK_TELEMETRY_H
#define XL_DPDK_TELEMETRY_H

#include <stddef.h>
#include <json-c/json.h>

int xl_dpdk_tele_open(const char *prefix, char *version, size_t vlen);
/* Send cmd ("/ethdev/stats,0") and return the value under its key; caller puts it. */
int xl_dpdk_tele_cmd(int fd, const char *cmd, json_object **val);

#endif
