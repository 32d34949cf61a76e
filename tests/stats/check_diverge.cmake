# SPDX-License-Identifier: Apache-2.0
# --check-determinism with the second run shifted by one cycle after 5000 instructions: exit
# status 5 and the first divergence named with both runs' instruction count, pc and time.
execute_process(COMMAND ${PRESIL} run ${BOARD} --kernel ${ELF} --check-determinism --perturb-at=5000
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${err}")
if(NOT rc EQUAL 5)
  message(FATAL_ERROR "expected exit status 5 (diverged), got ${rc}")
endif()
foreach(pattern "the runs diverge at checkpoint [0-9]+ of"
                "run 1: instructions [0-9]+, pc 0x[0-9a-f]+, cycle ([0-9]+), simulated time [0-9]+ ps"
                "run 2: instructions [0-9]+, pc 0x[0-9a-f]+, cycle [0-9]+, simulated time [0-9]+ ps"
                "last common checkpoint: instructions [0-9]+")
  if(NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "missing: ${pattern}")
  endif()
endforeach()
# The shift is one cycle: run 2's cycle at the divergence is run 1's plus one.
string(REGEX MATCH "run 1: [^\n]*cycle ([0-9]+)" _ "${err}")
set(c1 ${CMAKE_MATCH_1})
string(REGEX MATCH "run 2: [^\n]*cycle ([0-9]+)" _ "${err}")
set(c2 ${CMAKE_MATCH_1})
math(EXPR diff "${c2} - ${c1}")
if(NOT diff EQUAL 1)
  message(FATAL_ERROR "expected run 2 one cycle later, got ${c1} and ${c2}")
endif()
