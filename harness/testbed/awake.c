// SPDX-License-Identifier: GPL-2.0
/* awake.c - SCHED_IDLE spinners that keep CPUs out of idle (awake.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include "awake.h"
#include "xl_err.h"

static void *spin(void *arg)
{
	struct xl_awake *a = arg;

	while (!a->stop)
		__builtin_ia32_pause();
	return NULL;
}

int xl_awake_start(struct xl_awake *a, const int *cpus, int n)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < n && i < XL_AWAKE_MAX; i++) {
		struct sched_param sp = { 0 };
		pthread_attr_t attr;
		pthread_t t;
		cpu_set_t set;
		int err;

		CPU_ZERO(&set);
		CPU_SET(cpus[i], &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_IDLE);
		pthread_attr_setschedparam(&attr, &sp);
		err = pthread_create(&t, &attr, spin, a);
		pthread_attr_destroy(&attr);
		if (err) {
			xl_warn("cannot keep CPU %d awake: %s", cpus[i], strerror(err));
			continue;
		}
		a->tids[a->n++] = (unsigned long)t;
	}
	return a->n;
}

void xl_awake_stop(struct xl_awake *a)
{
	a->stop = 1;
	for (int i = 0; i < a->n; i++)
		pthread_join((pthread_t)a->tids[i], NULL);
	a->n = 0;
}
