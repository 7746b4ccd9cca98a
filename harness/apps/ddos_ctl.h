/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ddos_ctl.h - control plane of the XDP DDoS filter (progs/xdp_ddos.bpf.c):
 * parse rules written as text and add them to the filter's maps.
 *   "udp:53", "tcp:80", "17:123"   drop that IP protocol to that destination port
 *   "icmp", "gre", "47"            drop a protocol without ports entirely
 *   "203.0.113.0/24"               drop IPv4 sources inside the prefix
 * Protocols with ports (tcp, udp, sctp, udplite, dccp) need a port.
 */
#ifndef XL_DDOS_CTL_H
#define XL_DDOS_CTL_H

#include "xl_ddos.h"

struct bpf_object;

struct xl_ddos_maps {
	int l4;
	int src;
};

int xl_ddos_maps_find(struct bpf_object *obj, struct xl_ddos_maps *m);
/* Parse one rule; *is_src tells which key was filled.  -EINVAL on bad text. */
int xl_ddos_rule_parse(const char *rule, struct xl_ddos_l4_key *l4, struct xl_ddos_src_key *src,
		       int *is_src);
/* Parse and add one rule; -EINVAL on bad text, else -errno from the map. */
int xl_ddos_rule_add(const struct xl_ddos_maps *m, const char *rule);

#endif
