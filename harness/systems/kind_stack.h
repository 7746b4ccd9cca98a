/* SPDX-License-Identifier: GPL-2.0 */
/* kind_stack.h - the stack kind's settings, shared with kinds that build on it. */
#ifndef XL_KIND_STACK_H
#define XL_KIND_STACK_H

#include "system.h"

#define XL_STACK_KEYS "iptables", "iptables.*", "sysctl", "sink", "lb"

/* Apply the entry's iptables rules and sysctls in the DUT namespace, kept for undo. */
int xl_stack_apply(struct xl_system *s);

#endif
