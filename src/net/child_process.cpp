#include "net/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "core/env.hpp"
#include "net/detail/asio_runtime.hpp"

namespace tether::net {

namespace asio = boost::asio;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

struct Pipe {
  int read = -1;
  int write = -1;
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  int take_read() { return std::exchange(read, -1); }
  int take_write() { return std::exchange(write, -1); }
};

// Everything the child needs between fork and exec, prepared before the fork: after
// it, the child makes only async-signal-safe calls.
struct ExecPlan {
  ExecPlan(ChildSpec& spec, const std::string& exe_path)
      : exe(exe_path), cwd(spec.cwd.string()), umask(spec.umask), parent(::getpid()) {
    for (auto& a : spec.argv) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : spec.env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  std::string exe;
  std::string cwd;
  mode_t umask;
  pid_t parent;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

// In the child: stdin/stdout/stderr are in place; the rest of the process is set up here.
[[noreturn]] void exec_child(const ExecPlan& plan) {
  // An agent never outlives the daemon that supervises it (even after kill -9): nobody
  // would be left to answer its questions.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != plan.parent) ::_exit(127);
  // Nothing of the daemon's (sockets, the instance lock, the database) reaches the child.
  ::closefrom(3);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT, SIGTSTP}) ::signal(sig, SIG_DFL);
  ::umask(plan.umask);
  if (!plan.cwd.empty() && ::chdir(plan.cwd.c_str()) != 0) ::_exit(126);
  ::execve(plan.exe.c_str(), plan.argv.data(), plan.envp.data());
  ::_exit(127);
}

}  // namespace

std::string find_executable(std::string_view name, std::string_view path_env) {
  if (name.empty()) return "";
  if (name.find('/') != std::string_view::npos) {
    std::string p(name);
    return is_executable_file(p) ? p : "";
  }
  std::size_t start = 0;
  while (start <= path_env.size()) {
    std::size_t end = path_env.find(':', start);
    if (end == std::string_view::npos) end = path_env.size();
    std::string dir(path_env.substr(start, end - start));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + std::string(name);
    if (is_executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

struct ChildProcess::Impl : std::enable_shared_from_this<ChildProcess::Impl> {
  Impl(asio::io_context& io, int in, int out, int err, int pidfd, pid_t child, ChildHandlers h, std::size_t max_line)
      : stdin_pipe(io, in), stdout_pipe(io, out), stderr_pipe(io), exit_fd(io, pidfd), wake(io), pid(child),
        handlers(std::move(h)), max_line_bytes(max_line) {
    if (err >= 0) stderr_pipe.assign(err);  // a terminal has none: its stderr is the terminal
    wake.expires_at(asio::steady_timer::time_point::max());
  }

  asio::awaitable<void> write_loop() {
    auto self = shared_from_this();
    for (;;) {
      if (queue.empty()) {
        if (stdin_closing || exited) break;
        co_await wake.async_wait(use_tuple);
        wake.expires_at(asio::steady_timer::time_point::max());
        continue;
      }
      auto [ec, n] = co_await asio::async_write(stdin_pipe, asio::buffer(queue.front()), use_tuple);
      if (ec) break;  // the child closed its stdin or died
      queue.pop_front();
    }
    queue.clear();
    stdin_closed = true;
    boost::system::error_code ignored;
    stdin_pipe.close(ignored);
  }

  asio::awaitable<void> stdout_loop() {
    auto self = shared_from_this();
    std::string buf;
    std::size_t dropping = 0;  // > 0: inside an overlong line, this many bytes dropped so far
    char chunk[65536];
    for (;;) {
      auto [ec, n] = co_await stdout_pipe.async_read_some(asio::buffer(chunk), use_tuple);
      if (ec) break;  // EOF, or EIO from a terminal whose last user has gone
      std::string_view data(chunk, n);
      if (handlers.on_stdout_data) {
        if (!detached) handlers.on_stdout_data(data);
        continue;
      }
      while (!data.empty()) {
        const auto nl = data.find('\n');
        const std::string_view piece = data.substr(0, nl);
        if (dropping > 0) {
          dropping += piece.size();
        } else if (buf.size() + piece.size() > max_line_bytes) {
          dropping = buf.size() + piece.size();
          buf.clear();
        } else {
          buf.append(piece);
        }
        if (nl == std::string_view::npos) break;
        data.remove_prefix(nl + 1);
        if (dropping > 0) {
          if (!detached && handlers.on_stdout_overlong) handlers.on_stdout_overlong(dropping);
          dropping = 0;
        } else {
          if (!detached && handlers.on_stdout_line) handlers.on_stdout_line(buf);
          buf.clear();
        }
      }
    }
    // The output ended without a final newline: the last line still counts (or is reported as overlong).
    if (dropping > 0) {
      if (!detached && handlers.on_stdout_overlong) handlers.on_stdout_overlong(dropping);
    } else if (!buf.empty() && !detached && handlers.on_stdout_line) {
      handlers.on_stdout_line(buf);
    }
    stdout_done = true;
    maybe_finish();
  }

  asio::awaitable<void> stderr_loop() {
    auto self = shared_from_this();
    if (!stderr_pipe.is_open()) co_return;
    char chunk[16384];
    for (;;) {
      auto [ec, n] = co_await stderr_pipe.async_read_some(asio::buffer(chunk), use_tuple);
      if (ec) break;
      if (!detached && handlers.on_stderr) handlers.on_stderr(std::string_view(chunk, n));
    }
  }

  asio::awaitable<void> exit_loop() {
    auto self = shared_from_this();
    co_await exit_fd.async_wait(asio::posix::descriptor_base::wait_read, use_tuple);
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
    exited = true;
    for (auto& t : end_timers) t->cancel();
    boost::system::error_code ignored;
    exit_fd.close(ignored);
    wake.cancel();
    if (!stdout_done) {
      // A grandchild may hold stdout open: give the pipe a moment to drain, then stop reading.
      asio::steady_timer grace(exit_fd.get_executor(), std::chrono::seconds(2));
      co_await grace.async_wait(use_tuple);
      stdout_pipe.close(ignored);
    }
    maybe_finish();
  }

  void maybe_finish() {
    if (!exited || !stdout_done || finished) return;
    finished = true;
    if (!detached && handlers.on_exit) handlers.on_exit(exit_status);
  }

  asio::posix::stream_descriptor stdin_pipe;
  asio::posix::stream_descriptor stdout_pipe;
  asio::posix::stream_descriptor stderr_pipe;
  asio::posix::stream_descriptor exit_fd;
  asio::steady_timer wake;
  pid_t pid;
  ChildHandlers handlers;
  std::size_t max_line_bytes;
  std::deque<std::string> queue;
  bool stdin_closing = false;
  bool stdin_closed = false;
  bool stdout_done = false;
  bool exited = false;
  bool finished = false;
  std::vector<std::unique_ptr<asio::steady_timer>> end_timers;  // ChildProcess::end's pending steps
  bool detached = false;  // the owner is gone: call no handler
  bool terminal = false;  // stdin/stdout are a pseudo-terminal's master side
  int exit_status = 0;
};

core::Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(Runtime& runtime, ChildSpec spec, ChildHandlers handlers) {
  if (spec.argv.empty()) return core::make_error(core::Errc::spawn, "no command given");
  const std::string path_env = core::env_value(spec.env, "PATH");
  const std::string exe = find_executable(spec.argv[0], path_env);
  if (exe.empty()) {
    return core::make_error(core::Errc::not_found, fmt::format("{}: no such executable (looked on PATH={})", spec.argv[0], path_env));
  }

  if (spec.pty) return spawn_in_terminal(runtime, std::move(spec), exe, std::move(handlers));

  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    return core::make_error(core::Errc::spawn, fmt::format("pipe: {}", std::strerror(errno)));
  }
  ExecPlan plan(spec, exe);
  const pid_t pid = ::fork();
  if (pid < 0) return core::make_error(core::Errc::spawn, fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in.read, 0);
    ::dup2(out.write, 1);
    ::dup2(err.write, 2);
    exec_child(plan);
  }
  ::setpgid(pid, pid);  // also here, so a signal to the group cannot race the child's own call
  return adopt(runtime, pid, in.take_write(), out.take_read(), err.take_read(), std::move(handlers), spec.max_line_bytes);
}

core::Result<std::unique_ptr<ChildProcess>> ChildProcess::adopt(Runtime& runtime, pid_t pid, int in, int out, int err,
                                                                ChildHandlers handlers, std::size_t max_line_bytes) {
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int err_no = errno;
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    for (int fd : {in, out, err}) {
      if (fd >= 0) ::close(fd);
    }
    return core::make_error(core::Errc::spawn, fmt::format("pidfd_open: {}", std::strerror(err_no)));
  }
  auto impl = std::make_shared<Impl>(runtime.impl().io, in, out, err, pidfd, pid, std::move(handlers), max_line_bytes);
  auto ex = runtime.impl().io.get_executor();
  asio::co_spawn(ex, impl->write_loop(), asio::detached);
  asio::co_spawn(ex, impl->stdout_loop(), asio::detached);
  asio::co_spawn(ex, impl->stderr_loop(), asio::detached);
  asio::co_spawn(ex, impl->exit_loop(), asio::detached);
  return std::unique_ptr<ChildProcess>(new ChildProcess(std::move(impl)));
}

core::Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn_in_terminal(Runtime& runtime, ChildSpec spec,
                                                                            const std::string& exe, ChildHandlers handlers) {
  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(spec.pty->cols);
  ws.ws_row = static_cast<unsigned short>(spec.pty->rows);
  ExecPlan plan(spec, exe);
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) return core::make_error(core::Errc::spawn, fmt::format("forkpty: {}", std::strerror(errno)));
  if (pid == 0) exec_child(plan);  // a new session whose controlling terminal is the pty (forkpty did that)
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  const int writer = ::fcntl(master, F_DUPFD_CLOEXEC, 3);  // one descriptor object per direction
  if (writer < 0) {
    ::close(master);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return core::make_error(core::Errc::spawn, fmt::format("dup: {}", std::strerror(errno)));
  }
  auto child = adopt(runtime, pid, writer, master, -1, std::move(handlers), spec.max_line_bytes);
  if (child) (*child)->impl_->terminal = true;
  return child;
}

ChildProcess::~ChildProcess() {
  impl_->detached = true;
  for (auto& t : impl_->end_timers) t->cancel();
  if (!impl_->exited) ::kill(-impl_->pid, SIGKILL);
  impl_->stdin_closing = true;
  impl_->wake.cancel();
}

void ChildProcess::write_line(std::string line) {
  if (impl_->stdin_closing || impl_->stdin_closed || impl_->exited) return;
  line += '\n';
  impl_->queue.push_back(std::move(line));
  impl_->wake.cancel();
}

void ChildProcess::write(std::string bytes) {
  if (impl_->stdin_closing || impl_->stdin_closed || impl_->exited || bytes.empty()) return;
  impl_->queue.push_back(std::move(bytes));
  impl_->wake.cancel();
}

bool ChildProcess::resize(int cols, int rows) {
  if (!impl_->terminal || impl_->stdin_closed) return false;
  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(cols);
  ws.ws_row = static_cast<unsigned short>(rows);
  return ::ioctl(impl_->stdin_pipe.native_handle(), TIOCSWINSZ, &ws) == 0;
}

void ChildProcess::close_stdin() {
  impl_->stdin_closing = true;
  impl_->wake.cancel();
}

void ChildProcess::signal_group(int sig) {
  if (!impl_->exited) ::kill(-impl_->pid, sig);
}

void ChildProcess::end(std::vector<EndStep> steps) {
  for (auto& t : impl_->end_timers) t->cancel();
  impl_->end_timers.clear();
  auto step = [weak = std::weak_ptr(impl_)](int sig) {
    auto impl = weak.lock();
    if (!impl || impl->exited) return;
    if (sig == 0) {
      impl->stdin_closing = true;
      impl->wake.cancel();
    } else {
      ::kill(-impl->pid, sig);
    }
  };
  for (const auto& s : steps) {
    if (s.after.count() <= 0) {
      step(s.signal);
      continue;
    }
    auto& timer = impl_->end_timers.emplace_back(std::make_unique<asio::steady_timer>(impl_->wake.get_executor(), s.after));
    timer->async_wait([step, sig = s.signal](const boost::system::error_code& ec) {
      if (!ec) step(sig);
    });
  }
}

pid_t ChildProcess::pid() const { return impl_->pid; }
bool ChildProcess::running() const { return !impl_->exited; }

}  // namespace tether::net
