// SPDX-License-Identifier: GPL-2.0
/*
 * maglev.c - build a Maglev lookup table.  Each backend gets a permutation of
 * the m slots from two hashes of its key, offset = h1 mod m and skip =
 * h2 mod (m - 1) + 1 (slot j of the permutation is offset + j * skip mod m;
 * m prime makes it a full permutation).  Backends then take turns, each
 * claiming the next slot of its permutation that is still free, until the
 * table is full: one slot per backend per round, hence floor(m/n) or
 * ceil(m/n) slots each.  Cost is O(m log m) expected probes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "maglev.h"
#include "xl_lb.h"

/* Two independent hashes of a key: the LB's mixer under two seeds. */
#define MAGLEV_SEED_OFFSET 0x6d61676cu
#define MAGLEV_SEED_SKIP 0x65763031u

struct probe {
	uint32_t pos; /* the backend's current slot in its permutation */
	uint32_t skip;
};

bool xl_is_prime(uint32_t m)
{
	if (m < 2)
		return false;
	for (uint32_t d = 2; (uint64_t)d * d <= m; d++)
		if (m % d == 0)
			return false;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* 1 if two keys are equal, 0 if not, -ENOMEM. */
static int has_duplicates(const uint32_t *keys, uint32_t n)
{
	uint32_t *sorted = malloc(n * sizeof(*sorted));
	int dup = 0;

	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, keys, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	for (uint32_t i = 1; i < n && !dup; i++)
		dup = sorted[i] == sorted[i - 1];
	free(sorted);
	return dup;
}

int xl_maglev_build(const uint32_t *keys, uint32_t n, uint32_t m, uint32_t *table)
{
	struct probe *p;
	uint32_t filled = 0;
	int dup;

	if (!n || m <= n || !xl_is_prime(m))
		return -EINVAL;
	dup = has_duplicates(keys, n);
	if (dup)
		return dup < 0 ? dup : -EINVAL;
	p = calloc(n, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		p[i].pos = xl_lb_mix32(xl_lb_mix32(keys[i]) ^ MAGLEV_SEED_OFFSET) % m;
		p[i].skip = xl_lb_mix32(xl_lb_mix32(keys[i]) ^ MAGLEV_SEED_SKIP) % (m - 1) + 1;
	}
	memset(table, 0xff, (size_t)m * sizeof(*table));
	while (filled < m) {
		for (uint32_t i = 0; i < n && filled < m; i++) {
			/* Terminates: the permutation visits every slot, and one is free. */
			while (table[p[i].pos] != UINT32_MAX)
				p[i].pos = (uint32_t)(((uint64_t)p[i].pos + p[i].skip) % m);
			table[p[i].pos] = i;
			filled++;
		}
	}
	free(p);
	return 0;
}
