#include "providers/claude/claude_provider.hpp"
#include "providers/codex/app_server.hpp"
