# libcurl for the HTTP workload.
#
# ocibench-bench is one static binary, and Debian's libcurl.a cannot be linked statically: it
# is built with GSSAPI (and LDAP, RTMP, SSH, PSL, IDN), and Debian ships no static libgssapi_krb5,
# libsasl2 or libp11-kit (checked on Debian 12: `gcc -static ... $(pkg-config --static --libs
# libcurl)` fails with undefined gss_*, sasl_*, p11_kit_*). The GnuTLS and NSS flavours have the
# same closure. So scripts/fetch-sources unpacks Debian's own `curl` source package (the version
# Debian ships) into OCIBENCH_SOURCE_CACHE, and it is built here, untouched, as a static HTTP-only
# library without TLS or any optional dependency. Without that source, the system's shared
# libcurl is used and ocibench-bench cannot be static.
file(GLOB _curl_src LIST_DIRECTORIES true "${OCIBENCH_SOURCE_CACHE}/curl-*")
list(FILTER _curl_src INCLUDE REGEX "/curl-[0-9.]+$")
if(_curl_src AND NOT TARGET deps_curl)
  list(GET _curl_src -1 _curl_src)
  include(ExternalProject)
  set(_curl_prefix ${CMAKE_BINARY_DIR}/_deps/curl)
  set(_curl_install ${_curl_prefix}/install)
  set(_curl_lib ${_curl_install}/lib/${CMAKE_STATIC_LIBRARY_PREFIX}curl${CMAKE_STATIC_LIBRARY_SUFFIX})
  set(_curl_args
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_INSTALL_PREFIX=${_curl_install}
    -DCMAKE_INSTALL_LIBDIR=lib
    -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF
    -DHTTP_ONLY=ON -DCURL_ENABLE_SSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF
    -DUSE_LIBIDN2=OFF -DCURL_ZLIB=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DUSE_NGHTTP2=OFF
    -DCURL_DISABLE_NETRC=ON -DCURL_DISABLE_COOKIES=ON -DCURL_DISABLE_ALTSVC=ON
    -DCURL_DISABLE_HSTS=ON -DENABLE_THREADED_RESOLVER=ON)
  if(CMAKE_TOOLCHAIN_FILE)
    # A relative toolchain path is relative to the build directory, else to the source tree.
    set(_tc ${CMAKE_TOOLCHAIN_FILE})
    if(NOT IS_ABSOLUTE "${_tc}")
      if(EXISTS ${CMAKE_BINARY_DIR}/${_tc})
        set(_tc ${CMAKE_BINARY_DIR}/${_tc})
      else()
        set(_tc ${CMAKE_SOURCE_DIR}/${_tc})
      endif()
    endif()
    list(APPEND _curl_args -DCMAKE_TOOLCHAIN_FILE=${_tc})
  endif()
  ExternalProject_Add(curl_static
    SOURCE_DIR ${_curl_src}
    PREFIX ${_curl_prefix}
    CMAKE_ARGS ${_curl_args}
    BUILD_BYPRODUCTS ${_curl_lib}
    UPDATE_COMMAND ""
    LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
  file(MAKE_DIRECTORY ${_curl_install}/include)
  add_library(deps_curl STATIC IMPORTED GLOBAL)
  set_target_properties(deps_curl PROPERTIES IMPORTED_LOCATION ${_curl_lib})
  target_include_directories(deps_curl SYSTEM INTERFACE ${_curl_install}/include)
  target_compile_definitions(deps_curl INTERFACE CURL_STATICLIB)
  target_link_libraries(deps_curl INTERFACE Threads::Threads)
  add_dependencies(deps_curl curl_static)
  string(REGEX REPLACE ".*/curl-" "" _curl_version "${_curl_src}")
  message(STATUS "libcurl: static HTTP-only ${_curl_version}, from Debian source ${_curl_src}")
  set(OCIBENCH_CURL_STATIC ON CACHE INTERNAL "libcurl is the static build from Debian's source")
elseif(NOT TARGET deps_curl)
  ocibench_pkg(deps_curl libcurl)
  message(WARNING "libcurl: Debian source package not found in ${OCIBENCH_SOURCE_CACHE} "
                  "(run scripts/fetch-sources as root); using the shared library, "
                  "so ocibench-bench cannot be static.")
  set(OCIBENCH_CURL_STATIC OFF CACHE INTERNAL "libcurl is the static build from Debian's source")
endif()
