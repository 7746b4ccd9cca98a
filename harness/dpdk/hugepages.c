// SPDX-License-Identifier: GPL-2.0
/*
 * hugepages.c - reserve and give back 2 MB hugepages for DPDK processes
 * (hugepages.h).  The lock file is the one the cleanup registry's "sub"
 * replay takes for nr_hugepages, so a sweep and a live reservation never race.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "hugepages.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define HUGE_NR "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define HUGE_FREE "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#define HUGE_LOCK "/run/xdplab/nr_hugepages.lock"

long xl_huge_nr(void)
{
	long v;

	return xl_read_long(HUGE_NR, &v) ? -1 : v;
}

static int write_nr(long nr)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", nr < 0 ? 0 : nr);
	return xl_write_file(NULL, HUGE_NR, buf);
}

static int huge_lock(void)
{
	int fd;

	mkdir("/run/xdplab", 0755);
	fd = open(HUGE_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static long meminfo_kb(const char *key)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* The in-process release (the registry's replay is the same without the wait). */
static void release(void *arg)
{
	struct xl_huge *h = arg;
	long nr, free_pages, target = -1;
	int lock = huge_lock();

	/*
	 * The process has exited, but an AF_XDP socket keeps its umem (our pages)
	 * pinned until the kernel's deferred release runs.  Lowering the pool
	 * while they are pinned turns them into surplus pages, and a reservation
	 * made before they drain adopts them: wait for them to come back first.
	 */
	for (int ms = 0; ms < 3000; ms += 10) {
		if (xl_read_long(HUGE_FREE, &free_pages) || free_pages >= h->added)
			break;
		usleep(10000);
	}
	for (int tries = 0; tries < 20; tries++) {
		if (xl_read_long(HUGE_NR, &nr))
			break;
		if (target < 0)
			target = nr - h->added < 0 ? 0 : nr - h->added;
		if (nr <= target)
			break;
		write_nr(target);
		usleep(50000);
	}
	if (lock >= 0)
		close(lock);
	h->added = 0;
}

int xl_huge_reserve(long pages, struct xl_huge *h)
{
	long nr0, nr1, avail_kb;
	char delta[32];
	int lock, err = 0;

	memset(h, 0, sizeof(*h));
	if (access(HUGE_NR, F_OK))
		return xl_fail(XL_EXIT_DPDK,
			       "this kernel offers no 2 MB hugepages (use DPDK option huge=0)");
	/* Asking the kernel for most of RAM would only squeeze everything else first. */
	avail_kb = meminfo_kb("MemAvailable:");
	if (avail_kb > 0 && pages * 2048 > avail_kb / 2)
		return xl_fail(
			XL_EXIT_DPDK,
			"no hugepages available: %ld MB of hugepages asked, %ld MB of memory available (lower DPDK mem= or use huge=0)",
			pages * 2, avail_kb / 1024);
	lock = huge_lock();
	if (lock < 0)
		return xl_fail(XL_EXIT_DPDK, "cannot lock %s: %s", HUGE_LOCK, strerror(-lock));
	if (xl_read_long(HUGE_NR, &nr0)) {
		err = xl_fail(XL_EXIT_DPDK, "cannot read %s", HUGE_NR);
		goto out;
	}
	err = write_nr(nr0 + pages);
	if (err) {
		err = xl_fail(XL_EXIT_DPDK, "cannot reserve %ld hugepages: %s", pages,
			      strerror(-err));
		goto out;
	}
	if (xl_read_long(HUGE_NR, &nr1) || nr1 < nr0 + pages) {
		write_nr(nr0);
		err = xl_fail(
			XL_EXIT_DPDK,
			"no hugepages available: asked the kernel for %ld more 2 MB pages, got %ld (lower DPDK mem= or use huge=0)",
			pages, nr1 - nr0);
		goto out;
	}
	h->added = pages;
	snprintf(delta, sizeof(delta), "%ld", pages);
	h->undo = xl_undo_add("sub", HUGE_NR, delta, NULL);
	xl_undo_set_fn(h->undo, release, h);
out:
	close(lock);
	return err;
}

void xl_huge_release(struct xl_huge *h)
{
	if (h->undo > 0)
		xl_undo_run(h->undo);
	h->undo = 0;
	h->added = 0;
}
