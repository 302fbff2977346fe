#include "net/runtime.hpp"
#include "net/detail/loop.hpp"
