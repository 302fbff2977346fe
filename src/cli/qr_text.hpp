// Renders text as a QR code for a terminal, two modules per character cell
// with Unicode half blocks. Light modules are drawn (█ ▀ ▄), dark ones left
// blank, for the usual light-on-dark terminal; a quiet zone surrounds it.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tether::cli {

core::Result<std::string> qr_text(std::string_view data);

}  // namespace tether::cli
