/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netns.h - run a piece of work inside a named network namespace (the
 * /run/netns/NAME files that `ip netns` manages).  setns() moves only the calling
 * thread, so entering and leaving are paired around each operation; interface
 * indexes, netlink sockets and bpf_link attachments are resolved in whatever
 * namespace the thread is in at that moment.  A NULL or empty name means
 * "the namespace the process started in".
 */
#ifndef XL_NETNS_H
#define XL_NETNS_H

#include <stdbool.h>
#include <linux/if_link.h>

/* Enter ns; *saved receives a handle for xl_ns_leave().  -ENOENT if absent. */
int xl_ns_enter(const char *ns, int *saved);
int xl_ns_leave(int saved);
int xl_ns_exists(const char *ns);
/* ifindex of ifname inside ns, -ENODEV if absent, -ENOENT if ns absent. */
int xl_ns_ifindex(const char *ns, const char *ifname);
/* Read 64-bit interface statistics through rtnetlink. */
int xl_ns_link_stats(const char *ns, int ifindex, struct rtnl_link_stats64 *st);
/*
 * Operational state (up = IF_OPER_UP), administrative state (IFF_UP) and carrier
 * changes since creation, through rtnetlink.
 */
struct xl_link_state {
	bool up, admin_up;
	unsigned int carrier_changes;
};
int xl_ns_link_state(const char *ns, int ifindex, struct xl_link_state *ls);
/* Driver name as ethtool reports it ("veth", "mlx5_core"). */
int xl_ns_driver(const char *ns, const char *ifname, char *buf, int len);
int xl_ns_mtu(const char *ns, const char *ifname);
/* Generic receive offload: 1 on, 0 off, or -errno (legacy ethtool GGRO/SGRO ioctls). */
int xl_ns_gro(const char *ns, const char *ifname);
int xl_ns_set_gro(const char *ns, const char *ifname, bool on);
/*
 * Effective IPv4 reverse-path filtering on ifname: the larger of
 * net.ipv4.conf.all and net.ipv4.conf.IF .rp_filter (0 off, 1 strict, 2
 * loose), or -1 if neither can be read.
 */
int xl_ns_rp_filter(const char *ns, const char *ifname);
/* TCP segmentation offload: 1 on, 0 off, or -errno. */
int xl_ns_tso(const char *ns, const char *ifname);
int xl_ns_mac(const char *ns, const char *ifname, unsigned char mac[6]);

#endif
