/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb_linux.h - the Linux-stack baseline of the load-balancer plan: IPVS
 * (source hashing, tunnel mode) as ipvsadm commands where the kernel has it,
 * and otherwise an nftables ruleset that DNATs each VIP to one of its reals by
 * a hash of the source address.  Only text and argument vectors are made
 * here; running them (and undoing them) is the caller's.
 */
#ifndef XL_LB_LINUX_H
#define XL_LB_LINUX_H

#include <stdbool.h>
#include "lb_plan.h"

#define XL_LB_NFT_TABLE "xdplab_lb"
#define XL_LB_NFT_SEED 0x584c4221u /* jhash seed: fixed, so a run can be repeated */

/*
 * nftables ruleset text (malloc'd, for `nft -f`) defining table `ip
 * xdplab_lb`: in a nat prerouting chain, per VIP, DNAT of (vip, proto, port)
 * to one of its reals by `jhash ip saddr mod nreals` (source hashing, like
 * IPVS "sh"; the port is kept).  0, -EINVAL (empty plan, protocol other than
 * UDP/TCP) or -ENOMEM.
 */
int xl_lb_nft_ruleset(const struct xl_lb_plan *p, char **text);
/* 1 if the kernel has IPVS (/proc/net/ip_vs exists; no module is loaded), 0 if not. */
int xl_lb_have_ipvs(void);
/*
 * ipvsadm argument vectors for the plan, each NULL-terminated and starting
 * with "ipvsadm" (ready for xl_spawn()).  Forward: per VIP `-A -u VIP:port
 * -s sh` followed by its reals' `-a -u VIP:port -r REAL:port -i` (tunnel
 * mode); inverse: `-D -u VIP:port` per VIP (which removes its reals too).  TCP
 * plans use -t.  Sets *cmds and *n and returns the count, or -EINVAL / -ENOMEM
 * (*cmds NULL, *n 0).  Free with xl_lb_cmds_free().
 */
int xl_lb_ipvs_cmds(const struct xl_lb_plan *p, bool inverse, char ****cmds, int *n);
void xl_lb_cmds_free(char ***cmds, int n);

#endif
