#include "daemon/daemon.hpp"
#include "core/version.hpp"
