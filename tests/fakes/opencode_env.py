"""How to run the real OpenCode CLI against the fake chat-completions API: where the binary
is, and an environment that keeps it offline and inside one temp directory (the shared
opencode.md, sections 2 and 3)."""
import json
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def opencode_bin():
    """$OPENCODE_BIN, else the pinned CLI that scripts/bootstrap installs into agents/node_modules."""
    return os.environ.get("OPENCODE_BIN") or os.path.join(REPO, "agents", "node_modules", ".bin", "opencode")


def opencode_config(base_url):
    """A config whose only provider is the fake ("fake/fake-model"); no permission rules:
    those are tether's to set."""
    return {
        "$schema": "https://opencode.ai/config.json",
        "autoupdate": False,
        "share": "disabled",
        "provider": {
            "fake": {
                "npm": "@ai-sdk/openai-compatible",
                "name": "Fake",
                "options": {"baseURL": base_url, "apiKey": "sk-test"},
                "models": {"fake-model": {"name": "Fake Model"}},
            }
        },
        "model": "fake/fake-model",
        "small_model": "fake/fake-model",
    }


def opencode_env(base_url, tmp):
    """The environment for one run: HOME and the XDG dirs under `tmp`, the config file, and
    the global config dir pre-seeded so OpenCode does not npm-install @opencode-ai/plugin.
    (tether itself sets OPENCODE_DISABLE_MODELS_FETCH; it is set here too for runs without it.)"""
    home = os.path.join(tmp, "home")
    config_home = os.path.join(home, ".config")
    seeded = os.path.join(config_home, "opencode")
    os.makedirs(os.path.join(seeded, "node_modules"), exist_ok=True)
    with open(os.path.join(seeded, "package-lock.json"), "w") as f:
        json.dump({"lockfileVersion": 3, "packages": {"": {"dependencies": {"@opencode-ai/plugin": "*"}}}}, f)
    config = os.path.join(tmp, "opencode.json")
    with open(config, "w") as f:
        json.dump(opencode_config(base_url), f)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HOME": home,
        "XDG_CONFIG_HOME": config_home,
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "OPENCODE_CONFIG": config,
        "OPENCODE_DISABLE_MODELS_FETCH": "1",
        "OPENCODE_DISABLE_AUTOUPDATE": "1",
    }
