// SPDX-License-Identifier: GPL-2.0
/*
 * lb_check.c - read and reset the checking sink's maps.  The two hash maps
 * are walked with batched lookups (a few syscalls for 65,536 flows, where
 * get_next_key would take two per entry) and emptied with batched
 * lookup-and-delete; the per-CPU values are summed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xl_lbcheck.h"
#include "lb_check.h"

#define BATCH 4096

struct chk_maps {
	int cnt, flows, reals;
	int ncpu; /* values per key of the per-CPU maps */
};

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

static int maps_find(struct bpf_object *obj, struct chk_maps *m)
{
	m->cnt = map_fd(obj, "xl_lbchk_cnt");
	m->flows = map_fd(obj, "xl_lbchk_flows");
	m->reals = map_fd(obj, "xl_lbchk_reals");
	m->ncpu = libbpf_num_possible_cpus();
	if (m->ncpu < 0)
		return m->ncpu;
	return m->cnt < 0 || m->flows < 0 || m->reals < 0 ? -ENOENT : 0;
}

/* The counters summed over CPUs into *sum, or (sum NULL) set to zero on every CPU. */
static int counters(const struct chk_maps *m, struct xl_lbchk_counters *sum)
{
	struct xl_lbchk_counters *c = calloc(m->ncpu, sizeof(*c));
	uint32_t zero = 0;
	int err;

	if (!c)
		return -ENOMEM;
	if (sum)
		err = bpf_map_lookup_elem(m->cnt, &zero, c) ? -errno : 0;
	else
		err = bpf_map_update_elem(m->cnt, &zero, c, BPF_ANY) ? -errno : 0;
	for (int i = 0; sum && !err && i < m->ncpu; i++) {
		sum->ipip += c[i].ipip;
		sum->plain += c[i].plain;
		sum->other += c[i].other;
		sum->malformed += c[i].malformed;
		sum->moved += c[i].moved;
		sum->untracked += c[i].untracked;
	}
	free(c);
	return err;
}

/*
 * Walk a hash map in batches of vsize-byte values (all CPUs' for a per-CPU
 * map), calling fn(keys, values, count, ctx) per batch; del empties the map
 * on the way.  0, fn's non-zero return, or -errno.
 */
static int walk(int fd, size_t ksize, size_t vsize, bool del,
		int (*fn)(const void *keys, const void *vals, uint32_t n, void *ctx), void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint64_t token[2]; /* the kernel's batch position: a bucket index, at most a key */
	void *keys = calloc(BATCH, ksize), *vals = calloc(BATCH, vsize), *in = NULL;
	int err = 0, done = 0;

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	while (!done && !err) {
		uint32_t count = BATCH;

		err = del ? bpf_map_lookup_and_delete_batch(fd, in, token, keys, vals, &count,
							    &opts)
			  : bpf_map_lookup_batch(fd, in, token, keys, vals, &count, &opts);
		if (err) {
			if (errno != ENOENT) { /* ENOENT: this was the last batch */
				err = -errno;
				break;
			}
			err = 0;
			done = 1;
		}
		in = token;
		if (count && fn)
			err = fn(keys, vals, count, ctx);
	}
out:
	free(keys);
	free(vals);
	return err;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct flow_reals {
	uint32_t *real; /* each flow's first real */
	uint32_t n;
};

static int collect_flows(const void *keys, const void *vals, uint32_t n, void *ctx)
{
	struct flow_reals *fr = ctx;
	uint32_t *more = realloc(fr->real, (fr->n + n) * sizeof(*more));

	(void)keys;
	if (!more)
		return -ENOMEM;
	fr->real = more;
	memcpy(fr->real + fr->n, vals, n * sizeof(*more));
	fr->n += n;
	return 0;
}

/* Flows per real from the flows' reals (sorted here): distinct reals, min, max, median. */
static int spread(struct flow_reals *fr, struct xl_lbchk_result *r)
{
	uint32_t *per = calloc(fr->n ? fr->n : 1, sizeof(*per)), k = 0;

	if (!per)
		return -ENOMEM;
	qsort(fr->real, fr->n, sizeof(*fr->real), cmp_u32);
	for (uint32_t i = 0; i < fr->n; i++) {
		if (i && fr->real[i] == fr->real[i - 1])
			per[k - 1]++;
		else
			per[k++] = 1;
	}
	qsort(per, k, sizeof(*per), cmp_u32);
	r->reals_hit = k;
	if (k) {
		r->flows_per_real_min = per[0];
		r->flows_per_real_max = per[k - 1];
		r->flows_per_real_median = k % 2 ? per[k / 2] : (per[k / 2 - 1] + per[k / 2]) / 2.0;
	}
	free(per);
	return 0;
}

int xl_lbchk_read(struct bpf_object *obj, struct xl_lbchk_result *r)
{
	struct xl_lbchk_counters c = {};
	struct flow_reals fr = {};
	struct chk_maps m;
	int err;

	memset(r, 0, sizeof(*r));
	err = maps_find(obj, &m);
	err = err ?: counters(&m, &c);
	if (err)
		return err;
	r->ipip = c.ipip;
	r->plain = c.plain;
	r->other = c.other;
	r->malformed = c.malformed;
	r->moved = c.moved;
	r->untracked = c.untracked;
	err = walk(m.flows, sizeof(struct xl_lbchk_flow), sizeof(uint32_t), false, collect_flows,
		   &fr);
	if (!err) {
		r->flows = fr.n;
		err = spread(&fr, r);
	}
	free(fr.real);
	return err;
}

struct real_walk {
	int (*fn)(uint32_t real, uint64_t frames, void *ctx);
	void *ctx;
	int ncpu;
};

static int each_real(const void *keys, const void *vals, uint32_t n, void *ctx)
{
	const struct real_walk *w = ctx;
	const uint32_t *real = keys;
	const uint64_t *frames = vals; /* ncpu values per real */

	for (uint32_t i = 0; i < n; i++) {
		uint64_t sum = 0;
		int err;

		for (int c = 0; c < w->ncpu; c++)
			sum += frames[(size_t)i * w->ncpu + c];
		err = w->fn(real[i], sum, w->ctx);
		if (err)
			return err;
	}
	return 0;
}

int xl_lbchk_foreach_real(struct bpf_object *obj,
			  int (*fn)(uint32_t real, uint64_t frames, void *ctx), void *ctx)
{
	struct real_walk w = { .fn = fn, .ctx = ctx };
	struct chk_maps m;
	int err = maps_find(obj, &m);

	if (err)
		return err;
	w.ncpu = m.ncpu;
	return walk(m.reals, sizeof(uint32_t), m.ncpu * sizeof(uint64_t), false, each_real, &w);
}

int xl_lbchk_reset(struct bpf_object *obj)
{
	struct chk_maps m;
	int err = maps_find(obj, &m);

	err = err ?: counters(&m, NULL);
	err = err
		      ?: walk(m.flows, sizeof(struct xl_lbchk_flow), sizeof(uint32_t), true, NULL,
			      NULL);
	return err ?: walk(m.reals, sizeof(uint32_t), m.ncpu * sizeof(uint64_t), true, NULL, NULL);
}
