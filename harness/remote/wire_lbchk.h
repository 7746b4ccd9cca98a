/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire_lbchk.h - the load-balancer check's result (apps/lb_check.h) as the
 * fields of an agent reply, one table for both ends.
 */
#ifndef XL_WIRE_LBCHK_H
#define XL_WIRE_LBCHK_H

#include <json-c/json.h>
#include "apps/lb_check.h"

/* Add r's fields to the reply rep. */
void xl_wire_lbchk_put(json_object *rep, const struct xl_lbchk_result *r);
/* r from a reply's fields: 0, or -EPROTO if one is missing. */
int xl_wire_lbchk_get(json_object *rep, struct xl_lbchk_result *r);

#endif
