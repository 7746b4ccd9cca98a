// SPDX-License-Identifier: GPL-2.0
/*
 * remote_sink.c - a trial's sink on another host (remote.h): attached on the
 * role's port there by the agent for the trial's life, its counters read with
 * the generator's (gen_remote.c), and its latency histogram armed before the
 * counted frames and read after them, or the load balancer's check emptied
 * and read, as trial.c does with a local sink.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include "remote.h"
#include "wire_lbchk.h"
#include "xl_err.h"

#define CALL_MS 10000

static struct xl_ssh *sink_s; /* the session whose agent holds the sink; NULL = none */

int xl_remote_sink_attach(enum xl_role r, const char *kind, bool latency,
			  const struct xl_testbed *tb)
{
	struct xl_ssh *s = xl_remote_session(r);
	json_object *req;

	if (!s)
		return xl_fail(XL_EXIT_FAIL, "no session with the %s's host", xl_role_name(r));
	req = xl_wire_req("sink");
	json_object_object_add(req, "ifname", json_object_new_string(tb->port[r].ifname));
	json_object_object_add(req, "kind", json_object_new_string(kind ? kind : ""));
	json_object_object_add(req, "latency", json_object_new_boolean(latency));
	json_object_object_add(req, "cpus", xl_wire_ints(tb->gen_cpus, tb->cores));
	if (xl_ssh_call_put(s, req, CALL_MS))
		return -1;
	sink_s = s;
	return 0;
}

void xl_remote_sink_detach(void)
{
	/* A failure is reported; the agent also removes the sink when the session ends. */
	if (sink_s && sink_s->to_fd >= 0)
		xl_ssh_call_put(sink_s, xl_wire_req("sink-off"), CALL_MS);
	sink_s = NULL;
}

int xl_remote_lat_arm(void)
{
	return sink_s ? xl_ssh_call_put(sink_s, xl_wire_req("lat-arm"), CALL_MS) : -ENOENT;
}

int xl_remote_lbchk_reset(void)
{
	return sink_s ? xl_ssh_call_put(sink_s, xl_wire_req("lbchk-reset"), CALL_MS) : -ENOENT;
}

int xl_remote_lbchk_read(struct xl_lbchk_result *r)
{
	json_object *rep;
	int err;

	if (!sink_s)
		return -ENOENT;
	rep = xl_ssh_ask(sink_s, "lbchk-read", CALL_MS);
	if (!rep)
		return -EIO;
	err = xl_wire_lbchk_get(rep, r);
	json_object_put(rep);
	return err;
}

static uint64_t rep_u64(json_object *rep, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(rep, key, &v) ? (uint64_t)json_object_get_int64(v) : 0;
}

int xl_remote_lat_read(struct xl_lat_result *lr)
{
	json_object *rep, *hist;

	if (!sink_s)
		return -ENOENT;
	rep = xl_ssh_ask(sink_s, "lat-read", CALL_MS);
	if (!rep)
		return -EIO;
	memset(lr, 0, sizeof(*lr));
	lr->count = rep_u64(rep, "count");
	lr->sum_ns = rep_u64(rep, "sum_ns");
	lr->min_ns = rep_u64(rep, "min_ns");
	lr->max_ns = rep_u64(rep, "max_ns");
	lr->reordered = rep_u64(rep, "reordered");
	lr->unstamped = rep_u64(rep, "unstamped");
	lr->clock_anomalies = rep_u64(rep, "clock_anomalies");
	/* Sparse: [[bucket, count], ...] for the buckets that are not empty. */
	if (json_object_object_get_ex(rep, "hist", &hist))
		for (size_t i = 0; i < json_object_array_length(hist); i++) {
			json_object *p = json_object_array_get_idx(hist, i);
			int b = json_object_get_int(json_object_array_get_idx(p, 0));

			if (b >= 0 && b < XL_LAT_BUCKETS)
				lr->hist[b] =
					json_object_get_int64(json_object_array_get_idx(p, 1));
		}
	json_object_put(rep);
	return 0;
}
