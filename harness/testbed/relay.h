/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay.h - the generator's relay on xdplab's veth testbed (progs/xdp_relay.bpf.c):
 * a veth pair gen-tx -- gen-relay in the generator's namespace, with gen-relay
 * redirecting every frame out of the generator port.  An skb generator (DPDK,
 * pktgen) sends on gen-tx; dut-in then receives XDP frames, as from the
 * live-frames generator, and the generator port itself stays free for a sink
 * (XDP_TX systems).  The namespace's deletion removes the pair; the program is
 * a bpf_link of this process.
 */
#ifndef XL_RELAY_H
#define XL_RELAY_H

#include "testbed.h"

#define XL_RELAY_TX "gen-tx"
#define XL_RELAY_RX "gen-relay"

/* Make the pair and attach the relay; tb->gen_tx names the generator's port. */
int xl_testbed_relay_up(struct xl_testbed *tb);
void xl_testbed_relay_down(struct xl_testbed *tb);

#endif
