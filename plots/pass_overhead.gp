# pass_overhead.gp - the cost of an XDP program that returns XDP_PASS in front
# of the stack (the paper's 13.3 ns).  (a) ns per packet with and without the
# program, three ways (this run's DUT CPU time, this run's 1/rate, the paper's
# 1/rate); (b) their differences, with the IQR (black) and the 95% bootstrap CI
# (grey) of the per-trial pairs.  All in ns, so one axis serves both sources.
# The comparison drawn comes from configs/claims.ini ([figure pass_overhead]).
W = 1200
H = 520
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/pass_overhead.dat"
diff = datadir."/pass_overhead_diff.dat"

set multiplot layout 1,2 title fig_title font ",13"
set style fill solid 0.85 border lc rgb "#333333"
set xtics nomirror scale 0
set bmargin 5
set key top left

set title "(a) ns per packet"
set ylabel "ns per packet"
set xrange [-0.6:1.6]
set yrange [0:ymax]
set boxwidth 0.26
plot dat u ($1-0.27):3 w boxes lc rgb C_HERE t "this run: DUT CPU ns/pkt", \
     dat u ($1-0.27):4:(0):($5-$4) @IQR notitle, \
     dat u 1:6:xtic(2) w boxes lc rgb C_COST t "this run: 1e9/rate", \
     dat u 1:7:(0):($8-$7) @IQR notitle, \
     dat u ($1+0.27):9 w boxes fs empty lc rgb C_PAPER lw 2 t "paper: 1e9/rate"

set title diff_title
set ylabel "ns per packet"
set xrange [-0.6:2.6]
set yrange [dmin:dmax]
set boxwidth 0.5
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#555555"
plot diff u 1:($1 == 0 ? $3 : NaN):xtic(2) w boxes lc rgb C_HERE t "this run: ns_per_pkt difference", \
     diff u 1:($1 == 1 ? $3 : NaN) w boxes lc rgb C_COST t "this run: 1/rate difference", \
     diff u ($1+0.08):6:(0):($7-$6) w vectors heads size screen 0.006,90 lc rgb '#888888' lw 2 t "95% CI of the median", \
     diff u 1:4:(0):($5-$4) @IQR t "IQR of trial pairs", \
     diff u 1:($1 == 2 ? $3 : NaN) w boxes fs empty lc rgb C_PAPER lw 2 t "paper"
unset multiplot
