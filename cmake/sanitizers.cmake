# ASan + UBSan for the test build; UB aborts instead of printing and going on.
# clang 14's -fsanitize=function cannot compile C++20 coroutines ("Cannot
# represent a difference across sections"), so that one check is left out.
if(TETHER_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    list(APPEND _san -fno-sanitize=function)
  endif()
  add_compile_options(${_san} -fno-omit-frame-pointer)
  add_link_options(${_san})
endif()
