#pragma once
#include "core/log.hpp"
