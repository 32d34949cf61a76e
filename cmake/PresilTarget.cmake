# SPDX-License-Identifier: Apache-2.0
# Helpers for presil's own targets: warnings (as errors unless PRESIL_WERROR=OFF).
function(presil_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
  if(PRESIL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# presil_library(NAME SOURCES... [DEPS ...]): a static library of presil code.
function(presil_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
  presil_warnings(${name})
endfunction()

# presil_test(NAME SOURCES... DEPS ...): a GoogleTest binary; every test runs in
# its own process under ctest (SystemC allows one elaboration per process).
function(presil_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  presil_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "SC_COPYRIGHT_MESSAGE=DISABLE")
endfunction()
