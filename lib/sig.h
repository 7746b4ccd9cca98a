/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sig.h - SIGINT/SIGTERM set a flag and nothing else; main loops poll it and
 * take their normal exit path, which is where detaching and cleanup happen.
 */
#ifndef XL_SIG_H
#define XL_SIG_H

#include <stdbool.h>

void xl_sig_install(void);
bool xl_sig_stopped(void);
/* Sleep up to seconds, returning early (false) when a stop signal arrives. */
bool xl_sig_sleep(double seconds);

#endif
