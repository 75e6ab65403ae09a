# Install rules and the Debian package (CPack's DEB generator): scripts/package builds
# packages/ocibench_<version>_<arch>.deb for amd64 (this build) or arm64 (a cross build).
#   /usr/bin/ocibench                        the harness
#   /usr/libexec/ocibench/ocibench-bench     the static bench binary (native runs)
#   /usr/share/ocibench/images/oci           the OCI image layout (bench, redis, nginx; amd64+arm64)
#   /usr/share/ocibench/reference            the studies' figures (results/reference)
install(TARGETS ocibench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The bench binary: this build's, or a prebuilt one. scripts/package arm64 passes the static
# arm64 ocibench-bench that `--target images` already cross-built (build/images/build-arm64), so
# the arm64 package ships the binary of the arm64 image and only the harness is cross-built again.
set(OCIBENCH_PACKAGE_BENCH "" CACHE FILEPATH
    "A prebuilt ocibench-bench the package ships instead of this build's (empty: this build's)")
if(OCIBENCH_PACKAGE_BENCH)
  install(PROGRAMS ${OCIBENCH_PACKAGE_BENCH} DESTINATION ${OCIBENCH_INSTALL_LIBEXECDIR}
          RENAME ocibench-bench)
else()
  install(TARGETS ocibench-bench RUNTIME DESTINATION ${OCIBENCH_INSTALL_LIBEXECDIR})
endif()
# The images come from `cmake --build build --target images`; an arm64 cross build reuses the
# native build's layout (it is multi-arch: both architectures' images, 26 MiB).
set(OCIBENCH_PACKAGE_IMAGES "${CMAKE_BINARY_DIR}/images/oci" CACHE PATH
    "The OCI image layout the package ships (containers/build-images output)")
install(DIRECTORY ${OCIBENCH_PACKAGE_IMAGES}/ DESTINATION ${OCIBENCH_INSTALL_DATADIR}/images/oci)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/results/reference/
        DESTINATION ${OCIBENCH_INSTALL_DATADIR}/reference)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  set(OCIBENCH_DEB_ARCH amd64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(OCIBENCH_DEB_ARCH arm64)
else()
  set(OCIBENCH_DEB_ARCH ${CMAKE_SYSTEM_PROCESSOR})
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ocibench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "ocibench maintainers <ocibench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "what a container runtime costs your workload (runc, crun, runsc, containerd shims)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/packages)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ocibench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${OCIBENCH_DEB_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Declared, not computed with dpkg-shlibdeps: that needs the arm64 libraries registered in dpkg,
# which a cross build here does not have. tests/integration/package-check checks that every
# NEEDED library of every ELF in the package is provided by one of these (Debian 12 versions).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1 (>= 3.3.1), libfmt9 (>= 9.1.0), libtomlplusplus3 (>= 3.3.0), libhiredis0.14 (>= 0.14.1), umoci, iproute2")
# What the quick matrix runs on a device: the runtimes, the redis and nginx servers for native
# cells, the CNI plugins for --placement both, gnuplot for the report's plots. apt installs
# Recommends by default, so `apt install ./ocibench_<version>_<arch>.deb` is all a device needs.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "runc, crun, containerd, redis-server, nginx-light | nginx, containernetworking-plugins, gnuplot-nox")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "runsc, qemu-user-static")
include(CPack)
