set terminal svg size 900,480 dynamic font 'sans,11' background rgb 'white'
set termoption noenhanced
set output 'results/20261201T204307Z-quiet/plots/latency.svg'
set datafile missing '?'
set key outside right top
set grid ytics
set title 'Latency, redis group'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set xtics rotate by -40 scale 0
set bmargin 10
set ylabel 'microseconds (log)'
set yrange [*:*]
set logscale y
plot 'results/20261201T204307Z-quiet/plots/latency.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5), '' using 6 title columnheader(6)
