# The LZMA SDK (Igor Pavlov's C sources), compiled into the library target `lzma_sdk`.
#
# Preferred: the SDK inside Debian's `7zip` source package (scripts/fetch-sources), the same
# version as the `7zz` the comparison runs against. Fallback: Debian's lzma-dev, which installs
# SDK 9.22's sources under /usr/include/lzma. Single-threaded builds of both (no LzFindMt).
set(OCIBENCH_LZMA_SDK_DIR "" CACHE PATH "LZMA SDK C directory (LzmaEnc.c ...); empty: auto")

if(NOT OCIBENCH_LZMA_SDK_DIR)
  file(GLOB _sdk "${OCIBENCH_SOURCE_CACHE}/7zip-*/C/LzmaEnc.c")
  if(_sdk)
    list(GET _sdk -1 _sdk)
    get_filename_component(_sdk ${_sdk} DIRECTORY)
    set(OCIBENCH_LZMA_SDK_DIR ${_sdk})
  elseif(EXISTS /usr/include/lzma/LzmaEnc.c)
    set(OCIBENCH_LZMA_SDK_DIR /usr/include/lzma)
  else()
    message(FATAL_ERROR "No LZMA SDK sources: install Debian's lzma-dev (scripts/install-deps)")
  endif()
endif()

set(_sdk_sources ${OCIBENCH_LZMA_SDK_DIR}/LzmaEnc.c ${OCIBENCH_LZMA_SDK_DIR}/LzmaDec.c
                 ${OCIBENCH_LZMA_SDK_DIR}/LzFind.c)
# Newer SDKs split the match finder's optimized loop and CPU detection into their own files.
foreach(_extra LzFindOpt.c CpuArch.c)
  if(EXISTS ${OCIBENCH_LZMA_SDK_DIR}/${_extra})
    list(APPEND _sdk_sources ${OCIBENCH_LZMA_SDK_DIR}/${_extra})
  endif()
endforeach()

file(STRINGS ${OCIBENCH_LZMA_SDK_DIR}/7zVersion.h _ver REGEX "define MY_VER_(MAJOR|MINOR) ")
string(REGEX REPLACE ".*MAJOR ([0-9]+).*" "\\1" _major "${_ver}")
string(REGEX REPLACE ".*MINOR ([0-9]+).*" "\\1" _minor "${_ver}")
if(_minor LESS 10)
  set(_minor "0${_minor}")  # 7-Zip writes 26.02, not 26.2
endif()
set(OCIBENCH_LZMA_SDK_VERSION "${_major}.${_minor}")

# Two variants like the workload libraries: plain and sanitized.
foreach(_t lzma_sdk lzma_sdk_san)
  if(_t STREQUAL "lzma_sdk_san" AND NOT OCIBENCH_SANITIZE)
    continue()
  endif()
  add_library(${_t} STATIC ${_sdk_sources})
  # SYSTEM: third-party code, its warnings are not ours to fix.
  target_include_directories(${_t} SYSTEM PUBLIC ${OCIBENCH_LZMA_SDK_DIR})
  target_compile_definitions(${_t} PUBLIC _7ZIP_ST Z7_ST
                                          OCIBENCH_LZMA_SDK_VERSION="${OCIBENCH_LZMA_SDK_VERSION}")
  target_compile_options(${_t} PRIVATE -O2)
  if(_t STREQUAL "lzma_sdk_san")
    target_compile_options(${_t} PUBLIC ${OCIBENCH_SAN_FLAGS})
    target_link_options(${_t} PUBLIC ${OCIBENCH_SAN_FLAGS})
    # The SDK stores 32-bit values at unaligned addresses on purpose where the CPU allows it
    # (MY_CPU_LE_UNALIGN); that is defined behaviour for its target, not a bug to report.
    target_compile_options(${_t} PRIVATE -fno-sanitize=alignment)
  endif()
endforeach()
message(STATUS "LZMA SDK ${OCIBENCH_LZMA_SDK_VERSION} from ${OCIBENCH_LZMA_SDK_DIR}")
