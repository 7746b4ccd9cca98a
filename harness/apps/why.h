/* SPDX-License-Identifier: GPL-2.0 */
/*
 * why.h - read the xl_why reason counters of the application programs (the
 * per-CPU array declared in progs/xl_why.bpf.h; slot meanings in
 * xl_router.h, xl_ddos.h, xl_lb.h).
 */
#ifndef XL_APPS_WHY_H
#define XL_APPS_WHY_H

#include <stdint.h>

/* Sum of slot over all CPUs into *out; -errno on failure. */
int xl_why_sum(int map_fd, uint32_t slot, uint64_t *out);

#endif
