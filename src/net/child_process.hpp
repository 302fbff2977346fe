// A child process on the event loop: stdin written line by line, stdout read line by
// line (bounded), stderr read in chunks, its exit reported once stdout is drained.
// The child gets its own process group, no inherited descriptors besides 0/1/2, the
// umask and environment the caller chooses, and SIGKILL if the daemon dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/runtime.hpp"

namespace tether::net {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up on PATH of `env` (core::env_value)
  std::filesystem::path cwd;
  std::vector<std::string> env;   // "NAME=value" each: the whole environment
  mode_t umask = 022;
  std::size_t max_line_bytes = 16 * 1024 * 1024;
  // A terminal instead of pipes: the child gets a new session with this pseudo-terminal
  // (cols × rows) as its controlling terminal and stdin/stdout/stderr; output is raw bytes.
  struct Size {
    int cols = 80;
    int rows = 24;
  };
  std::optional<Size> pty;
};

struct ChildHandlers {
  // Pipes: stdout line by line. A terminal: its output as it comes (on_stdout_data).
  std::function<void(std::string_view line)> on_stdout_line;
  std::function<void(std::string_view bytes)> on_stdout_data;
  // A stdout line longer than max_line_bytes: dropped up to its newline (or the end of the
  // output); this says so.
  std::function<void(std::size_t dropped_bytes)> on_stdout_overlong;
  std::function<void(std::string_view chunk)> on_stderr;
  // Once the process has exited and its stdout is drained. `status` is the exit code,
  // or 128 + the signal that killed it.
  std::function<void(int status)> on_exit;
};

class ChildProcess {
 public:
  // Errors: "not_found" (argv[0] is not an executable file), "spawn" (anything else).
  static core::Result<std::unique_ptr<ChildProcess>> spawn(Runtime& runtime, ChildSpec spec, ChildHandlers handlers);
  // Kills the process group (SIGKILL) if it is still running; no handler runs after this.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Queues `line` + '\n' for stdin (dropped once stdin is closed or the child is gone).
  void write_line(std::string line);
  // Queues bytes as they are (a terminal's keystrokes).
  void write(std::string bytes);
  // A terminal's new window size (the program gets SIGWINCH). false without a terminal.
  bool resize(int cols, int rows);
  // Closes stdin after the queued lines are written.
  void close_stdin();
  // Sends `sig` to the child's process group.
  void signal_group(int sig);
  // Ends the child in steps, each `after` counted from now: signal 0 closes stdin, any other
  // is sent to the process group. Replaces the steps of an earlier call; steps due after
  // the child has exited do nothing.
  struct EndStep {
    std::chrono::milliseconds after;
    int signal;
  };
  void end(std::vector<EndStep> steps);
  pid_t pid() const;
  bool running() const;

  struct Impl;

 private:
  explicit ChildProcess(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  static core::Result<std::unique_ptr<ChildProcess>> adopt(Runtime& runtime, pid_t pid, int in, int out, int err,
                                                           ChildHandlers handlers, std::size_t max_line_bytes);
  static core::Result<std::unique_ptr<ChildProcess>> spawn_in_terminal(Runtime& runtime, ChildSpec spec,
                                                                       const std::string& exe, ChildHandlers handlers);
  std::shared_ptr<Impl> impl_;
};

// Finds `name` the way execvp would, on the PATH given ("" if not found). A name
// with a '/' is returned as is when it is an executable file.
std::string find_executable(std::string_view name, std::string_view path_env);

}  // namespace tether::net
