/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay.h - the generator's relay on xdplab's veth testbed (progs/xdp_relay.bpf.c):
 * a veth pair gen-tx -- gen-relay in the generator's namespace, with gen-relay
 * redirecting every frame out of the generator port.  An skb generator (DPDK,
 * pktgen) sends on gen-tx; dut-in then receives XDP frames, as from the
 * live-frames generator, and the generator port itself stays free for a sink
 * (XDP_TX systems).  The namespace's deletion removes the pair; the program is
 * a bpf_link of this process.
 *
 * Copies: the relay broadcasts each frame to every filled slot of its devmap,
 * all of them the generator port, so one frame the generator paces becomes k
 * back-to-back frames at the DUT (k = 1..XL_RELAY_MAX_COPIES).  The clones cost
 * the generator's core, not the DUT's: measured, XDP_DROP 262 ns/pkt at 0.49
 * Mpps with one copy and 248 at 2.5 Mpps with 16, where one copy tops out at
 * about 0.5 Mpps.  A trial uses the fewest copies its rate needs
 * (xl_relay_copies_for), so low rates stay evenly spaced.
 */
#ifndef XL_RELAY_H
#define XL_RELAY_H

#include "testbed.h"

#define XL_RELAY_TX "gen-tx"
#define XL_RELAY_RX "gen-relay"

/* Make the pair and attach the relay; tb->gen_tx names the generator's port. */
int xl_testbed_relay_up(struct xl_testbed *tb);
void xl_testbed_relay_down(struct xl_testbed *tb);
/* Send every frame `copies` times from now on (1..XL_RELAY_MAX_COPIES). */
int xl_testbed_relay_copies(const struct xl_testbed *tb, unsigned int copies);
/*
 * The copies a trial at rate_pps uses: 1 without a relay; the most for an
 * unpaced generator (rate 0 or above XL_RELAY_UNPACED); else the fewest that
 * keep the generator's core under XL_RELAY_LOAD busy, by a cost model fitted
 * to the two measured ceilings: a generated frame costs 1 / relay_one_pps,
 * each further copy what the ceiling with the most copies says it adds.  The
 * most copies when none is enough; 1 while the ceilings are not measured.
 * A burst of the generator reaches the DUT k times larger (the DPDK generator
 * therefore sends at most 8 frames per burst through the relay, gen_dpdk.c).
 */
#define XL_RELAY_UNPACED 1e9
#define XL_RELAY_LOAD 0.5
unsigned int xl_relay_copies_for(const struct xl_testbed *tb, double rate_pps);

#endif
