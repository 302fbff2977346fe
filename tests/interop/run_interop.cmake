# Runs the Noise interop test: bundles web/src/noise with the esbuild that web/ already
# has (vitest's dependency), then `node --test` with the C++ noise_peer.
# Usage: cmake -DPEER=<noise_peer> -DWEB=<repo>/web -DTEST=<.mjs> -DOUT=<dir> -P run_interop.cmake
foreach(var PEER WEB TEST OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_interop.cmake: -D${var}= is required")
  endif()
endforeach()
set(esbuild ${WEB}/node_modules/.bin/esbuild)
if(NOT EXISTS ${esbuild})
  message(FATAL_ERROR "interop.noise: ${esbuild} is missing; run `npm ci` in web/ first")
endif()
find_program(NODE node REQUIRED)
file(MAKE_DIRECTORY ${OUT})
execute_process(
  COMMAND ${esbuild} ${WEB}/src/noise/index.ts --bundle --format=esm --platform=node --log-level=warning
          --outfile=${OUT}/noise_bundle.mjs
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "interop.noise: bundling web/src/noise failed")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env NOISE_PEER=${PEER} NOISE_BUNDLE=${OUT}/noise_bundle.mjs
          ${NODE} --test --test-reporter=spec ${TEST}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "interop.noise: node --test failed")
endif()
