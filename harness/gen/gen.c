// SPDX-License-Identifier: GPL-2.0
/* gen.c - the registry of generator backends and the calls common to all of them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "xl_err.h"

#define XL_MAX_BACKENDS 8

static const struct xl_gen_ops *backends[XL_MAX_BACKENDS + 1];
static int nbackends;

void xl_gen_register(const struct xl_gen_ops *ops)
{
	/* Kept sorted by name, so listings do not depend on start-up order. */
	int i = nbackends;

	if (nbackends == XL_MAX_BACKENDS)
		return;
	while (i > 0 && strcmp(backends[i - 1]->name, ops->name) > 0) {
		backends[i] = backends[i - 1];
		i--;
	}
	backends[i] = ops;
	nbackends++;
}

const struct xl_gen_ops *xl_gen_find(const char *name)
{
	for (int i = 0; backends[i]; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

bool xl_gen_owns_port(const struct xl_gen_ops *o, const char *backend_opts)
{
	return o->owns_port && o->owns_port(backend_opts);
}

bool xl_gen_claims_run_key(const char *key)
{
	for (int i = 0; backends[i]; i++)
		if (backends[i]->run_key && !strcmp(backends[i]->run_key, key))
			return true;
	return false;
}

void xl_gen_list(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; backends[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "", backends[i]->name);
}

int xl_gen_probe(const char *name, char *why, size_t len)
{
	const struct xl_gen_ops *ops = xl_gen_find(name);

	if (!ops) {
		snprintf(why, len, "not in this build");
		return -ENOENT;
	}
	return ops->probe ? ops->probe(why, len) : 0;
}

const char *xl_gen_resolve(const char *name, char *why, size_t len)
{
	static const char *const order[] = { "livefr", "dpdk" };
	size_t off = 0;

	if (why && len)
		why[0] = 0;
	if (strcmp(name, XL_GEN_AUTO))
		return name;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct xl_gen_ops *ops = xl_gen_find(order[i]);
		char reason[160] = "not in this build";

		if (ops && (!ops->probe || !ops->probe(reason, sizeof(reason))))
			return ops->name;
		if (why && off < len)
			off += snprintf(why + off, len - off, "%s%s: %s", off ? "; " : "", order[i],
					reason);
	}
	return NULL;
}

struct xl_gen *xl_gen_open(const char *backend, const struct xl_gen_cfg *cfg)
{
	const struct xl_gen_ops *ops;
	struct xl_gen *g;
	char names[128], why[256];
	const char *name = xl_gen_resolve(backend, why, sizeof(why));

	if (!name) {
		xl_fail(XL_EXIT_ENV, "no generator backend can run here (%s)", why);
		return NULL;
	}
	backend = name;
	ops = xl_gen_find(backend);

	if (!ops) {
		xl_gen_list(names, sizeof(names));
		xl_fail(XL_EXIT_USAGE, "unknown generator backend '%s' (available: %s)", backend,
			names);
		return NULL;
	}
	if (cfg->nthreads < 1 || cfg->nthreads > XL_MAX_THREADS) {
		xl_fail(XL_EXIT_USAGE, "generator threads must be 1..%d", XL_MAX_THREADS);
		return NULL;
	}
	if (cfg->rate_pps < 0) {
		xl_fail(XL_EXIT_USAGE, "rate must be positive (0 = maximum)");
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->ops = ops;
	g->cfg = *cfg;
	g->cfg.copies = cfg->copies > 1 ? cfg->copies : 1;
	g->cfg.rate_pps = cfg->rate_pps / g->cfg.copies;
	g->cfg.count = (cfg->count + g->cfg.copies - 1) / g->cfg.copies;
	if (ops->open(g)) {
		ops->close(g);
		free(g);
		return NULL;
	}
	return g;
}

void xl_gen_close(struct xl_gen *g)
{
	if (!g)
		return;
	g->ops->stop(g);
	g->ops->close(g);
	free(g);
}

int xl_gen_sent(struct xl_gen *g, uint64_t *frames)
{
	int err = g->ops->sent(g, frames);

	if (!err)
		*frames *= g->cfg.copies;
	return err;
}

bool xl_gen_lost(struct xl_gen *g, char *why, size_t len)
{
	if (len)
		why[0] = 0;
	return g && g->ops->lost && g->ops->lost(g, why, len);
}
