// SPDX-License-Identifier: GPL-2.0
/*
 * ddos_ctl.c - text rules for the XDP DDoS filter.  Protocol names are a
 * table here rather than getprotobyname(): /etc/protocols may be absent, and
 * the filter must know whether a protocol has ports anyway.  Prefixes with
 * host bits set are refused, not masked: "10.1.2.3/8" is more likely a typo
 * than a wish to block 10/8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ddos_ctl.h"
#include "util.h"

static const struct {
	const char *name;
	uint8_t proto;
	int ports;
} protos[] = {
	{ "icmp", IPPROTO_ICMP, 0 }, { "tcp", IPPROTO_TCP, 1 },
	{ "udp", IPPROTO_UDP, 1 },   { "dccp", IPPROTO_DCCP, 1 },
	{ "gre", IPPROTO_GRE, 0 },   { "esp", IPPROTO_ESP, 0 },
	{ "ah", IPPROTO_AH, 0 },     { "icmpv6", IPPROTO_ICMPV6, 0 },
	{ "sctp", IPPROTO_SCTP, 1 }, { "udplite", IPPROTO_UDPLITE, 1 },
};

static int proto_has_ports(uint8_t proto)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].ports;
	return 0;
}

static int parse_proto(const char *s, uint8_t *proto)
{
	long v;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	}
	if (xl_parse_int(s, 0, 255, &v))
		return -EINVAL;
	*proto = v;
	return 0;
}

static int parse_src(const char *rule, struct xl_ddos_src_key *src)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(rule, '/');
	struct in_addr a;
	uint32_t mask;
	long len;

	if ((size_t)(slash - rule) >= sizeof(addr) || xl_parse_int(slash + 1, 0, 32, &len))
		return -EINVAL;
	memcpy(addr, rule, slash - rule);
	addr[slash - rule] = '\0';
	if (inet_pton(AF_INET, addr, &a) != 1)
		return -EINVAL;
	mask = len ? ~0u << (32 - len) : 0;
	if (ntohl(a.s_addr) & ~mask)
		return -EINVAL;
	src->prefixlen = len;
	src->addr = a.s_addr;
	return 0;
}

int xl_ddos_rule_parse(const char *rule, struct xl_ddos_l4_key *l4, struct xl_ddos_src_key *src,
		       int *is_src)
{
	char proto[16];
	const char *colon;
	long port = 0;

	*is_src = strchr(rule, '/') != NULL;
	if (*is_src)
		return parse_src(rule, src);
	memset(l4, 0, sizeof(*l4));
	colon = strchr(rule, ':');
	if (colon) {
		if ((size_t)(colon - rule) >= sizeof(proto) ||
		    xl_parse_int(colon + 1, 1, 65535, &port))
			return -EINVAL;
		memcpy(proto, rule, colon - rule);
		proto[colon - rule] = '\0';
	} else if (snprintf(proto, sizeof(proto), "%s", rule) >= (int)sizeof(proto)) {
		return -EINVAL;
	}
	if (parse_proto(proto, &l4->proto))
		return -EINVAL;
	/* The filter reads ports only for port protocols: a port anywhere else could never match. */
	if (!!colon != proto_has_ports(l4->proto))
		return -EINVAL;
	l4->dport = htons(port);
	return 0;
}

int xl_ddos_maps_find(struct bpf_object *obj, struct xl_ddos_maps *m)
{
	struct bpf_map *l4 = bpf_object__find_map_by_name(obj, "xl_ddos_l4");
	struct bpf_map *src = bpf_object__find_map_by_name(obj, "xl_ddos_src");

	if (!l4 || !src)
		return -ENOENT;
	m->l4 = bpf_map__fd(l4);
	m->src = bpf_map__fd(src);
	return 0;
}

int xl_ddos_rule_add(const struct xl_ddos_maps *m, const char *rule)
{
	struct xl_ddos_l4_key l4;
	struct xl_ddos_src_key src;
	uint32_t one = 1;
	int is_src, err;

	err = xl_ddos_rule_parse(rule, &l4, &src, &is_src);
	if (err)
		return err;
	if (is_src)
		err = bpf_map_update_elem(m->src, &src, &one, BPF_ANY);
	else
		err = bpf_map_update_elem(m->l4, &l4, &one, BPF_ANY);
	return err ? -errno : 0;
}
