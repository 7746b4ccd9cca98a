/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_common.h - selftests-style checks for xdplab's C tests.  A test case is a
 * function run by RUN_TEST(fn): it prints one "PASS fn", "FAIL fn" or
 * "SKIP fn: why" line, which tests/run_tests.sh counts.  Inside it, every
 * ASSERT_* names what it checks; a failed one prints an indented
 * "  not ok: name: details" line and fails the case (like test_progs, a case
 * usually returns early on its first failed ASSERT).  main() returns non-zero
 * if any case failed.  Skipped is reported as skipped, never as passed.
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

static int xl_test_failed; /* any case failed: main's exit status */
static int xl_case_failed, xl_case_asserts;
static char xl_case_skip[256];

#define XL_CHECK(cond, name, fmt, ...)                                                           \
	({                                                                                       \
		int ___ok = !!(cond);                                                            \
		xl_case_asserts++;                                                               \
		if (!___ok) {                                                                    \
			printf("  not ok: %s: " fmt " (%s:%d)\n", name, ##__VA_ARGS__, __FILE__, \
			       __LINE__);                                                        \
			xl_case_failed = 1;                                                      \
		}                                                                                \
		fflush(stdout);                                                                  \
		___ok;                                                                           \
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

/* Inside a case: the case is reported skipped (unless an ASSERT failed). */
#define TEST_SKIP(why) snprintf(xl_case_skip, sizeof(xl_case_skip), "%s", why)

static inline void xl_case_begin(void)
{
	xl_case_failed = 0;
	xl_case_asserts = 0;
	xl_case_skip[0] = 0;
}

static inline void xl_case_end(const char *name)
{
	if (xl_case_failed) {
		printf("FAIL %s\n", name);
		xl_test_failed = 1;
	} else if (xl_case_skip[0]) {
		printf("SKIP %s: %s\n", name, xl_case_skip);
	} else if (!xl_case_asserts) {
		printf("FAIL %s: checked nothing\n", name);
		xl_test_failed = 1;
	} else {
		printf("PASS %s (%d checks)\n", name, xl_case_asserts);
	}
	fflush(stdout);
}

/* One test case: a function without arguments, or any call under a given name. */
#define RUN_TEST(fn)              \
	do {                      \
		xl_case_begin();  \
		fn();             \
		xl_case_end(#fn); \
	} while (0)
#define RUN_CASE(name, call)       \
	do {                       \
		xl_case_begin();   \
		call;              \
		xl_case_end(name); \
	} while (0)
/* The whole file cannot run here: one SKIP line, exit 0. */
#define SKIP_ALL(name, why)                         \
	do {                                        \
		printf("SKIP %s: %s\n", name, why); \
		return 0;                           \
	} while (0)

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
