/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.h - the xdplab test frame: UDP/IPv4 (or TCP/IPv4) of a given on-wire
 * size with the payload layout of progs/xdplab.h.  Every generator backend builds its frames
 * here so that all of them send byte-identical traffic.
 */
#ifndef XL_PKT_H
#define XL_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum xl_proto {
	XL_PROTO_UDP,
	XL_PROTO_TCP, /* PSH|ACK data segments with a valid checksum */
};

struct xl_pkt_spec {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	struct in_addr src_ip;
	struct in_addr dst_ip;
	unsigned int frame_size; /* on-wire, including FCS: 64..1500 */
	unsigned int flows; /* UDP source ports XL_UDP_SPORT_BASE .. + flows - 1 */
	unsigned int dst_port; /* destination port; 0 = XL_UDP_DPORT (9, discard) */
	enum xl_proto proto;
};

/* Data length (without FCS) of a frame_size frame. */
static inline size_t xl_pkt_len(unsigned int frame_size)
{
	return frame_size - 4;
}

/* Fill buf (xl_pkt_len bytes) with the template for flow 0, sequence 0. */
int xl_pkt_build(const struct xl_pkt_spec *spec, uint8_t *buf, size_t len);
/*
 * Set the per-frame fields the way xdp_gen does (flow, generator id, seq, time).
 * A TCP frame is never time-stamped (the stamp would cover its window and
 * checksum); its checksum is rewritten.
 */
void xl_pkt_stamp(uint8_t *buf, unsigned int flow, uint16_t gen_id, uint32_t seq,
		  uint64_t tstamp_ns);
/*
 * The sums xdp_gen completes per frame (progs/trafficgen.bpf.c): ones'-complement
 * sums, not folded, with the fields it rewrites taken as zero; adding those fields
 * and folding gives the checksum.
 * IPv4 header: the checksum and the destination address left out (dst_addrs),
 * and with vary_saddr the source address too (src_addrs).
 * TCP pseudo-header and segment: the source port, the generator id, the
 * sequence number and the checksum left out, and with vary_daddr the
 * destination address too.
 */
/* Write IPv4 source and destination (network order, 0 = keep) and the header checksum. */
void xl_pkt_set_addrs(uint8_t *buf, uint32_t saddr, uint32_t daddr);
uint32_t xl_pkt_ip_base_sum(const uint8_t *buf, bool vary_saddr);
uint32_t xl_pkt_tcp_base_sum(const uint8_t *buf, size_t len, bool vary_daddr);
/* "udp" or "tcp"; -EINVAL for anything else. */
int xl_proto_parse(const char *s, enum xl_proto *p);
const char *xl_proto_name(enum xl_proto p);
int xl_parse_mac(const char *s, uint8_t mac[6]);
void xl_format_mac(const uint8_t mac[6], char *buf, size_t len);

#endif
