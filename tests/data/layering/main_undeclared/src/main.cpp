#include "core/log.hpp"
#include "relay/relay_command.hpp"
