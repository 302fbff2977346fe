"""How to run the real Codex CLI against the fake Responses API: where the native binary is,
and an environment plus CODEX_HOME/config.toml that keep it offline and inside one temp
directory (the shared codex.md, sections 1-3)."""
import os
import platform

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
API_KEY_VAR = "FAKE_OPENAI_API_KEY"

_TRIPLES = {("Linux", "x86_64"): ("linux-x64", "x86_64-unknown-linux-musl"),
            ("Linux", "aarch64"): ("linux-arm64", "aarch64-unknown-linux-musl")}


def codex_bin():
    """$CODEX_BIN, else the native binary of the pinned @openai/codex in agents/node_modules
    (not the node wrapper: on node 20 it stays the parent of the real process)."""
    if os.environ.get("CODEX_BIN"):
        return os.environ["CODEX_BIN"]
    package, triple = _TRIPLES.get((platform.system(), platform.machine()), ("linux-x64", "x86_64-unknown-linux-musl"))
    return os.path.join(REPO, "agents", "node_modules", "@openai", f"codex-{package}", "vendor", triple, "bin", "codex")


def write_config(codex_home, base_url, approval_policy="on-request", sandbox="read-only"):
    """config.toml with the fake as the only model provider; no plugin sync, no analytics, no retries.
    Codex 0.169 refuses approval_policy "untrusted" in config.toml; "on-request" with the read-only
    sandbox makes it ask before a command leaves the sandbox."""
    os.makedirs(codex_home, exist_ok=True)
    with open(os.path.join(codex_home, "config.toml"), "w") as f:
        f.write(f'''model = "fake-model"
model_provider = "fake"
approval_policy = "{approval_policy}"
sandbox_mode = "{sandbox}"

[features]
plugins = false

[analytics]
enabled = false

[model_providers.fake]
name = "Fake"
base_url = "{base_url}/v1"
env_key = "{API_KEY_VAR}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
''')


def codex_env(base_url, tmp, **config):
    """The environment for one daemon: CODEX_HOME (with its config.toml), an empty HOME and a
    TMPDIR that does not contain CODEX_HOME, all under `tmp`, and the fake's API key."""
    codex_home = os.path.join(tmp, "codex-home")
    home = os.path.join(tmp, "userhome")
    codex_tmp = os.path.join(tmp, "codex-tmp")
    for d in (home, codex_tmp):
        os.makedirs(d, exist_ok=True)
    write_config(codex_home, base_url, **config)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "CODEX_HOME": codex_home,
        "HOME": home,            # commands run as `bash -lc`: no ~/.bashrc noise in their output
        "TMPDIR": codex_tmp,     # CODEX_HOME is not inside it, so Codex makes its PATH aliases
        API_KEY_VAR: "sk-test",
    }
