# Warnings and the two build variants of every workload library.
#
# ocibench-bench links statically, and ASan cannot be linked into a static binary; the unit
# tests want sanitizers. So each workload library is built twice when OCIBENCH_SANITIZE is on:
# NAME (plain, for the bench binary) and NAME_san (ASan+UBSan, for the tests).

set(OCIBENCH_WARNINGS -Wall -Wextra)
set(OCIBENCH_SAN_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                       -fno-sanitize-recover=undefined)

# ocibench_library(NAME SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
function(ocibench_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(variants ${name})
  if(OCIBENCH_SANITIZE)
    list(APPEND variants ${name}_san)
  endif()
  foreach(target IN LISTS variants)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${OCIBENCH_WARNINGS}>)
    set(pub ${ARG_PUBLIC_LIBS})
    set(priv ${ARG_PRIVATE_LIBS})
    if(target MATCHES "_san$")
      target_compile_options(${target} PUBLIC ${OCIBENCH_SAN_FLAGS})
      target_link_options(${target} PUBLIC ${OCIBENCH_SAN_FLAGS})
      # Libraries of ours that have a sanitized variant link that one.
      list(TRANSFORM pub REPLACE "^(ocibench_[a-z0-9_]+|lzma_sdk)$" "\\1_san")
      list(TRANSFORM priv REPLACE "^(ocibench_[a-z0-9_]+|lzma_sdk)$" "\\1_san")
    endif()
    target_link_libraries(${target} PUBLIC ${pub} PRIVATE ${priv})
  endforeach()
endfunction()

# The variant of a workload library that tests link: sanitized when that is on.
function(ocibench_test_lib out name)
  if(OCIBENCH_SANITIZE)
    set(${out} ${name}_san PARENT_SCOPE)
  else()
    set(${out} ${name} PARENT_SCOPE)
  endif()
endfunction()

# ocibench_pkg(TARGET MODULE), TARGET named deps_<module> by convention: an INTERFACE target for a pkg-config module that links its
# libraries *by name* (-lfoo) with their static dependencies, so that the same target works for
# the static ocibench-bench (-static picks libfoo.a) and for dynamic test binaries.
# pkg_check_modules' IMPORTED_TARGET would link absolute .so paths, which -static refuses.
function(ocibench_pkg target module)
  pkg_check_modules(_pkg_${target} REQUIRED ${module})
  add_library(${target} INTERFACE)
  target_include_directories(${target} SYSTEM INTERFACE ${_pkg_${target}_STATIC_INCLUDE_DIRS})
  target_link_directories(${target} INTERFACE ${_pkg_${target}_STATIC_LIBRARY_DIRS})
  target_link_libraries(${target} INTERFACE ${_pkg_${target}_STATIC_LIBRARIES})
  set(${target}_VERSION ${_pkg_${target}_VERSION} PARENT_SCOPE)
endfunction()
