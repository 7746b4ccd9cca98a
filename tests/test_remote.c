// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote.c - two-host mode without a second host: the agent protocol's
 * framing (lines split and joined across reads, a deadline, the end of input,
 * lines that are no JSON object), the load balancer's check and a capture's
 * frames on the wire, the [host] keys and their errors, the
 * placement rules, and the ssh command line built from a host's settings.
 * tests/test_twohost.sh runs the whole thing over ssh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "test_common.h"
#include "remote/hosts.h"
#include "remote/wire.h"
#include "remote/wire_frames.h"
#include "remote/wire_lbchk.h"
#include "xl_err.h"

static int write_str(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

static int get_int(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : -1;
}

static void test_wire(void)
{
	struct xl_wire w;
	json_object *o = NULL, *req;
	int p[2];

	if (!ASSERT_OK(pipe2(p, O_CLOEXEC), "pipe"))
		return;
	xl_wire_init(&w, p[0]);
	ASSERT_EQ(xl_wire_read(&w, 50, &o), 0, "nothing to read: timeout");
	/* Two lines in one write, then one line in two writes. */
	write_str(p[1], "{\"op\":\"a\",\"n\":1}\n{\"op\":\"b\",\"n\":2}\n{\"op\":");
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), 1, "first of two lines");
	ASSERT_EQ(get_int(o, "n"), 1, "first line's value");
	json_object_put(o);
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), 1, "second line from the same read");
	ASSERT_EQ(get_int(o, "n"), 2, "second line's value");
	json_object_put(o);
	ASSERT_EQ(xl_wire_read(&w, 50, &o), 0, "half a line: timeout");
	write_str(p[1], "\"c\",\"n\":3}\n");
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), 1, "a line in two writes");
	ASSERT_EQ(get_int(o, "n"), 3, "joined line's value");
	json_object_put(o);
	/* Round trip of what xl_wire_write sends, with a string that needs escaping. */
	req = json_object_new_object();
	json_object_object_add(req, "s", json_object_new_string("two\nlines \"quoted\""));
	json_object_object_add(req, "n", json_object_new_int(4));
	ASSERT_OK(xl_wire_write(p[1], req), "write");
	json_object_put(req);
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), 1, "written object read back");
	ASSERT_EQ(get_int(o, "n"), 4, "value read back");
	json_object_put(o);
	write_str(p[1], "[1,2]\nnot json\n");
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), -EPROTO, "an array is no request");
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), -EPROTO, "text is no request");
	close(p[1]);
	ASSERT_EQ(xl_wire_read(&w, 1000, &o), -EPIPE, "end of input");
	xl_wire_free(&w);
	close(p[0]);
}

/* The load balancer's check crosses the wire field by field, and a missing field is caught. */
static void test_wire_lbchk(void)
{
	struct xl_lbchk_result in = { .ipip = 1ull << 40,
				      .plain = 2,
				      .other = 3,
				      .malformed = 4,
				      .moved = 5,
				      .untracked = 6,
				      .flows = 7,
				      .reals_hit = 8,
				      .flows_per_real_min = 9,
				      .flows_per_real_max = 10,
				      .flows_per_real_median = 9.5 },
			       out;
	json_object *rep = json_object_new_object(), *again;

	xl_wire_lbchk_put(rep, &in);
	again = json_tokener_parse(json_object_to_json_string(rep));
	ASSERT_OK(xl_wire_lbchk_get(again, &out), "read back");
	ASSERT_OK(memcmp(&in, &out, sizeof(in)), "every field the same");
	json_object_object_del(again, "moved");
	ASSERT_EQ(xl_wire_lbchk_get(again, &out), -EPROTO, "a missing field: -EPROTO");
	json_object_put(again);
	json_object_put(rep);
}

/* A capture crosses the wire in requests of XL_WIRE_FRAMES_PER_REQ frames, byte for byte. */
static void test_wire_frames(void)
{
	unsigned int n = XL_WIRE_FRAMES_PER_REQ + 7;
	struct xl_frames in = { .n = n, .f = calloc(n, sizeof(*in.f)) }, out = {};
	json_object *req;
	bool same = true;

	if (!ASSERT_TRUE(in.f != NULL, "alloc"))
		return;
	for (unsigned int i = 0; i < n; i++) {
		in.f[i].len = i == 0 ? XL_REPLAY_MAX_LEN : 60 + i % 900;
		for (uint32_t k = 0; k < in.f[i].len; k++)
			in.f[i].data[k] = (uint8_t)(i * 31 + k);
	}
	for (unsigned int i = 0; i < n; i += XL_WIRE_FRAMES_PER_REQ) {
		req = xl_wire_frames_req(&in, i);
		ASSERT_LE(strlen(json_object_to_json_string(req)), (size_t)XL_WIRE_MAX,
			  "a request fits the wire's line");
		ASSERT_OK(xl_wire_frames_take(req, &out), "taken");
		json_object_put(req);
	}
	ASSERT_EQ(out.n, n, "every frame");
	for (unsigned int i = 0; i < n && out.n == n; i++)
		same &= in.f[i].len == out.f[i].len &&
			!memcmp(in.f[i].data, out.f[i].data, in.f[i].len);
	ASSERT_TRUE(same, "byte for byte");
	ASSERT_EQ(out.max_len, XL_REPLAY_MAX_LEN, "statistics kept");
	/* The second request again: out of order. */
	req = xl_wire_frames_req(&in, XL_WIRE_FRAMES_PER_REQ);
	ASSERT_EQ(xl_wire_frames_take(req, &out), -1, "out of order: refused");
	json_object_put(req);
	xl_frames_free(&in);
	xl_frames_free(&out);
}

static void test_host_keys(void)
{
	static const struct {
		const char *key, *value;
	} bad[] = {
		{ "port", "0" },
		{ "port", "65536" },
		{ "ptp", "2" },
		{ "ssh", "-oProxyCommand=x" },
		{ "ssh", "root@host;reboot" },
		{ "xdplab", "/a b/xdplab" },
		{ "xdplab", "$(id)" },
		{ "roles", "dut-in" },
		{ "roles", "nothing" },
		{ "password", "x" },
	};
	struct xl_hosts h = {};
	char err[256];

	ASSERT_OK(xl_hosts_set(&h, "gen", "ssh", "root@192.0.2.10", err, sizeof(err)), "ssh");
	ASSERT_OK(xl_hosts_set(&h, "gen", "port", "2222", err, sizeof(err)), "port");
	ASSERT_OK(xl_hosts_set(&h, "gen", "roles", "generator, sink", err, sizeof(err)), "roles");
	ASSERT_OK(xl_hosts_set(&h, "gen", "ptp", "1", err, sizeof(err)), "ptp");
	ASSERT_EQ(h.n, 1, "one host");
	ASSERT_EQ(h.host[0].port, 2222, "port value");
	ASSERT_TRUE(h.host[0].role[XL_ROLE_GEN] && h.host[0].role[XL_ROLE_SINK], "roles set");
	ASSERT_TRUE(!h.host[0].role[XL_ROLE_DUT_IN], "dut-in stays here");
	ASSERT_TRUE(xl_hosts_of(&h, XL_ROLE_SINK) == &h.host[0], "sink's host");
	ASSERT_TRUE(xl_hosts_of(&h, XL_ROLE_DUT_OUT) == NULL, "dut-out is local");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		XL_CHECK(xl_hosts_set(&h, "gen", bad[i].key, bad[i].value, err, sizeof(err)) < 0 &&
				 err[0],
			 "bad value refused with a message", "%s = %s", bad[i].key, bad[i].value);
	}
	ASSERT_TRUE(xl_hosts_set(&h, "a b", "ssh", "x", err, sizeof(err)) < 0, "bad host name");
	ASSERT_OK(xl_hosts_set(&h, "b", "ssh", "x", err, sizeof(err)), "second host");
	ASSERT_TRUE(xl_hosts_set(&h, "c", "ssh", "x", err, sizeof(err)) < 0, "third host refused");
}

/* xl_hosts_check on a config's hosts, its error silenced and reset. */
static int check_quiet(const struct xl_hosts *h, const char *type)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC), rc;

	dup2(null, 2);
	rc = xl_hosts_check(h, type, "t.ini");
	dup2(saved, 2);
	close(saved);
	close(null);
	xl_reset_error();
	return rc;
}

static void test_placement(void)
{
	struct xl_hosts h = {};
	char err[256];

	xl_hosts_set(&h, "gen", "roles", "generator", err, sizeof(err));
	ASSERT_TRUE(check_quiet(&h, "existing") < 0, "no ssh: refused");
	xl_hosts_set(&h, "gen", "ssh", "root@192.0.2.10", err, sizeof(err));
	ASSERT_OK(check_quiet(&h, "existing"), "generator alone: accepted");
	ASSERT_TRUE(check_quiet(&h, "veth") < 0, "a veth testbed: refused");
	xl_hosts_set(&h, "gen", "roles", "sink", err, sizeof(err));
	ASSERT_TRUE(check_quiet(&h, "existing") < 0, "a sink without the generator: refused");
	xl_hosts_set(&h, "gen", "roles", "generator, sink", err, sizeof(err));
	xl_hosts_set(&h, "other", "ssh", "root@192.0.2.11", err, sizeof(err));
	xl_hosts_set(&h, "other", "roles", "generator", err, sizeof(err));
	ASSERT_TRUE(check_quiet(&h, "existing") < 0, "one role on two hosts: refused");
}

static void test_ssh_argv(void)
{
	struct xl_host host = { .port = 2222 };
	struct xl_ssh_argv a;
	bool batch = false, port = false, known = false;
	int n;

	snprintf(host.ssh, sizeof(host.ssh), "root@192.0.2.10");
	snprintf(host.identity, sizeof(host.identity), "/k/id");
	snprintf(host.known_hosts, sizeof(host.known_hosts), "/k/known");
	n = xl_host_ssh_argv(&host, &a);
	ASSERT_EQ(n, a.n, "count returned");
	ASSERT_TRUE(a.argv[n] == NULL, "NULL-terminated");
	ASSERT_TRUE(!strcmp(a.argv[0], "ssh"), "runs ssh");
	ASSERT_TRUE(!strcmp(a.argv[n - 1], "root@192.0.2.10") && !strcmp(a.argv[n - 2], "--"),
		    "destination last, after --");
	for (int i = 1; i < n - 1; i++) {
		batch |= !strcmp(a.argv[i], "BatchMode=yes");
		port |= !strcmp(a.argv[i], "-p") && !strcmp(a.argv[i + 1], "2222");
		known |= !strcmp(a.argv[i], "UserKnownHostsFile=/k/known");
	}
	ASSERT_TRUE(batch, "never prompts");
	ASSERT_TRUE(port, "port passed");
	ASSERT_TRUE(known, "known_hosts passed");
}

int main(void)
{
	RUN_TEST(test_wire);
	RUN_TEST(test_wire_lbchk);
	RUN_TEST(test_wire_frames);
	RUN_TEST(test_host_keys);
	RUN_TEST(test_placement);
	RUN_TEST(test_ssh_argv);
	return xl_test_failed;
}
