// SPDX-License-Identifier: GPL-2.0
/*
 * dpdk_env.c - options, hugepages, EAL arguments, child processes, runtime
 * directories and telemetry for the DPDK processes xdplab starts (dpdk_env.h).
 * Nothing here links DPDK: the processes are dpdk-testpmd and
 * xdplab-dpdkgen, and xdplab talks to them through their stdin, a shared
 * memory block (the generator) and DPDK's telemetry socket (both).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "dpdk_env.h"
#include "netns.h"
#include "util.h"
#include "xl_err.h"

#define XL_RUN_DIR "/run/xdplab"
#define DPDK_RUN_DIR "/var/run/dpdk"
#define HUGE_NR "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define HUGE_FREE "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#define HUGE_LOCK XL_RUN_DIR "/hugepages.lock"
#define PREFIX_HEAD "xdplab-"

static int dpdk_log_fd = -1;
static atomic_int proc_seq;

void xl_dpdk_set_log_fd(int fd)
{
	dpdk_log_fd = fd;
}

const char *xl_dpdk_kind_name(enum xl_dpdk_port_kind k)
{
	switch (k) {
	case XL_DPDK_AF_XDP: return "af_xdp";
	case XL_DPDK_AF_PACKET: return "af_packet";
	case XL_DPDK_PCI: return "pci";
	}
	return "?";
}

/* "bb:dd.f" or "dddd:bb:dd.f" -> "dddd:bb:dd.f" in lower case. */
static int parse_pci(const char *s, char out[XL_DPDK_PCI_LEN])
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;
	int n;

	for (const char *c = s; *c; c++)
		if (!isxdigit((unsigned char)*c) && *c != ':' && *c != '.')
			return -EINVAL;
	n = sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail);
	if (n != 4) {
		dom = 0;
		if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, XL_DPDK_PCI_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

int xl_dpdk_opts_parse(const char *s, struct xl_dpdk_opts *o)
{
	char buf[512], *save = NULL, *kv;
	bool have_vdev = false;
	long v;

	memset(o, 0, sizeof(*o));
	o->kind = XL_DPDK_AF_XDP;
	o->mem_mb = 128;
	o->huge = true;
	o->burst = 32;
	o->busy_budget = -1;
	if (!s || !*s)
		return 0;
	if (strlen(s) >= sizeof(buf))
		return xl_fail(XL_EXIT_DPDK, "DPDK options too long");
	snprintf(buf, sizeof(buf), "%s", s);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *val = strchr(kv, '=');

		if (!val)
			return xl_fail(XL_EXIT_DPDK, "DPDK option '%s' is not key=value", kv);
		*val++ = 0;
		if (!strcmp(kv, "vdev")) {
			if (!strcmp(val, "af_xdp"))
				o->kind = XL_DPDK_AF_XDP;
			else if (!strcmp(val, "af_packet"))
				o->kind = XL_DPDK_AF_PACKET;
			else
				return xl_fail(XL_EXIT_DPDK,
					       "unknown DPDK vdev kind '%s' (af_xdp or af_packet)",
					       val);
			have_vdev = true;
		} else if (!strcmp(kv, "pci")) {
			char list[128], *psave = NULL, *a;

			snprintf(list, sizeof(list), "%s", val);
			o->npci = 0;
			for (a = strtok_r(list, "+", &psave); a; a = strtok_r(NULL, "+", &psave)) {
				if (o->npci == XL_DPDK_MAX_PCI)
					return xl_fail(
						XL_EXIT_DPDK,
						"at most %d PCI devices in pci=", XL_DPDK_MAX_PCI);
				if (parse_pci(a, o->pci[o->npci]))
					return xl_fail(XL_EXIT_DPDK,
						       "bad PCI address '%s' (want [dddd:]bb:dd.f)",
						       a);
				o->npci++;
			}
			if (!o->npci)
				return xl_fail(XL_EXIT_DPDK, "pci= names no device");
			o->kind = XL_DPDK_PCI;
		} else if (!strcmp(kv, "mem")) {
			if (xl_parse_int(val, 16, 65536, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK mem= '%s' (MB, 16..65536)",
					       val);
			o->mem_mb = v;
		} else if (!strcmp(kv, "huge")) {
			if (xl_parse_int(val, 0, 1, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK huge= '%s' (0 or 1)", val);
			o->huge = v;
		} else if (!strcmp(kv, "mbufs")) {
			if (xl_parse_int(val, 1024, 1 << 22, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK mbufs= '%s' (1024..4194304)",
					       val);
			o->mbufs = v;
		} else if (!strcmp(kv, "burst")) {
			if (xl_parse_int(val, 1, 512, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK burst= '%s' (1..512)", val);
			o->burst = v;
		} else if (!strcmp(kv, "busy_budget")) {
			if (xl_parse_int(val, 0, 1024, &v))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK busy_budget= '%s' (0..1024)",
					       val);
			o->busy_budget = v;
		} else if (!strcmp(kv, "log")) {
			if (!*val || strlen(val) >= sizeof(o->log))
				return xl_fail(XL_EXIT_DPDK, "bad DPDK log= path");
			snprintf(o->log, sizeof(o->log), "%s", val);
		} else {
			return xl_fail(
				XL_EXIT_DPDK,
				"unknown DPDK option '%s' (vdev, pci, mem, huge, mbufs, burst, busy_budget, log)",
				kv);
		}
	}
	if (have_vdev && o->kind == XL_DPDK_PCI)
		return xl_fail(XL_EXIT_DPDK, "give vdev= or pci=, not both");
	if (o->busy_budget >= 0 && o->kind != XL_DPDK_AF_XDP)
		return xl_fail(XL_EXIT_DPDK, "busy_budget= applies to vdev=af_xdp only");
	return 0;
}

static int read_long(const char *path, long *v)
{
	char buf[64];
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	*v = strtol(buf, NULL, 0);
	return 0;
}

/*
 * A PCI device that carries a kernel interface which is up is the machine's
 * own NIC (virtio puts it one level down: <dev>/virtio0/net/eth0), so look
 * from the interfaces' side: any /sys/class/net/X whose device lies under it.
 */
static int pci_in_use(const char *addr, char *ifname, size_t len)
{
	char path[128], dev[PATH_MAX], ifdev[PATH_MAX];
	struct dirent *de;
	size_t dlen;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", addr);
	if (!realpath(path, dev))
		return 0;
	dlen = strlen(dev);
	d = opendir("/sys/class/net");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char link[400], flags_path[400];
		long flags;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/sys/class/net/%s/device", de->d_name);
		if (!realpath(link, ifdev) || strncmp(ifdev, dev, dlen) ||
		    (ifdev[dlen] && ifdev[dlen] != '/'))
			continue;
		snprintf(flags_path, sizeof(flags_path), "/sys/class/net/%s/flags", de->d_name);
		if (!read_long(flags_path, &flags) && (flags & 1 /* IFF_UP */)) {
			snprintf(ifname, len, "%s", de->d_name);
			ret = 1;
			break;
		}
	}
	closedir(d);
	return ret;
}

int xl_dpdk_check_ports(const struct xl_dpdk_opts *o, const char *ns, const char *const *ifnames,
			int nports)
{
	if (o->kind == XL_DPDK_PCI) {
		if (o->npci < nports)
			return xl_fail(XL_EXIT_DPDK, "pci= names %d device(s), %d needed", o->npci,
				       nports);
		for (int i = 0; i < nports; i++) {
			char path[96], ifname[64];

			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", o->pci[i]);
			if (access(path, F_OK))
				return xl_fail(XL_EXIT_DPDK, "no PCI device %s on this machine",
					       o->pci[i]);
			if (pci_in_use(o->pci[i], ifname, sizeof(ifname)))
				return xl_fail(
					XL_EXIT_DPDK,
					"PCI device %s is kernel interface %s, which is up: refusing to hand it to DPDK",
					o->pci[i], ifname);
		}
		return 0;
	}
	if (!xl_ns_exists(ns))
		return xl_fail(XL_EXIT_DPDK, "network namespace '%s' does not exist", ns);
	for (int i = 0; i < nports; i++)
		if (xl_ns_ifindex(ns, ifnames[i]) < 0)
			return xl_fail(XL_EXIT_DPDK, "DPDK port interface '%s' does not exist%s%s",
				       ifnames[i], ns && *ns ? " in namespace " : "",
				       ns && *ns ? ns : "");
	return 0;
}

int xl_dpdk_vdev_arg(const struct xl_dpdk_opts *o, int i, const char *ifname, int nq, char *buf,
		     size_t len)
{
	switch (o->kind) {
	case XL_DPDK_AF_XDP:
		if (o->busy_budget >= 0)
			snprintf(buf, len, "net_af_xdp%d,iface=%s,queue_count=%d,busy_budget=%d", i,
				 ifname, nq, o->busy_budget);
		else
			snprintf(buf, len, "net_af_xdp%d,iface=%s,queue_count=%d", i, ifname, nq);
		return 0;
	case XL_DPDK_AF_PACKET:
		snprintf(buf, len, "net_af_packet%d,iface=%s,qpairs=%d", i, ifname, nq);
		return 0;
	case XL_DPDK_PCI: buf[0] = 0; return 0;
	}
	return -EINVAL;
}

/* ---- hugepages ---------------------------------------------------------- */

long xl_huge_nr(void)
{
	long v;

	return read_long(HUGE_NR, &v) ? -1 : v;
}

static int write_nr(long nr)
{
	char buf[32];
	int fd = open(HUGE_NR, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%ld", nr < 0 ? 0 : nr);
	if (write(fd, buf, strlen(buf)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static bool pid_alive(long pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

/* Under the hugepage lock: give back what dead runs reserved. */
static int sweep_ledgers(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(XL_RUN_DIR);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[300];
		long pid, added, nr;

		if (sscanf(de->d_name, "huge-%ld-", &pid) != 1 || pid_alive(pid))
			continue;
		snprintf(path, sizeof(path), XL_RUN_DIR "/%s", de->d_name);
		if (!read_long(path, &added) && added > 0 && !read_long(HUGE_NR, &nr)) {
			write_nr(nr - added);
			xl_warn("gave back %ld hugepages left reserved by dead process %ld", added,
				pid);
		}
		unlink(path);
		n++;
	}
	closedir(d);
	return n;
}

static int huge_lock(void)
{
	int fd;

	mkdir(XL_RUN_DIR, 0755);
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

int xl_huge_reserve(long pages, struct xl_huge *h)
{
	long nr0, nr1, free_pages = -1, avail_kb;
	char buf[32];
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
	sweep_ledgers();
	if (read_long(HUGE_NR, &nr0)) {
		err = xl_fail(XL_EXIT_DPDK, "cannot read %s", HUGE_NR);
		goto out;
	}
	err = write_nr(nr0 + pages);
	if (err) {
		err = xl_fail(XL_EXIT_DPDK, "cannot reserve %ld hugepages: %s", pages,
			      strerror(-err));
		goto out;
	}
	if (read_long(HUGE_NR, &nr1) || nr1 < nr0 + pages) {
		read_long(HUGE_FREE, &free_pages);
		write_nr(nr0);
		err = xl_fail(
			XL_EXIT_DPDK,
			"no hugepages available: asked the kernel for %ld more 2 MB pages, got %ld (lower DPDK mem= or use huge=0)",
			pages, nr1 - nr0);
		goto out;
	}
	h->added = pages;
	snprintf(h->ledger, sizeof(h->ledger), XL_RUN_DIR "/huge-%d-%d", (int)getpid(),
		 atomic_fetch_add(&proc_seq, 1));
	snprintf(buf, sizeof(buf), "%ld\n", pages);
	if (xl_atomic_write(h->ledger, buf, strlen(buf)))
		h->ledger[0] = 0; /* only the crash repair is lost */
out:
	close(lock);
	return err;
}

void xl_huge_release(struct xl_huge *h)
{
	long nr, free_pages, target = -1;
	int lock;

	if (h->added <= 0)
		return;
	lock = huge_lock();
	/*
	 * The process has exited, but an AF_XDP socket keeps its umem (our pages)
	 * pinned until the kernel's deferred release runs.  Lowering the pool
	 * while they are pinned turns them into surplus pages, and a reservation
	 * made before they drain adopts them: wait for them to come back first.
	 */
	for (int ms = 0; ms < 3000; ms += 10) {
		if (read_long(HUGE_FREE, &free_pages) || free_pages >= h->added)
			break;
		usleep(10000);
	}
	for (int tries = 0; tries < 20; tries++) {
		if (read_long(HUGE_NR, &nr))
			break;
		if (target < 0)
			target = nr - h->added < 0 ? 0 : nr - h->added;
		if (nr <= target)
			break;
		write_nr(target);
		usleep(50000);
	}
	if (h->ledger[0])
		unlink(h->ledger);
	if (lock >= 0)
		close(lock);
	h->added = 0;
	h->ledger[0] = 0;
}

/* ---- runtime directories ------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

int xl_dpdk_rm_runtime_dir(const char *prefix)
{
	char path[160];

	if (strncmp(prefix, PREFIX_HEAD, strlen(PREFIX_HEAD)) || strchr(prefix, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), DPDK_RUN_DIR "/%s", prefix);
	if (access(path, F_OK))
		return 0;
	nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return access(path, F_OK) ? 0 : -EBUSY;
}

int xl_dpdk_sweep(void)
{
	struct dirent *de;
	int n = 0, lock;
	DIR *d = opendir(DPDK_RUN_DIR);

	if (d) {
		while ((de = readdir(d))) {
			char what[32];
			long pid;

			if (sscanf(de->d_name, PREFIX_HEAD "%31[a-z]-%ld-", what, &pid) != 2 ||
			    pid_alive(pid))
				continue;
			if (!xl_dpdk_rm_runtime_dir(de->d_name))
				n++;
		}
		closedir(d);
	}
	lock = huge_lock();
	if (lock >= 0) {
		n += sweep_ledgers();
		close(lock);
	}
	return n;
}

/* ---- processes ---------------------------------------------------------- */

void xl_dpdk_proc_init(struct xl_dpdk_proc *p, const char *what, const struct xl_dpdk_opts *o)
{
	int seq = atomic_fetch_add(&proc_seq, 1);

	memset(p, 0, sizeof(*p));
	p->stdin_fd = -1;
	snprintf(p->prefix, sizeof(p->prefix), PREFIX_HEAD "%s-%d-%d", what, (int)getpid(), seq);
	if (o && o->log[0]) {
		snprintf(p->log, sizeof(p->log), "%s", o->log);
	} else {
		snprintf(p->log, sizeof(p->log), XL_RUN_DIR "/%s.log", p->prefix);
		p->own_log = true;
	}
}

#define ADD(x)                         \
	do {                           \
		if (*argc >= max - 1)  \
			return -E2BIG; \
		argv[(*argc)++] = (x); \
	} while (0)

static const char *stash(char **store, size_t *left, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *stash(char **store, size_t *left, const char *fmt, ...)
{
	va_list ap;
	char *s = *store;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, *left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= *left)
		return NULL;
	*store += n + 1;
	*left -= n + 1;
	return s;
}

int xl_dpdk_eal_args(const struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const int *cpus,
		     int ncpus, const char **argv, int *argc, int max, char *store,
		     size_t store_len)
{
	char lcores[512];
	size_t off = 0;
	const char *s;

	lcores[0] = 0;
	for (int i = 0; i < ncpus; i++)
		off += snprintf(lcores + off, sizeof(lcores) - off, "%s%d@%d", i ? "," : "", i,
				cpus[i]);
	if (off >= sizeof(lcores) || !(s = stash(&store, &store_len, "%s", lcores)))
		return -E2BIG;
	ADD("--lcores");
	ADD(s);
	if (o->kind == XL_DPDK_PCI) {
		for (int i = 0; i < o->npci; i++) {
			ADD("-a");
			ADD(o->pci[i]);
		}
	} else {
		ADD("--no-pci"); /* never probe the machine's own PCI NICs */
	}
	/* In-memory mode takes hugepages through memfd: no hugetlbfs mount, no files. */
	ADD(o->huge ? "--in-memory" : "--no-huge");
	ADD("-m");
	if (!(s = stash(&store, &store_len, "%u", o->mem_mb)))
		return -E2BIG;
	ADD(s);
	ADD("--file-prefix");
	ADD(p->prefix);
	ADD("--log-level=pmd.net.af_xdp:info");
	ADD("--log-level=pmd.net.af_packet:info");
	argv[*argc] = NULL;
	return 0;
}

int xl_dpdk_spawn(struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const char *ns,
		  const int *cpus, int ncpus, const char *const argv[])
{
	const char *full[128];
	int pipefd[2] = { -1, -1 }, logfd, n = 0, err;
	pid_t parent = getpid(), pid;
	cpu_set_t set;

	if (o->huge && xl_huge_reserve((o->mem_mb + 1) / 2, &p->huge))
		return -ENOMEM;
	if (ns && *ns) {
		full[n++] = "ip";
		full[n++] = "netns";
		full[n++] = "exec";
		full[n++] = ns;
	}
	for (int i = 0; argv[i] && n < 127; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	if (xl_verbose) {
		fprintf(stderr, "xdplab: debug: +");
		for (int i = 0; full[i]; i++)
			fprintf(stderr, " %s", full[i]);
		fputc('\n', stderr);
	}
	CPU_ZERO(&set);
	for (int i = 0; i < ncpus; i++)
		CPU_SET(cpus[i], &set);
	mkdir(XL_RUN_DIR, 0755);
	logfd = open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (p->own_log ? O_TRUNC : 0),
		     0644);
	if (logfd < 0) {
		err = xl_fail(XL_EXIT_DPDK, "cannot open DPDK log %s: %s", p->log, strerror(errno));
		goto fail;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		err = xl_fail(XL_EXIT_DPDK, "pipe: %s", strerror(errno));
		close(logfd);
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		err = xl_fail(XL_EXIT_DPDK, "fork: %s", strerror(errno));
		close(logfd);
		goto fail;
	}
	if (pid == 0) {
		/* Own process group: a Ctrl-C reaches xdplab only, which tears down in order. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(126);
		sched_setaffinity(0, sizeof(set), &set);
		dup2(pipefd[0], 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execvp(full[0], (char *const *)full);
		_exit(127);
	}
	close(logfd);
	close(pipefd[0]);
	p->stdin_fd = pipefd[1];
	p->pid = pid;
	return 0;
fail:
	if (pipefd[0] >= 0) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	xl_huge_release(&p->huge);
	if (p->own_log)
		unlink(p->log);
	return err;
}

bool xl_dpdk_alive(struct xl_dpdk_proc *p)
{
	int status;

	if (p->pid <= 0)
		return false;
	return waitpid(p->pid, &status, WNOHANG) == 0;
}

static int wait_ms(pid_t pid, int ms, int *status)
{
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (waited >= ms)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

static void copy_log(const struct xl_dpdk_proc *p)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (dpdk_log_fd < 0)
		return;
	fd = open(p->log, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	dprintf(dpdk_log_fd, "---- DPDK process %s ----\n", p->prefix);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(dpdk_log_fd, buf, n) < 0)
			break;
	close(fd);
}

int xl_dpdk_reap(struct xl_dpdk_proc *p, int grace_ms)
{
	int status = 0, ret = 0;

	if (p->stdin_fd >= 0) {
		close(p->stdin_fd);
		p->stdin_fd = -1;
	}
	if (p->pid > 0) {
		ret = wait_ms(p->pid, grace_ms, &status);
		if (ret == -ETIMEDOUT) {
			kill(p->pid, SIGTERM);
			ret = wait_ms(p->pid, grace_ms, &status);
		}
		if (ret == -ETIMEDOUT) {
			xl_warn("DPDK process %d did not stop, killing it", (int)p->pid);
			kill(p->pid, SIGKILL);
			ret = wait_ms(p->pid, 5000, &status);
		}
		if (ret == -ECHILD)
			ret = 0; /* reaped earlier by xl_dpdk_alive() */
		else if (!ret)
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		p->pid = 0;
	}
	if (p->prefix[0] && xl_dpdk_rm_runtime_dir(p->prefix))
		xl_warn("cannot remove %s/%s", DPDK_RUN_DIR, p->prefix);
	xl_huge_release(&p->huge);
	if (p->log[0]) {
		copy_log(p);
		if (p->own_log)
			unlink(p->log);
		p->log[0] = 0;
	}
	return ret;
}

void xl_dpdk_log_error(const struct xl_dpdk_proc *p, char *buf, size_t len)
{
	static const char *const marks[] = { "Cause:", "Error",	 "error",     "Failed", "failed",
					     "Cannot", "cannot", "No probed", NULL };
	char line[512];
	FILE *f = fopen(p->log, "r");

	snprintf(buf, len, "no output");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		for (int i = 0; marks[i]; i++) {
			if (strstr(line, marks[i]) && !strstr(line, "libbpf: elf:")) {
				const char *s = line;

				while (*s == ' ' || *s == '\t')
					s++;
				snprintf(buf, len, "%s", s);
				break;
			}
		}
	}
	fclose(f);
}

/* ---- telemetry ---------------------------------------------------------- */

int xl_dpdk_tele_open(const char *prefix, char *version, size_t vlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[1024];
	json_object *hello, *v;
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), DPDK_RUN_DIR "/%s/dpdk_telemetry.v2", prefix);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		goto err;
	buf[n] = 0;
	hello = json_tokener_parse(buf);
	if (version && vlen) {
		version[0] = 0;
		if (hello && json_object_object_get_ex(hello, "version", &v))
			snprintf(version, vlen, "%s", json_object_get_string(v));
	}
	json_object_put(hello);
	return fd;
err:
	n = -errno;
	close(fd);
	return n ? n : -EIO;
}

int xl_dpdk_tele_cmd(int fd, const char *cmd, json_object **val)
{
	char buf[32768]; /* telemetry answers are at most max_output_len (16 KB) */
	json_object *obj, *v;
	char key[64];
	ssize_t n;

	*val = NULL;
	if (send(fd, cmd, strlen(cmd), 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return n ? -errno : -ECONNRESET;
	buf[n] = 0;
	obj = json_tokener_parse(buf);
	if (!obj)
		return -EPROTO;
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(cmd, ","), cmd);
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) {
		json_object_put(obj);
		return -ENOENT;
	}
	*val = json_object_get(v);
	json_object_put(obj);
	return 0;
}
