#pragma once
#include "core/log.hpp"
#include "store/store.hpp"
