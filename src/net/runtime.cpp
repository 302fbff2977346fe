#include "net/runtime.hpp"

#include <boost/asio/post.hpp>

#include "net/detail/asio_runtime.hpp"

namespace tether::net {

namespace asio = boost::asio;

Runtime::Runtime() : impl_(std::make_unique<Impl>()) {}
Runtime::~Runtime() = default;

void Runtime::run() { impl_->io.run(); }
void Runtime::stop() { impl_->io.stop(); }
void Runtime::restart() { impl_->io.restart(); }
void Runtime::post(std::function<void()> fn) { asio::post(impl_->io, std::move(fn)); }

void Runtime::on_signals(std::initializer_list<int> signals, std::function<void(int)> fn) {
  auto& set = impl_->signal_sets.emplace_back(std::make_unique<asio::signal_set>(impl_->io));
  for (int s : signals) set->add(s);
  auto handler = std::make_shared<std::function<void(const boost::system::error_code&, int)>>();
  *handler = [impl = impl_.get(), set = set.get(), fn = std::move(fn), weak = std::weak_ptr(handler)](
                 const boost::system::error_code& ec, int sig) {
    if (ec || impl->cancelled) return;
    fn(sig);
    if (impl->cancelled) return;  // fn may have cancelled us
    if (auto h = weak.lock()) set->async_wait(*h);
  };
  set->async_wait([handler](const boost::system::error_code& ec, int sig) { (*handler)(ec, sig); });
}

void Runtime::every(std::chrono::steady_clock::duration period, std::function<void()> fn) {
  auto& timer = impl_->timers.emplace_back(std::make_unique<asio::steady_timer>(impl_->io));
  struct Tick {
    Impl* impl;
    asio::steady_timer* timer;
    std::chrono::steady_clock::duration period;
    std::shared_ptr<std::function<void()>> fn;
    void operator()(const boost::system::error_code& ec) const {
      if (ec || impl->cancelled) return;
      (*fn)();
      if (impl->cancelled) return;
      timer->expires_after(period);
      timer->async_wait(*this);
    }
  };
  timer->expires_after(period);
  timer->async_wait(Tick{impl_.get(), timer.get(), period, std::make_shared<std::function<void()>>(std::move(fn))});
}

std::function<void()> Runtime::after(std::chrono::steady_clock::duration delay, std::function<void()> fn) {
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, delay);
  timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (!ec) fn();
  });
  return [weak = std::weak_ptr(timer)] {
    if (auto t = weak.lock()) t->cancel();
  };
}

void Runtime::cancel_timers_and_signals() {
  impl_->cancelled = true;
  for (auto& s : impl_->signal_sets) s->cancel();
  for (auto& t : impl_->timers) t->cancel();
}

}  // namespace tether::net
