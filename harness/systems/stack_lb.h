/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stack_lb.h - a stack system's load balancer (setting lb = auto | nft | ipvs),
 * applied from the experiment's plan in the DUT's namespace (stack_lb.c).
 */
#ifndef XL_STACK_LB_H
#define XL_STACK_LB_H

#include "system.h"

/* Config time: is the lb setting one of auto, nft, ipvs?  xl_fail on error. */
int xl_stack_lb_check(const struct xl_sys_entry *e);
/* Build it for a trial (recorded for undo); *used says which (NULL: no lb setting). */
int xl_stack_lb_apply(struct xl_system *s, const char **used);

#endif
