#include "providers/provider.hpp"
#include "net/runtime.hpp"
