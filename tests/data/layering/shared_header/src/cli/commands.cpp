#include "core/log.hpp"
#include "providers/provider.hpp"
