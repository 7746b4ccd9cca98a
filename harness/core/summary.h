/* SPDX-License-Identifier: GPL-2.0 */
/* summary.h - the human summary table of a run (summary.c). */
#ifndef XL_SUMMARY_H
#define XL_SUMMARY_H

#include "runner.h"

void xl_summary_print(const struct xl_run_summary *s);

#endif
