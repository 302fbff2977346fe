#include "providers/opencode/opencode_provider.hpp"

#include <signal.h>

#include <fmt/format.h>

#include <random>

#include "core/files.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"
#include "net/http_client.hpp"
#include "providers/opencode/api.hpp"

namespace tether::providers::opencode {

namespace {
constexpr std::size_t kStderrTail = 4096;
constexpr int kHealthAttempts = 50;
constexpr auto kHealthRetry = std::chrono::milliseconds(100);
constexpr std::string_view kTitle = "tether";

constexpr common::AgentCli kOpenCodeCli{"OpenCode CLI", "opencode-ai", "--opencode-bin", ""};

// serve's password: 128 random bits, in hex.
std::string new_password() {
  std::random_device random("/dev/urandom");
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", random());
  return out;
}

bool ok_status(int status) { return status >= 200 && status < 300; }

// The env guard, written afresh at each start, atomically and 0600 (serve runs as the same
// user and executes it).
core::Result<void> write_plugin(const std::filesystem::path& path) {
  if (path.empty()) return core::make_error(core::Errc::internal, "no file is configured for OpenCode's plugin");
  const std::string_view text = env_guard_plugin();
  auto ok = core::atomic_write_file(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), 0600);
  if (!ok) return core::make_error(core::Errc::internal, fmt::format("cannot write OpenCode's plugin {}: {}", path.string(), ok.error().message));
  return {};
}
}  // namespace

ProviderKind opencode_kind(OpenCodeConfig config) {
  return {.type = core::ProviderType::opencode, .check = common::installed_check(kOpenCodeCli, config.opencode_bin),
          .make = provider_maker<OpenCodeProvider>(config)};
}

// SIGTERM to the process group (serve ends within a moment), then SIGKILL.
OpenCodeProvider::OpenCodeProvider(net::Runtime& runtime, OpenCodeConfig config, LaunchSpec spec, ProviderEvents& events)
    : runtime_(runtime), config_(std::move(config)), spec_(std::move(spec)), events_(events),
      process_(runtime_, {{SIGTERM}, config_.stop_grace}) {
  if (spec_.resume) session_id_ = spec_.session_id;
}

OpenCodeProvider::~OpenCodeProvider() {
  cancel_io();
  if (cancel_start_deadline_) std::exchange(cancel_start_deadline_, nullptr)();
  // then process_ kills the process group if it still runs; no handler runs after
}

bool OpenCodeProvider::running() const { return process_.running(); }

core::Result<void> OpenCodeProvider::launch() {
  auto bin = common::locate(kOpenCodeCli, config_.opencode_bin, spec_.env);
  if (!bin) return bin.error();
  const std::filesystem::path& plugin = config_.plugin_file;
  if (auto ok = write_plugin(plugin); !ok) return ok;
  password_ = new_password();
  auto env = serve_environment(spec_.env, password_, "file://" + percent_encode(plugin.string()));
  if (!env) return env.error();
  net::ChildSpec child_spec;
  child_spec.argv = command_line(*bin);
  child_spec.cwd = spec_.cwd;
  child_spec.env = std::move(*env);
  common::AgentProcess::Handlers handlers;
  handlers.on_line = [this](std::string_view line) { on_stdout_line(line); };
  handlers.on_exit = [this](int status) { on_exit(status); };
  failure_.clear();
  ready_ = false;
  stream_live_ = false;
  port_ = 0;
  translator_ = EventTranslator();
  if (auto ok = process_.spawn(std::move(child_spec), std::move(handlers)); !ok) return ok;
  cancel_start_deadline_ = runtime_.after(config_.start_timeout, [this] {
    cancel_start_deadline_ = nullptr;
    if (!ready_) {
      fail(fmt::format("OpenCode was not ready within {} s", std::chrono::duration_cast<std::chrono::seconds>(config_.start_timeout).count()));
    }
  });
  return {};
}

void OpenCodeProvider::on_stdout_line(std::string_view line) {
  if (port_ != 0) return;
  if (const auto port = listening_port(line)) {
    port_ = *port;
    check_health(1);
  }
}

void OpenCodeProvider::check_health(int attempt) {
  call("GET", "/global/health", "",
       [this](int status, const std::string& body) {
         if (!ok_status(status)) return fail("OpenCode's health check failed: " + describe_failure(status, body));
         open_stream();
       },
       [this, attempt](const core::Error& error) {
         if (attempt >= kHealthAttempts) return fail("OpenCode does not answer: " + error.message);
         cancel_retry_ = runtime_.after(kHealthRetry, [this, attempt] {
           cancel_retry_ = nullptr;
           check_health(attempt + 1);
         });
       });
}

void OpenCodeProvider::open_stream() {
  net::HttpClientRequest request;
  request.port = port_;
  request.target = "/event";
  request.headers = {{"Authorization", basic_auth(password_)}, {"x-opencode-directory", percent_encode(spec_.cwd.string())}};
  request.timeout = config_.request_timeout;
  net::SseHandlers handlers;
  handlers.on_event = [this](std::string_view data) { on_stream_event(data); };
  handlers.on_end = [this](const core::Error& error) {
    cancel_stream_ = nullptr;
    stream_live_ = false;
    fail("lost OpenCode's event stream: " + error.message);
  };
  cancel_stream_ = net::http_event_stream(runtime_, std::move(request), config_.stream_idle, std::move(handlers));
}

void OpenCodeProvider::on_stream_event(std::string_view data) {
  for (auto& out : translator_.on_event(data)) {
    if (auto* e = std::get_if<Event>(&out)) {
      events_.event(e->kind, std::move(e->data));
    } else if (auto* p = std::get_if<PermissionAsked>(&out)) {
      if (p->request_id.empty() || !pending_.emplace(p->request_id, p->session_id).second) continue;
      events_.tool_request(ToolRequest{std::move(p->request_id), std::move(p->tool), std::move(p->input),
                                       std::move(p->tool_use_id)});
    } else if (auto* r = std::get_if<PermissionReplied>(&out)) {
      on_replied(*r);
      if (!running() || process_.stopping()) return;
    } else if (std::holds_alternative<Connected>(out)) {
      if (!stream_live_) {
        stream_live_ = true;
        read_config();
      }
    } else if (auto* t = std::get_if<TurnEnd>(&out)) {
      events_.turn_finished(t->is_error);
    }
  }
}

// Only tether answers the questions: any other answer (someone who holds serve's password)
// is a security event, and the server is stopped, with whatever "always" it was told.
void OpenCodeProvider::on_replied(const PermissionReplied& replied) {
  if (answered_.erase(replied.request_id) > 0) return;
  if (pending_.erase(replied.request_id) > 0) events_.tool_request_cancelled(replied.request_id);
  events_.security_alert("foreign_answer",
                         fmt::format("OpenCode's permission question {} was answered \"{}\" by someone who is not tether; "
                                     "the session was stopped",
                                     replied.request_id, replied.reply),
                         {{"provider", "opencode"}, {"request", replied.request_id}, {"reply", replied.reply}});
  fail(fmt::format("a permission question was answered \"{}\" by someone who is not tether", replied.reply));
}

// The user's own permission rules, as OpenCode resolved them for this directory.
void OpenCodeProvider::read_config() {
  call("GET", "/config", "",
       [this](int status, const std::string& body) {
         if (!ok_status(status)) return fail("OpenCode did not give its config: " + describe_failure(status, body));
         auto config = object_of(body);
         if (!config) return fail(config.error().message);
         serve_config_ = std::move(*config);
         open_session();
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
}

void OpenCodeProvider::open_session() {
  if (session_id_.empty()) return create_session();
  const std::string id = session_id_;
  call("GET", "/session/" + percent_encode(id), "",
       [this, id](int status, const std::string& body) {
         if (ok_status(status)) return session_ready(id);
         if (status == 404) {
           events_.event("notice", {{"text", fmt::format("OpenCode has no session {} any more; starting a new one", id)}});
           return create_session();
         }
         fail(fmt::format("cannot resume OpenCode session {}: {}", id, describe_failure(status, body)));
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
}

void OpenCodeProvider::create_session() {
  call("POST", "/session", create_session_body(kTitle, serve_config_),
       [this](int status, const std::string& body) {
         if (!ok_status(status)) return fail("OpenCode did not create a session: " + describe_failure(status, body));
         auto id = session_id_of(body);
         if (!id) return fail(id.error().message);
         // From now on a new server continues this conversation.
         spec_.session_id = *id;
         spec_.resume = true;
         events_.resumable_as(*id);
         session_ready(std::move(*id));
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
}

void OpenCodeProvider::session_ready(std::string id) {
  session_id_ = std::move(id);
  translator_.set_session(session_id_);
  ready_ = true;
  if (cancel_start_deadline_) std::exchange(cancel_start_deadline_, nullptr)();
  while (!queued_.empty() && ready_) {
    const std::string text = std::move(queued_.front());
    queued_.pop_front();
    post_prompt(text);
  }
}

void OpenCodeProvider::post_prompt(const std::string& text) {
  auto body = prompt_body(text, spec_.model);
  if (!body) {  // send() checked the model already; kept for safety
    events_.event("error", {{"message", body.error().message}});
    return;
  }
  // Before the call: OpenCode may report the session busy before it answers.
  translator_.prompt_sent();
  call("POST", "/session/" + percent_encode(session_id_) + "/prompt_async", std::move(*body),
       [this](int status, const std::string& reply) {
         if (ok_status(status)) return;
         events_.event("error", {{"message", "OpenCode refused the prompt: " + describe_failure(status, reply)}});
         for (auto& out : translator_.fail_turn()) {
           if (auto* e = std::get_if<Event>(&out)) events_.event(e->kind, std::move(e->data));
           if (auto* t = std::get_if<TurnEnd>(&out)) events_.turn_finished(t->is_error);
         }
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
}

core::Result<void> OpenCodeProvider::send(std::string_view text) {
  if (auto body = prompt_body(text, spec_.model); !body) return body.error();
  if (running() && process_.stopping()) return core::make_error(core::Errc::stopping, "the agent is stopping");
  if (!running()) {
    if (auto ok = launch(); !ok) return ok;
  }
  if (ready_) {
    post_prompt(std::string(text));
  } else {
    queued_.emplace_back(text);
  }
  events_.turn_started();
  return {};
}

core::Result<void> OpenCodeProvider::interrupt() {
  if (!running() || process_.stopping()) return core::make_error(core::Errc::not_running, "the agent is not running");
  if (!ready_) {
    if (queued_.empty()) return core::make_error(core::Errc::idle, "the agent is not working on a prompt");
    queued_.clear();
    events_.event("notice", {{"text", "[interrupted] before OpenCode was ready; the prompt was not sent"}});
    events_.turn_finished(false);
    return {};
  }
  if (!translator_.in_turn()) return core::make_error(core::Errc::idle, "the agent is not working on a prompt");
  // OpenCode leaves the questions of an aborted turn listed: withdraw them here, and
  // reject them there once the abort is done (nothing runs then).
  std::vector<std::string> withdrawn;
  for (const auto& [id, session] : pending_) withdrawn.push_back(id);
  pending_.clear();
  for (const auto& id : withdrawn) {
    answered_.insert(id);
    events_.tool_request_cancelled(id);
  }
  call("POST", "/session/" + percent_encode(session_id_) + "/abort", "",
       [this, withdrawn](int status, const std::string& body) {
         if (!ok_status(status)) {
           events_.event("error", {{"message", "OpenCode did not abort the turn: " + describe_failure(status, body)}});
           return;
         }
         for (const auto& id : withdrawn) {
           call("POST", "/permission/" + percent_encode(id) + "/reply", reply_body(false, ""), [](int, const std::string&) {},
                [](const core::Error&) {});
         }
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
  return {};
}

void OpenCodeProvider::answer(std::string_view request_id, const ToolAnswer& answer) {
  const auto it = pending_.find(request_id);
  if (it == pending_.end() || !running()) return;  // withdrawn, or the server is gone
  const std::string session = it->second;
  pending_.erase(it);
  if (!answer.allow) {
    // OpenCode rejects every other open question of that session with it: they are withdrawn.
    for (auto other = pending_.begin(); other != pending_.end();) {
      if (other->second != session) {
        ++other;
        continue;
      }
      const std::string id = other->first;
      other = pending_.erase(other);
      answered_.insert(id);
      events_.tool_request_cancelled(id);
    }
  }
  reply(std::string(request_id), answer.allow, answer.message);
}

void OpenCodeProvider::reply(const std::string& id, bool allow, std::string_view message) {
  answered_.insert(id);
  call("POST", "/permission/" + percent_encode(id) + "/reply", reply_body(allow, message),
       [this, id](int status, const std::string& body) {
         if (ok_status(status) || status == 404) return;  // 404: the turn ended meanwhile
         events_.event("error", {{"message", fmt::format("OpenCode did not take the answer to {}: {}", id,
                                                          describe_failure(status, body))}});
       },
       [this](const core::Error& error) { fail("cannot reach OpenCode: " + error.message); });
}

// No call to serve is answered once it is being stopped.
void OpenCodeProvider::stop() {
  if (!running() || process_.stopping()) return;
  cancel_io();
  process_.stop();
}

void OpenCodeProvider::terminate() {
  if (!running()) return;
  cancel_io();
  process_.terminate();
}

void OpenCodeProvider::fail(std::string message) {
  if (process_.stopping() || !running()) return;
  failure_ = core::utf8_excerpt(message, 2000);
  terminate();
}

void OpenCodeProvider::cancel_io() {
  if (cancel_stream_) std::exchange(cancel_stream_, nullptr)();
  if (cancel_retry_) std::exchange(cancel_retry_, nullptr)();
  auto calls = std::exchange(calls_, {});
  for (auto& [id, cancel] : calls) cancel();
}

void OpenCodeProvider::call(std::string method, std::string target, std::string body, Reply on_reply, Failure on_failure) {
  net::HttpClientRequest request;
  request.port = port_;
  request.method = std::move(method);
  request.target = std::move(target);
  request.headers = {{"Authorization", basic_auth(password_)}, {"x-opencode-directory", percent_encode(spec_.cwd.string())}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  request.timeout = config_.request_timeout;
  const std::uint64_t id = next_call_++;
  calls_[id] = net::http_request(runtime_, std::move(request),
                                 [this, id, on_reply = std::move(on_reply), on_failure = std::move(on_failure)](
                                     core::Result<net::HttpClientResponse> result) {
                                   calls_.erase(id);
                                   if (result) {
                                     on_reply(result->status, std::move(result->body));
                                   } else {
                                     on_failure(result.error());
                                   }
                                 });
}

void OpenCodeProvider::on_exit(int status) {
  cancel_io();
  if (cancel_start_deadline_) std::exchange(cancel_start_deadline_, nullptr)();
  ready_ = false;
  stream_live_ = false;
  port_ = 0;
  queued_.clear();
  pending_.clear();
  answered_.clear();
  translator_ = EventTranslator();
  std::string detail = failure_;
  const std::string tail = core::utf8_excerpt(core::without_trailing_newlines(process_.stderr_tail()), kStderrTail);
  if (!tail.empty() && (!failure_.empty() || process_.failed_on_its_own(status))) {
    detail += detail.empty() ? tail : "; its last output: " + tail;
  }
  // A server we had to stop failed, whatever its exit status says.
  events_.exited(!failure_.empty() && status == 0 ? 1 : status, detail);
}

}  // namespace tether::providers::opencode
