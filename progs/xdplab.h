/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdplab.h - the only things the XDP programs and user space share: fixed-width
 * record layouts, map key meanings and the byte offsets of xdplab's test frame.
 * Keep it free of libc and of kernel-internal headers so that both the BPF
 * target and user space can include it.
 */
#ifndef XDPLAB_H
#define XDPLAB_H

#include <linux/types.h>

/*
 * Per-CPU counters, one record per XDP action (the map key is the action the
 * program returned: XDP_ABORTED=0 .. XDP_REDIRECT=4).  User space sums the
 * per-CPU values; it never resets them, it rates deltas over a measured interval.
 */
#define XL_NR_ACTIONS 5

struct xl_datarec {
	__u64 packets;
	__u64 bytes;
};

/*
 * The fexit action recorder (xdp_actions.bpf.c) keeps one more slot than
 * xl_stats: return values outside XDP_ABORTED..XDP_REDIRECT, which drivers
 * treat as XDP_ABORTED after a warning, are counted there instead of being
 * folded into an action.
 */
#define XL_ACT_OTHER XL_NR_ACTIONS
#define XL_ACT_SLOTS (XL_NR_ACTIONS + 1)

/*
 * Test frame: Ethernet + IPv4 (no options) + UDP, then the xdplab payload at a
 * fixed offset.  Frame sizes are on-wire Ethernet sizes including the 4-byte
 * FCS (the paper's and TRex's convention): a 64-byte frame is 60 bytes of data.
 */
#define XL_FCS_LEN 4
#define XL_MIN_FRAME 64
#define XL_MAX_FRAME 1500
#define XL_HDRS_LEN 42 /* 14 eth + 20 ip + 8 udp */

#define XL_OFF_UDP_SPORT 34
#define XL_OFF_MAGIC 42 /* __u16, network order XL_MAGIC */
#define XL_OFF_GEN 44 /* __u16: generator thread id */
#define XL_OFF_TSTAMP 48 /* __u64: bpf_ktime_get_ns() at send, 0 if not stamped */
#define XL_OFF_SEQ 56 /* __u32: per-generator-thread sequence number */
#define XL_PAYLOAD_END 60 /* everything above fits a 64-byte frame */
/* Headers + magic (+ the generator id, rewritten after): what the generator copies per frame. */
#define XL_TMPL_WORDS 6

/*
 * TCP test frames (proto = tcp) keep the same offsets: the TCP ports sit where
 * UDP's do, the magic and the generator id fill the acknowledgement number,
 * the sequence number lies in the payload (from 54).  The timestamp would
 * cover the window and the checksum, so TCP frames are never time-stamped.
 */
#define XL_TCP_HDRS_LEN 54 /* 14 eth + 20 ip + 20 tcp */
#define XL_OFF_TCP_CSUM 50
/* IPv4 header checksum and destination address (varied with dst_addrs). */
#define XL_OFF_IP_CSUM 24
#define XL_OFF_IP_SADDR 26
#define XL_OFF_IP_DADDR 30
#define XL_GEN_MAX_ADDRS 65536
/* The generator relay sends at most this many copies of each frame (xdp_relay.bpf.c). */
#define XL_RELAY_MAX_COPIES 16
#define XL_TCP_FLAGS 0x18 /* PSH|ACK: a data segment of an established connection */

/*
 * Replay (pcap = FILE): the generator sends these frames in turn instead of
 * the template.  Frames are Ethernet without FCS, padded to XL_PAYLOAD_END
 * bytes like a NIC pads short frames.
 */
#define XL_REPLAY_MAX_LEN 1514
#define XL_REPLAY_MAX_FRAMES 4096

struct xl_replay_frame {
	__u32 len;
	__u8 data[XL_REPLAY_MAX_LEN];
};

#define XL_MAGIC 0x584c /* "XL" */
#define XL_UDP_DPORT 9 /* discard */
#define XL_UDP_SPORT_BASE 10000

/*
 * Per-CPU state of the generator program.  User space sets `limit` (frames to
 * send in all, 0 = no limit) before a run and reads `sent`; next_ps is the
 * pacing deadline in picoseconds of CLOCK_MONOTONIC (0 = start at the first
 * run), `idle` counts the runs that sent nothing because no frame was due.
 */
struct xl_gen_state {
	__u64 seq;
	__u32 flow;
	__u32 addr; /* next of the cfg_naddrs destination addresses */
	__u32 src; /* next of the cfg_nsrcs source addresses */
	__u32 pad;
	__u64 next_ps;
	__u64 limit;
	__u64 sent;
	__u64 idle;
	__u64 first_ns, last_ns; /* paced runs: clock at the first and the last frame sent */
};

#endif /* XDPLAB_H */
