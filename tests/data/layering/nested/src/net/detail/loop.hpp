#pragma once
#include "net/runtime.hpp"
#include "store/store.hpp"
