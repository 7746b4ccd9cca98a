/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_common.h - selftests-style checks for xdplab's C tests.  Every ASSERT_*
 * names what it checks and prints one "PASS name" or "FAIL name: details" line;
 * tests/run_tests.sh counts those lines.  A test function returns early on the
 * first failed ASSERT (like test_progs), and main() returns non-zero if
 * anything failed.  SKIP lines are reported as skipped, never as passed.
 */
#ifndef XL_TEST_COMMON_H
#define XL_TEST_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int xl_test_failed;

#define XL_CHECK(cond, name, fmt, ...)                                                      \
	({                                                                                  \
		int ___ok = !!(cond);                                                       \
		if (___ok)                                                                  \
			printf("PASS %s\n", name);                                          \
		else {                                                                      \
			printf("FAIL %s: " fmt " (%s:%d)\n", name, ##__VA_ARGS__, __FILE__, \
			       __LINE__);                                                   \
			xl_test_failed = 1;                                                 \
		}                                                                           \
		fflush(stdout);                                                             \
		___ok;                                                                      \
	})

#define ASSERT_EQ(a, b, name)                                                             \
	({                                                                                \
		long long ___a = (a), ___b = (b);                                         \
		XL_CHECK(___a == ___b, name, "%s = %lld, expected %lld", #a, ___a, ___b); \
	})
#define ASSERT_NEQ(a, b, name)                                                               \
	({                                                                                   \
		long long ___a = (a), ___b = (b);                                            \
		XL_CHECK(___a != ___b, name, "%s = %lld, expected != %lld", #a, ___a, ___b); \
	})
#define ASSERT_GT(a, b, name)                                                              \
	({                                                                                 \
		long long ___a = (a), ___b = (b);                                          \
		XL_CHECK(___a > ___b, name, "%s = %lld, expected > %lld", #a, ___a, ___b); \
	})
#define ASSERT_GE(a, b, name)                                                                \
	({                                                                                   \
		long long ___a = (a), ___b = (b);                                            \
		XL_CHECK(___a >= ___b, name, "%s = %lld, expected >= %lld", #a, ___a, ___b); \
	})
#define ASSERT_LE(a, b, name)                                                                \
	({                                                                                   \
		long long ___a = (a), ___b = (b);                                            \
		XL_CHECK(___a <= ___b, name, "%s = %lld, expected <= %lld", #a, ___a, ___b); \
	})
#define ASSERT_OK(err, name) XL_CHECK(!(err), name, "%s returned %d", #err, (int)(err))
#define ASSERT_TRUE(c, name) XL_CHECK((c), name, "%s is false", #c)
#define ASSERT_MEMEQ(a, b, len, name) \
	XL_CHECK(!memcmp((a), (b), (len)), name, "%s differs from %s", #a, #b)
#define ASSERT_NEAR(a, b, tol, name)                                          \
	({                                                                    \
		double ___a = (a), ___b = (b), ___t = (tol);                  \
		XL_CHECK(___a >= ___b - ___t && ___a <= ___b + ___t, name,    \
			 "%s = %g, expected %g +- %g", #a, ___a, ___b, ___t); \
	})

#define TEST_SKIP(name, why) printf("SKIP %s: %s\n", name, why)

/*
 * Delete the namespaces "<prefix><pid>-*" of earlier runs of a test whose
 * process is gone (a test killed before its cleanup ran).
 */
static inline void xl_test_sweep_netns(const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir("/run/netns");
	size_t len = strlen(prefix);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char cmd[320];
		long pid;

		if (strncmp(de->d_name, prefix, len) || sscanf(de->d_name + len, "%ld-", &pid) != 1)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(cmd, sizeof(cmd), "ip netns del '%s' 2>/dev/null", de->d_name);
		if (system(cmd) != 0)
			fprintf(stderr, "warning: cannot delete stale namespace %s\n", de->d_name);
	}
	closedir(d);
}

/*
 * A log that every DPDK process writes must exist, hold output, and show no PCI
 * probe (xdplab passes --no-pci unless devices are allow-listed).  what names the
 * process in the check names ("testpmd", "eal").
 */
static inline void xl_assert_log_without_pci(const char *path, const char *what)
{
	char line[512], name[96];
	int pci = 0, lines = 0;
	FILE *f = fopen(path, "r");

	snprintf(name, sizeof(name), "%s_log_written", what);
	if (!ASSERT_TRUE(f != NULL, name))
		return;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		pci += strstr(line, "PCI") != NULL;
	}
	fclose(f);
	snprintf(name, sizeof(name), "%s_log_not_empty", what);
	ASSERT_GT(lines, 0, name);
	snprintf(name, sizeof(name), "%s_log_has_no_pci_probe", what);
	ASSERT_EQ(pci, 0, name);
}

#endif
