/* TEMPORARY STUB (lead): replaced by helper's file on merge */
#ifndef XL_LB_PLAN_H
#define XL_LB_PLAN_H
#include <stdint.h>
#include "xl_lb.h"
#include "lb_ctl.h"
#define XL_LB_PLAN_PORT 80
struct xl_lb_plan {
	uint32_t nvips, nreals, nsrcs;
	uint8_t proto;
	uint16_t port;
	uint32_t vip[XL_LB_MAX_VIPS];
	uint32_t *reals;
	uint32_t *srcs;
};
int xl_lb_plan_make(struct xl_lb_plan *p, uint32_t nvips, uint32_t nreals, uint32_t nsrcs, uint32_t seed);
void xl_lb_plan_free(struct xl_lb_plan *p);
int xl_lb_plan_apply(const struct xl_lb_maps *m, const struct xl_lb_plan *p, const struct xl_lb_ctl *ctl);
#endif
