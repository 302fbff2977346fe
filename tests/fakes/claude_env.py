"""How to run the real Claude Code CLI against the fake Anthropic API: where the binary is,
and an environment that keeps it offline and inside one temp directory."""
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def claude_bin():
    """$CLAUDE_BIN, else the pinned CLI that scripts/bootstrap installs into agents/node_modules."""
    return os.environ.get("CLAUDE_BIN") or os.path.join(REPO, "agents", "node_modules", ".bin", "claude")


def claude_env(base_url, tmp):
    """The environment for one run: HOME and the CLI's temp dir under `tmp`, the API at `base_url`.

    The traffic variables stop telemetry, DNS lookups and the title call; no retries means an
    HTTP error gives an error result at once instead of a 40 s backoff.
    """
    home = os.path.join(tmp, "home")
    cctmp = os.path.join(tmp, "cctmp")
    os.makedirs(home, exist_ok=True)
    os.makedirs(cctmp, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HOME": home,
        "ANTHROPIC_BASE_URL": base_url,
        "ANTHROPIC_API_KEY": "sk-test",
        "DISABLE_TELEMETRY": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CODE_MAX_RETRIES": "0",
        "CLAUDE_CODE_TMPDIR": cctmp,
    }
