/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ethtool_xdp.h - the XDP verdict counters some drivers keep per receive
 * queue and export as ethtool statistics (`ethtool -S`), summed over queues
 * and mapped to actions.  Read with the ETHTOOL_GSTATS ioctl from inside the
 * port's namespace.  Only drivers in the table of ethtool_xdp.c are
 * understood (veth today); any other returns -EOPNOTSUPP.
 *
 * The counters move only for native XDP: in generic mode the driver never
 * sees a verdict (veth still counts the frames its NAPI handles when GRO is
 * on), so callers use them only with a program attached in native mode.
 */
#ifndef XL_ETHTOOL_XDP_H
#define XL_ETHTOOL_XDP_H

#include "xdplab.h"

struct xl_ethtool_xdp {
	/*
	 * Frames per action.  Drivers do not count bytes per action, so bytes
	 * are 0; and they do not tell XDP_ABORTED (or an out-of-range verdict)
	 * from XDP_DROP: both are under XDP_DROP, XDP_ABORTED stays 0.  XDP_PASS
	 * is what is left of packets once the others are taken away.
	 */
	struct xl_datarec act[XL_NR_ACTIONS];
	/* Frames the driver ran the program on, and their bytes as it counts
	 * them (veth: without the Ethernet header for frames that came as skbs). */
	__u64 packets, bytes;
	/*
	 * XDP_TX or XDP_REDIRECT verdicts the driver could not carry out at once
	 * and counted in no action (veth's rx_queue_N_drops).  An XDP_TX that
	 * fails later, when the queue is flushed, is still under XDP_TX.
	 */
	__u64 errors;
	unsigned int queues;
	char driver[32];
};

/* Totals since the device was created: 0, -EOPNOTSUPP, or another -errno. */
int xl_ethtool_xdp_read(const char *ns, const char *ifname, struct xl_ethtool_xdp *out);

#endif
