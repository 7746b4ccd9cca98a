// SPDX-License-Identifier: GPL-2.0
/* pkt.c - build and stamp the xdplab UDP/IPv4 test frame. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include "pkt.h"
#include "xdplab.h"

static uint16_t ip_csum(const void *hdr, size_t len)
{
	const uint16_t *p = hdr;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

int xl_pkt_build(const struct xl_pkt_spec *spec, uint8_t *buf, size_t len)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);

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
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(len - sizeof(*eth));
	ip->saddr = spec->src_ip.s_addr;
	ip->daddr = spec->dst_ip.s_addr;
	ip->check = ip_csum(ip, sizeof(*ip));
	udp->source = htons(XL_UDP_SPORT_BASE);
	udp->dest = htons(spec->dst_port ? spec->dst_port : XL_UDP_DPORT);
	udp->len = htons(len - sizeof(*eth) - sizeof(*ip));
	udp->check = 0; /* optional for IPv4; the port and payload vary per frame */
	xl_pkt_stamp(buf, 0, 0, 0, 0);
	return 0;
}

void xl_pkt_stamp(uint8_t *buf, unsigned int flow, uint16_t gen_id, uint32_t seq,
		  uint64_t tstamp_ns)
{
	uint16_t sport = htons(XL_UDP_SPORT_BASE + flow), magic = htons(XL_MAGIC);

	memcpy(buf + XL_OFF_UDP_SPORT, &sport, 2);
	memcpy(buf + XL_OFF_MAGIC, &magic, 2);
	/* Host byte order, as the BPF generator writes them. */
	memcpy(buf + XL_OFF_GEN, &gen_id, 2);
	memcpy(buf + XL_OFF_TSTAMP, &tstamp_ns, 8);
	memcpy(buf + XL_OFF_SEQ, &seq, 4);
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
