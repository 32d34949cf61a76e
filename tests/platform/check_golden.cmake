# SPDX-License-Identifier: Apache-2.0
# Runs `PRESIL check CASE.yaml` in DIR; expects exit status 2 and stderr equal to CASE.err.
execute_process(COMMAND ${PRESIL} check ${CASE}.yaml
  WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${DIR}/${CASE}.err expected)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "${CASE}: exit status ${rc}, expected 2\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "${CASE}: stderr differs\n--- expected\n${expected}--- got\n${err}")
endif()
