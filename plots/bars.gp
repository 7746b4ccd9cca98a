# bars.gp - a two-panel bar figure used for drop (paper Fig. 3) and forwarding
# (Fig. 5).  (a) this run's Mpps per system with the IQR of the trials, the
# paper's Mpps on a second axis so both tallest bars line up; (b) everything
# relative to the first system (XDP native): paper, this run's Mpps ratio and
# this run's CPU-cost ratio, which is what a saturated core would show.
# Data and labels come from <fig>.dat and <fig>.vars.gp (harness/analysis/xdplab_analysis/plotdata.py).
W = 1500
H = 600
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/".fig.".dat"

set multiplot layout 1,2 title fig_title font ",13"
set style fill solid 0.85 border lc rgb "#333333"
set xrange [-0.6:n_rows-0.4]
set bmargin 6
set xtics nomirror scale 0 font ",9"
set key top right

set title "(a) Mpps: this run (left axis) and paper (right axis)"
set boxwidth 0.36
set ylabel "this run, Mpps"
set yrange [0:y1max]
set ytics nomirror
if (have_paper) {
	set y2label "paper, Mpps"
	set y2range [0:y2max]
	set y2tics
	plot dat u ($1-0.19):3 w boxes lc rgb C_HERE t "this run (median)", \
	     dat u ($1-0.19):4:(0):($5-$4) @IQR t "IQR of trials", \
	     dat u ($1+0.19):6 axes x1y2 w boxes fs empty lc rgb C_PAPER lw 2 t "paper (right axis)", \
	     dat u 1:(NaN):xtic(2) notitle
} else {
	plot dat u 1:3:xtic(2) w boxes lc rgb C_HERE t "this run (median)", \
	     dat u 1:4:(0):($5-$4) @IQR t "IQR of trials"
}
unset y2tics
unset y2label
set ytics mirror

set title "(b) relative to ".ref_label
set ylabel "throughput relative to ".ref_label
set yrange [0:relmax]
set boxwidth 0.26
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "#555555"
if (have_rel) {
	plot dat u ($1-0.27):7 w boxes fs empty lc rgb C_PAPER lw 2 t "paper", \
	     dat u 1:8:xtic(2) w boxes lc rgb C_HERE t "this run: Mpps ratio", \
	     dat u 1:9:(0):($10-$9) @IQR notitle, \
	     dat u ($1+0.27):11 w boxes lc rgb C_COST t "this run: CPU-cost ratio", \
	     dat u ($1+0.27):12:(0):($13-$12) @IQR notitle
} else {
	set label 1 "no reference system measured:\nnothing to normalise to" at graph 0.5, graph 0.5 center
	plot dat u 1:(NaN):xtic(2) notitle
}
unset multiplot
