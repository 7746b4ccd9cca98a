# load.gp - DUT cost per packet against the offered load, for the systems whose
# frames are counted on the DUT (the drop systems): one point per trial
# (ns_per_pkt), one series per system.  Drawn when a system's offered rate
# varies across its trials, e.g. in a CPU-vs-load sweep: it shows whether the
# per-packet cost depends on the load (batching, wake-ups), which a single
# rate cannot.  Data and labels come from load.dat and load.vars.gp
# (harness/analysis/xdplab_analysis/plotdata.py).
W = 1100
H = 560
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/".fig.".dat"

set title fig_title font ",13"
set xlabel "offered load, Mpps"
set ylabel "DUT CPU ns per packet (ns_per_pkt)"
set xrange [0:xmax]
if (logy) {
	set logscale y
	set yrange [ymin:ymax]
} else {
	set yrange [0:ymax]
}
set grid xtics ytics lc rgb "#e0e0e0"
set key outside right top font ",9"
plot for [i=1:n_series] dat index (i-1) u 1:2 w lp pt 7 ps 1.1 lw 1 dt 3 lc rgb series_color[i] t series_title[i]
