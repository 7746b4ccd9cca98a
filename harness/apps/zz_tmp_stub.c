/* TEMPORARY STUB (lead): deleted on merge */
#include <errno.h>
#include "lb_check.h"
#include "lb_plan.h"
#include "lb_linux.h"
int xl_lbchk_read(struct bpf_object *obj, struct xl_lbchk_result *r) { (void)obj; (void)r; return -ENOSYS; }
int xl_lbchk_reset(struct bpf_object *obj) { (void)obj; return -ENOSYS; }
int xl_lb_plan_apply(const struct xl_lb_maps *m, const struct xl_lb_plan *p, const struct xl_lb_ctl *ctl) { (void)m; (void)p; (void)ctl; return -ENOSYS; }
