#include "core/log.hpp"
#include "util/strings.hpp"
