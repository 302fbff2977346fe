#include "core/log.hpp"

#include <fmt/format.h>
