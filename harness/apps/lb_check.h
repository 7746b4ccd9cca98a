/* TEMPORARY STUB (lead): replaced by helper's file on merge */
#ifndef XL_LB_CHECK_H
#define XL_LB_CHECK_H
#include <stdint.h>
#include <bpf/libbpf.h>
struct xl_lbchk_result { uint64_t ipip, plain, other, malformed, moved, untracked; uint32_t flows, reals_hit; uint32_t flows_per_real_min, flows_per_real_max; double flows_per_real_median; };
int xl_lbchk_read(struct bpf_object *obj, struct xl_lbchk_result *r);
int xl_lbchk_foreach_real(struct bpf_object *obj, int (*fn)(uint32_t real, uint64_t frames, void *ctx), void *ctx);
int xl_lbchk_reset(struct bpf_object *obj);
#endif
