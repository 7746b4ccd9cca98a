// SPDX-License-Identifier: GPL-2.0
/* pkt.c - build and stamp the xdplab UDP/IPv4 test frame. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "pkt.h"
#include "xdplab.h"

/*
 * Ones'-complement sum of 16-bit words as they lie in memory, not folded; an odd
 * last byte is padded with a zero byte (RFC 1071).
 */
static uint32_t sum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;
	uint8_t last[2] = { 0, 0 };
	uint16_t w;

	for (size_t i = 0; i + 1 < len; i += 2) {
		memcpy(&w, b + i, 2);
		sum += w;
	}
	if (len & 1) {
		last[0] = b[len - 1];
		memcpy(&w, last, 2);
		sum += w;
	}
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint16_t ip_csum(const void *hdr, size_t len)
{
	return fold(sum16(hdr, len, 0));
}

/* The sum of the 16-bit words at offs[0..n) of buf, to take out of a sum. */
static uint32_t words_at(const uint8_t *buf, const size_t *offs, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t w;

		memcpy(&w, buf + offs[i], 2);
		sum += w;
	}
	return sum;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

uint32_t xl_pkt_ip_base_sum(const uint8_t *buf, bool vary_saddr)
{
	static const size_t varied[] = { XL_OFF_IP_CSUM, XL_OFF_IP_DADDR, XL_OFF_IP_DADDR + 2,
					 XL_OFF_IP_SADDR, XL_OFF_IP_SADDR + 2 };

	/* Cannot underflow: each word taken out was added first. */
	return sum16(buf + ETH_HLEN, sizeof(struct iphdr), 0) -
	       words_at(buf, varied, N_OF(varied) - (vary_saddr ? 0 : 2));
}

/* RFC 793's sum over the pseudo-header (addresses, protocol, length) and the segment. */
static uint32_t tcp_sum(const uint8_t *buf, size_t len)
{
	const struct iphdr *ip = (const void *)(buf + ETH_HLEN);
	uint16_t seglen = htons(len - ETH_HLEN - sizeof(*ip)), proto = htons(IPPROTO_TCP);

	return sum16(buf + XL_OFF_UDP_SPORT, len - XL_OFF_UDP_SPORT,
		     sum16(&ip->saddr, 8, 0) + proto + seglen);
}

uint32_t xl_pkt_tcp_base_sum(const uint8_t *buf, size_t len, bool vary_daddr)
{
	static const size_t varied[] = { XL_OFF_UDP_SPORT,   XL_OFF_GEN,      XL_OFF_SEQ,
					 XL_OFF_SEQ + 2,     XL_OFF_TCP_CSUM, XL_OFF_IP_DADDR,
					 XL_OFF_IP_DADDR + 2 };

	return tcp_sum(buf, len) - words_at(buf, varied, N_OF(varied) - (vary_daddr ? 0 : 2));
}

static void tcp_fix_csum(uint8_t *buf)
{
	const struct iphdr *ip = (const void *)(buf + ETH_HLEN);
	uint16_t csum = 0;

	memcpy(buf + XL_OFF_TCP_CSUM, &csum, 2);
	csum = fold(tcp_sum(buf, ETH_HLEN + ntohs(ip->tot_len)));
	memcpy(buf + XL_OFF_TCP_CSUM, &csum, 2);
}

int xl_proto_parse(const char *s, enum xl_proto *p)
{
	if (!strcmp(s, "udp"))
		*p = XL_PROTO_UDP;
	else if (!strcmp(s, "tcp"))
		*p = XL_PROTO_TCP;
	else
		return -EINVAL;
	return 0;
}

const char *xl_proto_name(enum xl_proto p)
{
	return p == XL_PROTO_TCP ? "tcp" : "udp";
}

int xl_pkt_build(const struct xl_pkt_spec *spec, uint8_t *buf, size_t len)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	struct tcphdr *tcp = (struct tcphdr *)(ip + 1);
	uint16_t dport = htons(spec->dst_port ? spec->dst_port : XL_UDP_DPORT);

	if (spec->frame_size < XL_MIN_FRAME || spec->frame_size > XL_MAX_FRAME ||
	    len != xl_pkt_len(spec->frame_size) || !spec->flows || spec->flows > 50000)
		return -EINVAL;
	memset(buf, 0, len);
	memcpy(eth->h_dest, spec->dst_mac, ETH_ALEN);
	memcpy(eth->h_source, spec->src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = spec->proto == XL_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	ip->tot_len = htons(len - sizeof(*eth));
	ip->saddr = spec->src_ip.s_addr;
	ip->daddr = spec->dst_ip.s_addr;
	ip->check = ip_csum(ip, sizeof(*ip));
	if (spec->proto == XL_PROTO_TCP) {
		tcp->dest = dport;
		tcp->doff = sizeof(*tcp) / 4;
		((uint8_t *)tcp)[13] = XL_TCP_FLAGS;
		tcp->window = htons(65535);
	} else {
		udp->dest = dport;
		udp->len = htons(len - sizeof(*eth) - sizeof(*ip));
		udp->check = 0; /* optional for IPv4; the port and payload vary per frame */
	}
	xl_pkt_stamp(buf, 0, 0, 0, 0);
	return 0;
}

void xl_pkt_set_addrs(uint8_t *buf, uint32_t saddr, uint32_t daddr)
{
	struct iphdr *ip = (void *)(buf + ETH_HLEN);

	if (saddr)
		memcpy(buf + XL_OFF_IP_SADDR, &saddr, 4);
	if (daddr)
		memcpy(buf + XL_OFF_IP_DADDR, &daddr, 4);
	ip->check = 0;
	ip->check = ip_csum(ip, sizeof(*ip));
}

void xl_pkt_stamp(uint8_t *buf, unsigned int flow, uint16_t gen_id, uint32_t seq,
		  uint64_t tstamp_ns)
{
	uint16_t sport = htons(XL_UDP_SPORT_BASE + flow), magic = htons(XL_MAGIC);

	memcpy(buf + XL_OFF_UDP_SPORT, &sport, 2);
	memcpy(buf + XL_OFF_MAGIC, &magic, 2);
	/* Host byte order, as the BPF generator writes them. */
	memcpy(buf + XL_OFF_GEN, &gen_id, 2);
	memcpy(buf + XL_OFF_SEQ, &seq, 4);
	if (buf[ETH_HLEN + offsetof(struct iphdr, protocol)] == IPPROTO_TCP) {
		tcp_fix_csum(buf);
		return;
	}
	memcpy(buf + XL_OFF_TSTAMP, &tstamp_ns, 8);
}

int xl_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

void xl_format_mac(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}
