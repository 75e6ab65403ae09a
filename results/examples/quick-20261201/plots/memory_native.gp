set terminal svg size 900,420 dynamic font 'sans,11' background rgb 'white'
set termoption noenhanced
set output 'results/20261201T204307Z-quiet/plots/memory_native.svg'
set datafile missing '?'
set key outside right top
set grid ytics
set title 'Memory, native'
set xlabel 'seconds from the cell start'
set ylabel 'MiB'
plot 'results/20261201T204307Z-quiet/plots/memory_native_apps.dat' using 1:2 with lines lw 2 title 'apps host used', 'results/20261201T204307Z-quiet/plots/memory_native_apps.dat' using 1:3 with lines dt 2 title 'apps cgroup', 'results/20261201T204307Z-quiet/plots/memory_native_http.dat' using 1:2 with lines lw 2 title 'http host used', 'results/20261201T204307Z-quiet/plots/memory_native_http.dat' using 1:3 with lines dt 2 title 'http cgroup', 'results/20261201T204307Z-quiet/plots/memory_native_lzma.dat' using 1:2 with lines lw 2 title 'lzma host used', 'results/20261201T204307Z-quiet/plots/memory_native_lzma.dat' using 1:3 with lines dt 2 title 'lzma cgroup', 'results/20261201T204307Z-quiet/plots/memory_native_probes.dat' using 1:2 with lines lw 2 title 'probes host used', 'results/20261201T204307Z-quiet/plots/memory_native_probes.dat' using 1:3 with lines dt 2 title 'probes cgroup', 'results/20261201T204307Z-quiet/plots/memory_native_redis.dat' using 1:2 with lines lw 2 title 'redis host used', 'results/20261201T204307Z-quiet/plots/memory_native_redis.dat' using 1:3 with lines dt 2 title 'redis cgroup'
