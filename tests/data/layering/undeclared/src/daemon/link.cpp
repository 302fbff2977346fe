#include "core/log.hpp"

#include "relay/wire.hpp"
