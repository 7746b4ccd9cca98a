/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maglev.h - Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and
 * Reliable Software Network Load Balancer", NSDI 2016, §3.4): the lookup
 * table that maps M hash slots onto N backends, for the XDP load balancer.
 */
#ifndef XL_MAGLEV_H
#define XL_MAGLEV_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Fill table[0..m) with indexes into keys[0..n).  keys identify the backends
 * (the LB uses each real's IPv4 address) and must be distinct: a backend's
 * permutation depends on its key only, never on its position, which is what
 * keeps most slots in place when another backend is added or removed.  m must
 * be a prime larger than n.  Every backend ends with floor(m/n) or ceil(m/n)
 * slots.  Returns 0, -EINVAL (n = 0, m not prime or <= n, duplicate keys) or
 * -ENOMEM.
 */
int xl_maglev_build(const uint32_t *keys, uint32_t n, uint32_t m, uint32_t *table);

bool xl_is_prime(uint32_t m);

#endif
