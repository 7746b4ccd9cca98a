# latency_cdf.gp - cumulative latency distribution per system, one panel per
# rate, from the histogram buckets (all trials pooled).  The paper published
# no distribution, only the share under 10 us: it is marked at x = 10 us.
W = 1300
H = 520
load datadir."/".fig.".vars.gp"
load plotdir."/common.gp"
dat = datadir."/latency_cdf.dat"
pdat = datadir."/latency_cdf_paper.dat"

set multiplot layout 1,n_panels title fig_title font ",13"
set logscale x
set xrange [xmin:xmax]
# Head room above 100% holds the key, clear of the curves.
set yrange [0:150]
set ytics 0,20,100
set xlabel "latency, µs (bucket upper edge)"
set ylabel "% of frames at or below"
set key top left font ",9"
set arrow 1 from 10, graph 0 to 10, graph 1 nohead dt 3 lc rgb "#555555"
do for [p=1:n_panels] {
	set title panel_title[p]
	plot for [i=1:n_series] dat index (i-1) u 1:(series_panel[i] == p ? $2 : NaN) w steps lw 2 \
	         lc rgb series_color[i] t (series_panel[i] == p ? series_title[i] : ""), \
	     pdat u ($1 == p ? $2 : NaN):3:5 w p pt 9 ps 2 lc rgb variable t "paper: % under 10 µs (colour: system)"
}
unset multiplot
