#include "approvals/pending.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace tether::approvals {
namespace {

constexpr std::string_view kTimeoutMessage = "no answer within the approval timeout; denied";

// Who decided, as the end of "already allowed by …".
std::string describe_decider(const core::Decider& by) {
  using Kind = core::Decider::Kind;
  switch (by.kind) {
    case Kind::owner: return "the owner";
    case Kind::timeout: return "timeout";
    case Kind::provider_exit: return "the provider exiting";
    case Kind::daemon_stop: return "the daemon stopping";
    case Kind::cancelled: return "cancellation";
    case Kind::agent:
    case Kind::device: break;
  }
  return fmt::format("device {}", core::to_string(by));
}

bool by_deadline(const Pending& a, const Pending& b) {
  return a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id;
}

// Removes the pending approvals `pred` picks and returns them, soonest deadline first.
template <class Pred>
std::vector<Pending> take_if(std::map<std::string, Pending, std::less<>>& pending, Pred pred) {
  std::vector<Pending> taken;
  for (auto it = pending.begin(); it != pending.end();) {
    if (pred(it->second)) {
      taken.push_back(std::move(it->second));
      it = pending.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(taken.begin(), taken.end(), by_deadline);
  return taken;
}

}  // namespace

void PendingBook::add(Pending p) {
  auto id = p.id;
  pending_.insert_or_assign(std::move(id), std::move(p));
}

Resolution PendingBook::resolve(Pending p, bool allow, std::optional<core::ApprovalScope> scope, core::Decider by,
                                std::string message) {
  Resolution r{p.id, std::move(p.session_id), std::move(p.request_id), allow, scope, std::move(by),
               std::move(message)};
  if (auto [it, inserted] = resolved_.insert_or_assign(r.id, r); inserted) {
    resolved_order_.push_back(r.id);
    if (resolved_order_.size() > kResolvedMemory) {
      resolved_.erase(resolved_order_.front());
      resolved_order_.pop_front();
    }
  }
  return r;
}

core::Result<Resolution> PendingBook::respond(std::string_view id, bool allow, core::ApprovalScope scope, core::Decider by,
                                              std::string message) {
  if (auto it = pending_.find(id); it != pending_.end()) {
    auto p = std::move(it->second);
    pending_.erase(it);
    return resolve(std::move(p), allow, scope, std::move(by), std::move(message));
  }
  if (auto it = resolved_.find(id); it != resolved_.end()) {
    const Resolution& done = it->second;
    return core::make_error(core::Errc::already_resolved, fmt::format("approval {} was already {} by {}", id,
                                                                      done.allow ? "allowed" : "denied",
                                                                      describe_decider(done.by)));
  }
  return core::make_error(core::Errc::not_found, fmt::format("no pending approval with id \"{}\"", core::cut_utf8(id, 64)));
}

std::vector<Resolution> PendingBook::expire(Clock::time_point now) {
  std::vector<Resolution> out;
  for (auto& p : take_if(pending_, [&](const Pending& p) { return p.deadline <= now; })) {
    out.push_back(resolve(std::move(p), false, std::nullopt, core::Decider::of(core::Decider::Kind::timeout),
                          std::string(kTimeoutMessage)));
  }
  return out;
}

std::vector<Resolution> PendingBook::cancel_session(std::string_view session_id, core::Decider by, std::string message) {
  std::vector<Resolution> out;
  for (auto& p : take_if(pending_, [&](const Pending& p) { return p.session_id == session_id; })) {
    out.push_back(resolve(std::move(p), false, std::nullopt, by, message));
  }
  return out;
}

std::optional<Resolution> PendingBook::cancel(std::string_view id, core::Decider by, std::string message) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  auto p = std::move(it->second);
  pending_.erase(it);
  return resolve(std::move(p), false, std::nullopt, std::move(by), std::move(message));
}

std::optional<Clock::time_point> PendingBook::next_deadline() const {
  std::optional<Clock::time_point> soonest;
  for (const auto& [id, p] : pending_) {
    if (!soonest || p.deadline < *soonest) soonest = p.deadline;
  }
  return soonest;
}

std::vector<Pending> PendingBook::list() const {
  std::vector<Pending> out;
  out.reserve(pending_.size());
  for (const auto& [id, p] : pending_) out.push_back(p);
  std::sort(out.begin(), out.end(), by_deadline);
  return out;
}

}  // namespace tether::approvals
