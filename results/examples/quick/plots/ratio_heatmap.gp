set terminal svg size 750,1792 dynamic font 'sans,11' background rgb 'white'
set termoption noenhanced
set output 'results/examples/quick/plots/ratio_heatmap.svg'
set datafile missing '?'
set key outside right top
set grid ytics
set title 'Speed ratio vs native (1 = same; < 1 slower; log2 colour)'
unset grid
unset key
set view map
set xrange [-0.5:2.5]
set yrange [-0.5:75.5]
set xtics ('runc' 0, 'crun' 1, 'runsc-ptrace' 2) scale 0
set ytics ('Redis_GET' 0, 'Redis_SET' 1, 'Redis_PING_INLINE' 2, 'Probe_ctl_parse_loop' 3, 'Probe_ctl_int_loop' 4, 'Probe_net_epoll/fds:1000' 5, 'Probe_net_epoll/fds:10' 6, 'Probe_net_poll/fds:1000' 7, 'Probe_net_poll/fds:10' 8, 'Probe_net_select/fds:1000' 9, 'Probe_net_select/fds:10' 10, 'Probe_net_tcp_bulk' 11, 'Probe_net_tcp_rr' 12, 'Probe_ipc_unix_stream_echo/bytes:98304' 13, 'Probe_ipc_unix_stream_echo/bytes:1' 14, 'Probe_ipc_futex_pingpong' 15, 'Probe_ipc_pipe_pingpong' 16, 'Probe_proc_exec_to_main' 17, 'Probe_proc_thread_create_join' 18, 'Probe_proc_posix_spawn_wait' 19, 'Probe_proc_fork_exec_wait' 20, 'Probe_proc_fork_exit_wait/parent_mib:256' 21, 'Probe_proc_fork_exit_wait/parent_mib:0' 22, 'Probe_mem_fault_file' 23, 'Probe_mem_fault_anon' 24, 'Probe_mem_mmap_touch_munmap/bytes:67108864' 25, 'Probe_mem_mmap_touch_munmap/bytes:16777216' 26, 'Probe_mem_mmap_touch_munmap/bytes:1048576' 27, 'Probe_mem_mmap_touch_munmap/bytes:65536' 28, 'Probe_mem_mmap_touch_munmap/bytes:4096' 29, 'Probe_mem_malloc_touch/bytes:1048576' 30, 'Probe_mem_malloc_touch/bytes:32768' 31, 'Probe_mem_malloc_touch/bytes:1024' 32, 'Probe_mem_malloc/bytes:1048576' 33, 'Probe_mem_malloc/bytes:32768' 34, 'Probe_mem_malloc/bytes:1024' 35, 'Probe_io_mmap_read/bytes:16777216' 36, 'Probe_io_mmap_read/bytes:1048576' 37, 'Probe_io_mmap_read/bytes:65536' 38, 'Probe_io_write_fsync/block:4096' 39, 'Probe_io_seq_write/block:1048576' 40, 'Probe_io_seq_write/block:65536' 41, 'Probe_io_seq_write/block:4096' 42, 'Probe_io_seq_read/block:1048576' 43, 'Probe_io_seq_read/block:65536' 44, 'Probe_io_seq_read/block:4096' 45, 'Probe_pathlib_import_like' 46, 'Probe_pathlib_bm_pathlib' 47, 'Probe_fs_open_read_close/bytes:16384' 48, 'Probe_fs_open_read_close/bytes:1024' 49, 'Probe_fs_create_write_unlink/bytes:10240' 50, 'Probe_fs_create_write_unlink/bytes:4096' 51, 'Probe_fs_create_write_unlink/bytes:1024' 52, 'Probe_fs_create_write_unlink/bytes:0' 53, 'Probe_fs_getdents/entries:4096' 54, 'Probe_fs_getdents/entries:64' 55, 'Probe_fs_getdents/entries:1' 56, 'Probe_fs_stat_missing' 57, 'Probe_fs_stat_depth/depth:8' 58, 'Probe_fs_stat_depth/depth:7' 59, 'Probe_fs_stat_depth/depth:6' 60, 'Probe_fs_stat_depth/depth:5' 61, 'Probe_fs_stat_depth/depth:4' 62, 'Probe_fs_stat_depth/depth:3' 63, 'Probe_fs_stat_depth/depth:2' 64, 'Probe_fs_stat_depth/depth:1' 65, 'Probe_fs_open_close' 66, 'Probe_sys_gettimeofday_raw' 67, 'Probe_sys_gettimeofday_vdso' 68, 'Probe_sys_clock_gettime_raw' 69, 'Probe_sys_clock_gettime_vdso' 70, 'Probe_sys_getpid_raw' 71, 'LZMA_Decompress/xz/dict:22' 72, 'LZMA_Compress/xz/dict:22' 73, 'LZMA_Decompress/sdk/dict:22' 74, 'LZMA_Compress/sdk/dict:22' 75) scale 0
set cbrange [-11.306818515559659:11.306818515559659]
set cblabel 'log2(speed ratio)'
set palette defined (-1 '#b2182b', 0 '#f7f7f7', 1 '#2166ac')
plot 'results/examples/quick/plots/ratio_heatmap.dat' using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, 'results/examples/quick/plots/ratio_heatmap_labels.dat' using 1:2:3 with labels font ',9'
