// SPDX-License-Identifier: GPL-2.0
/*
 * routes.c - generate the synthetic BGP-like table.  For each prefix length
 * the mix asks for a fixed count; prefixes of that length are drawn uniformly
 * from the routable space (a splitmix64 stream, so a seed gives the same
 * table on every machine), redrawn if they overlap a forbidden range or were
 * drawn before (one bitmap of 2^len bits per length: 4 MiB in all up to /24).
 * Prefixes of different lengths may nest, as more-specifics do in the real
 * table.  The result is sorted, which also makes `ip -batch` files diffable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "routes.h"

/*
 * Prefix-length mix of the IPv4 default-free zone at the end of 2018, when the
 * paper's dump was taken (about 750k-760k entries; /24s about 59%, then /22,
 * /23, /21 and /20; nothing longer than /24, which operators filter).
 * Sources: G. Huston, "BGP in 2018 - Part 1: The BGP Table", ISP Column,
 * January 2019 (https://www.potaroo.net/ispcol/2019-01/bgp2018-part1.html)
 * and the per-length series behind it (bgp.potaroo.net, AS65000 view);
 * S. Strowes, "Visibility of IPv4 and IPv6 Prefix Lengths in 2019", RIPE Labs
 * (RIS snapshot of 31 January 2019).  The shares are rounded readings of
 * those distributions, not one day's exact counts: check them against the
 * potaroo data before quoting a per-length number.  Parts per million:
 */
const struct xl_prefix_share xl_bgp_mix[] = {
	{ 8, 20 },     { 9, 17 },     { 10, 49 },     { 11, 133 },   { 12, 385 },    { 13, 760 },
	{ 14, 1530 },  { 15, 2590 },  { 16, 17500 },  { 17, 10500 }, { 18, 17500 },  { 19, 32500 },
	{ 20, 54000 }, { 21, 61000 }, { 22, 123000 }, { 23, 90000 }, { 24, 588516 },
};
const size_t xl_bgp_mix_len = sizeof(xl_bgp_mix) / sizeof(xl_bgp_mix[0]);

/*
 * Never routed: this host, private, loopback, link-local, the three
 * documentation nets (the testbed's own addresses come from there, so a
 * synthetic route can never shadow them), and multicast + reserved (224/3).
 */
static const struct {
	uint32_t addr;
	uint8_t len;
} forbidden[] = {
	{ 0x00000000, 8 },  { 0x0a000000, 8 },	{ 0x7f000000, 8 },  { 0xa9fe0000, 16 },
	{ 0xac100000, 12 }, { 0xc0a80000, 16 }, { 0xc0000200, 24 }, { 0xc6336400, 24 },
	{ 0xcb007100, 24 }, { 0xe0000000, 3 },
};

#define MIX_MIN_LEN 8
#define MIX_MAX_LEN 24

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t mask_of(uint8_t len)
{
	return len ? ~0u << (32 - len) : 0;
}

bool xl_routes_forbidden(uint32_t addr, uint8_t len)
{
	for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		uint8_t l = len < forbidden[i].len ? len : forbidden[i].len;

		/* Two prefixes overlap iff they agree on the shorter one's bits. */
		if (!((addr ^ forbidden[i].addr) & mask_of(l)))
			return true;
	}
	return false;
}

size_t xl_routes_target(size_t n, uint8_t len)
{
	size_t count[MIX_MAX_LEN + 1] = { 0 }, used = 0;
	uint64_t rem[MIX_MAX_LEN + 1] = { 0 };

	for (size_t i = 0; i < xl_bgp_mix_len; i++) {
		uint64_t exact = (uint64_t)n * xl_bgp_mix[i].ppm;

		count[xl_bgp_mix[i].len] = exact / 1000000;
		rem[xl_bgp_mix[i].len] = exact % 1000000;
		used += exact / 1000000;
	}
	/* Largest remainder: the routes lost to rounding go to the largest fractions. */
	while (used < n) {
		uint8_t best = MIX_MIN_LEN;

		for (uint8_t l = MIX_MIN_LEN; l <= MIX_MAX_LEN; l++)
			if (rem[l] > rem[best])
				best = l;
		count[best]++;
		rem[best] = 0;
		used++;
	}
	return len <= MIX_MAX_LEN ? count[len] : 0;
}

static int cmp_route(const void *a, const void *b)
{
	const struct xl_route *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/* Draw count distinct allowed prefixes of length len into out. */
static int draw_length(uint8_t len, size_t count, uint64_t *rng, struct xl_route *out)
{
	size_t words = ((size_t)1 << len) / 64 + 1, got = 0;
	uint64_t *seen = calloc(words, sizeof(*seen));
	/* A generous cap: a draw is rejected mostly when the length is nearly full. */
	uint64_t tries = 0, max_tries = 64 * (uint64_t)count + 1000000;

	if (!seen)
		return -ENOMEM;
	while (got < count && tries++ < max_tries) {
		uint32_t addr = (uint32_t)(splitmix64(rng) >> 32) & mask_of(len);
		size_t idx = addr >> (32 - len);

		if (seen[idx / 64] & (1ull << (idx % 64)) || xl_routes_forbidden(addr, len))
			continue;
		seen[idx / 64] |= 1ull << (idx % 64);
		out[got].addr = addr;
		out[got].len = len;
		got++;
	}
	free(seen);
	return got == count ? 0 : -ENOSPC;
}

int xl_routes_generate(size_t n, uint64_t seed, struct xl_route_table *t)
{
	uint64_t rng = seed;
	size_t at = 0;
	int err;

	t->n = 0;
	t->r = calloc(n ? n : 1, sizeof(*t->r));
	if (!t->r)
		return -ENOMEM;
	for (size_t i = 0; i < xl_bgp_mix_len; i++) {
		size_t count = xl_routes_target(n, xl_bgp_mix[i].len);

		err = draw_length(xl_bgp_mix[i].len, count, &rng, t->r + at);
		if (err) {
			xl_routes_free(t);
			return err;
		}
		at += count;
	}
	t->n = at;
	qsort(t->r, t->n, sizeof(*t->r), cmp_route);
	return 0;
}

void xl_routes_free(struct xl_route_table *t)
{
	free(t->r);
	t->r = NULL;
	t->n = 0;
}

int xl_routes_pick_dests(const struct xl_route_table *t, size_t k, uint64_t seed, uint32_t *out)
{
	uint64_t *taken, rng = seed;
	size_t got = 0;

	if (k > t->n)
		return -EINVAL;
	taken = calloc(t->n / 64 + 1, sizeof(*taken));
	if (!taken)
		return -ENOMEM;
	while (got < k) {
		size_t i = splitmix64(&rng) % t->n;
		uint32_t hosts = ~mask_of(t->r[i].len), host;

		if (taken[i / 64] & (1ull << (i % 64)))
			continue;
		taken[i / 64] |= 1ull << (i % 64);
		/* Not the network or broadcast address of prefixes that have both (<= /30). */
		host = t->r[i].len <= 30 ? 1 + splitmix64(&rng) % (hosts - 1)
					 : splitmix64(&rng) & hosts;
		out[got++] = t->r[i].addr | host;
	}
	free(taken);
	return 0;
}
