# Google Benchmark for ocibench-bench.
#
# Debian's libbenchmark-dev ships only the shared libbenchmark.so, and ocibench-bench must be
# static. scripts/fetch-sources unpacks Debian's own `benchmark` source package (same version)
# into OCIBENCH_SOURCE_CACHE; it is built here as a static library. Without it, the system
# package is used through find_package and the binary cannot be static.
file(GLOB _bm_src LIST_DIRECTORIES true "${OCIBENCH_SOURCE_CACHE}/benchmark-*")
list(FILTER _bm_src INCLUDE REGEX "/benchmark-[0-9.]+$")
if(_bm_src)
  list(GET _bm_src -1 _bm_src)
  set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
  set(BENCHMARK_ENABLE_GTEST_TESTS OFF CACHE BOOL "" FORCE)
  set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
  set(BENCHMARK_ENABLE_WERROR OFF CACHE BOOL "" FORCE)
  set(BENCHMARK_INSTALL_DOCS OFF CACHE BOOL "" FORCE)
  set(BUILD_SHARED_LIBS OFF)
  # Debian patches out the git version probe; this makes the project fall back to its own.
  set(GIT_VERSION "0.0.0")
  add_subdirectory(${_bm_src} ${CMAKE_BINARY_DIR}/_deps/benchmark EXCLUDE_FROM_ALL SYSTEM)
  message(STATUS "Google Benchmark: static, from Debian source ${_bm_src}")
  set(OCIBENCH_BENCHMARK_STATIC ON)
else()
  find_package(benchmark REQUIRED)
  message(WARNING "Google Benchmark: Debian source package not found in ${OCIBENCH_SOURCE_CACHE} "
                  "(run scripts/fetch-sources as root); linking the shared library, "
                  "so ocibench-bench will not be static.")
  set(OCIBENCH_BENCHMARK_STATIC OFF)
endif()
