# One bounded fuzz run: an empty scratch corpus (written) plus the committed seeds (read).
# Usage: cmake -DFUZZER=<exe> -DSEEDS=<dir> -DWORK=<dir> -DARGS="-runs=20000;..." -P run_fuzz.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${FUZZER} ${ARGS} ${WORK} ${SEEDS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the crashing input is in the working directory")
endif()
