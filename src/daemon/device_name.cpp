#include "daemon/device_name.hpp"

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace tether::daemon {

core::Result<std::string> device_name(std::string_view raw) {
  if (!core::utf8_valid(raw)) return core::make_error(core::Errc::invalid_params, "a device name must be UTF-8 text");
  if (core::has_controls(raw)) {
    return core::make_error(core::Errc::invalid_params,
                            "a device name must not hold control or text-direction characters: " +
                                core::visible_controls(core::cut_utf8(raw, kMaxDeviceName), core::KeepControls::none));
  }
  return std::string(core::cut_utf8(raw, kMaxDeviceName));
}

}  // namespace tether::daemon
