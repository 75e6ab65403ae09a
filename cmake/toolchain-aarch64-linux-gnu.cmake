# Cross-compiling for arm64 with Debian's crossbuild-essential-arm64 and multiarch :arm64 -dev
# packages (scripts/install-arm64-deps). Used by containers/build-images:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake \
#         -DOCIBENCH_BENCH_ONLY=ON -DOCIBENCH_SANITIZE=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Headers and libraries: the cross sysroot and Debian's multiarch arm64 directories. Programs
# (cmake helpers, pkg-config) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config must see only arm64 .pc files (and arch-independent ones). First the private sysroot
# where scripts/install-arm64-deps unpacks the -dev packages that cannot be co-installed.
if(DEFINED ENV{OCIBENCH_ARM64_SYSROOT})
  set(OCIBENCH_ARM64_SYSROOT $ENV{OCIBENCH_ARM64_SYSROOT})
else()
  set(OCIBENCH_ARM64_SYSROOT /usr/local/lib/ocibench/arm64-sysroot)
endif()
# find_package(fmt …) configs unpacked there too (the harness's cross build, scripts/package arm64).
list(APPEND CMAKE_FIND_ROOT_PATH ${OCIBENCH_ARM64_SYSROOT})
set(ENV{PKG_CONFIG_LIBDIR} "${OCIBENCH_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Lets try_run and tests execute arm64 programs through qemu-user when it is installed.
find_program(OCIBENCH_QEMU_AARCH64 qemu-aarch64-static)
if(OCIBENCH_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${OCIBENCH_QEMU_AARCH64})
endif()
