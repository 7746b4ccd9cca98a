// SPDX-License-Identifier: GPL-2.0
/* context.c - collect the provenance block (machine, versions, command). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "context.h"
#include "util.h"

#ifndef XL_GIT_COMMIT
#define XL_GIT_COMMIT "unknown"
#endif
#ifndef XL_VERSION
#define XL_VERSION "0.1"
#endif

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *v = strchr(line, ':');

			if (v) {
				v += 1 + (v[1] == ' ');
				v[strcspn(v, "\n")] = 0;
				snprintf(buf, len, "%s", v);
			}
			break;
		}
	}
	fclose(f);
}

/* Version of a tool's Debian package, if installed (read from dpkg's status file). */
static void pkg_version(const char *pkg, char *buf, size_t len)
{
	char line[1024], want[128];
	FILE *f = fopen("/var/lib/dpkg/status", "r");
	int in_pkg = 0;

	snprintf(buf, len, "not installed");
	if (!f)
		return;
	snprintf(want, sizeof(want), "Package: %s\n", pkg);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Package: ", 9))
			in_pkg = !strcmp(line, want);
		else if (in_pkg && !strncmp(line, "Version: ", 9)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%s", line + 9);
			break;
		}
	}
	fclose(f);
}

json_object *xl_context_new(int argc, char **argv)
{
	static const char *const pkgs[] = { "libbpf1",	"libxdp1",  "clang-14",	     "dpdk",
					    "iproute2", "iptables", "linux-libc-dev" };
	json_object *o = json_object_new_object(), *ver, *cmd;
	char buf[512], cwd[PATH_MAX];
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	uname(&u);
	add_str(o, "hostname", u.nodename);
	add_str(o, "kernel", u.release);
	add_str(o, "kernel_version", u.version);
	add_str(o, "arch", u.machine);
	cpu_model(buf, sizeof(buf));
	add_str(o, "cpu_model", buf);
	json_object_object_add(o, "cpus_online",
			       json_object_new_int(sysconf(_SC_NPROCESSORS_ONLN)));
	if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "unavailable (VM or no cpufreq)");
	add_str(o, "cpu_governor", buf);
	read_line("/proc/sys/kernel/bpf_stats_enabled", buf, sizeof(buf));
	add_str(o, "bpf_stats_enabled", buf);
	read_line("/proc/sys/net/core/bpf_jit_enable", buf, sizeof(buf));
	add_str(o, "bpf_jit_enable", buf);
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	add_str(o, "started_utc", buf);
	add_str(o, "xdplab_version", XL_VERSION);
	add_str(o, "git_commit", XL_GIT_COMMIT);
	ver = json_object_new_object();
	snprintf(buf, sizeof(buf), "%u.%u", libbpf_major_version(), libbpf_minor_version());
	add_str(ver, "libbpf_runtime", buf);
	add_str(ver, "json-c", json_c_version());
	for (size_t i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
		pkg_version(pkgs[i], buf, sizeof(buf));
		add_str(ver, pkgs[i], buf);
	}
	json_object_object_add(o, "versions", ver);
	cmd = json_object_new_array();
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(o, "command", cmd);
	if (getcwd(cwd, sizeof(cwd)))
		add_str(o, "cwd", cwd);
	return o;
}

int xl_json_write(const char *path, json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
								    JSON_C_TO_STRING_NOSLASHESCAPE);
	char *buf;
	size_t len = strlen(s);
	int err;

	buf = malloc(len + 2);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s, len);
	buf[len] = '\n';
	err = xl_atomic_write(path, buf, len + 1);
	free(buf);
	return err;
}
