set terminal svg size 1000,560 dynamic font 'sans,11' background rgb 'white'
set termoption noenhanced
set output 'results/20261201T204307Z-quiet/plots/why.svg'
set datafile missing '?'
set key outside right top
set grid ytics
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -40 scale 0
set bmargin 16
set ylabel 'added time ÷ native time (slowdown − 1)'
set yrange [0:*]
plot 'results/20261201T204307Z-quiet/plots/why.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5), '' using 6 title columnheader(6)
