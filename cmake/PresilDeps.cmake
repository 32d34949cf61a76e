# SPDX-License-Identifier: Apache-2.0
# Finds presil's dependencies; every one comes from a Debian package (see ci/setup).
find_package(PkgConfig REQUIRED)

function(presil_require_pkg var module debpkg)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "presil: ${module} not found; install the Debian package '${debpkg}' (ci/setup does)")
  endif()
endfunction()

presil_require_pkg(SYSTEMC systemc libsystemc-dev)
# libsystemc was built as C++17: pin its API so C++20 translation units link.
set_property(TARGET PkgConfig::SYSTEMC APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS SC_CPLUSPLUS=201703L)
presil_require_pkg(CAPSTONE capstone libcapstone-dev)
presil_require_pkg(LIBELF libelf libelf-dev)

macro(presil_find_package name debpkg)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "presil: CMake package ${name} not found; install the Debian package '${debpkg}' (ci/setup does)")
  endif()
endmacro()

presil_find_package(yaml-cpp libyaml-cpp-dev 0.7)
if(NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()
presil_find_package(CLI11 libcli11-dev)
presil_find_package(fmt libfmt-dev)
presil_find_package(nlohmann_json nlohmann-json3-dev 3.10)
presil_find_package(xbyak libxbyak-dev)
presil_find_package(verilator verilator 5.0)

if(PRESIL_BUILD_TESTS)
  presil_find_package(GTest libgtest-dev)
  presil_require_pkg(UNICORN unicorn libunicorn-dev)
  include(GoogleTest)
endif()
if(PRESIL_BUILD_BENCH)
  presil_find_package(benchmark libbenchmark-dev)
endif()
