# Where the package puts ocibench's files (relative to the install prefix, /usr in the .deb).
# harness/process/install_paths.cc is compiled with the same values, so an installed ocibench
# finds its bench binary, images and reference CSVs without flags; cmake/Packaging.cmake installs
# them there.
include(GNUInstallDirs)
set(OCIBENCH_INSTALL_LIBEXECDIR "${CMAKE_INSTALL_LIBEXECDIR}/ocibench")  # ocibench-bench
set(OCIBENCH_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/ocibench")        # images/oci, reference/
