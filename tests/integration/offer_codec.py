"""Pairing offers as docs/protocol.md describes them (pair.create), written from that text
alone to check the daemon's and the CLI's: version 2 (binary) read and written, version 1
(JSON) written, and a daemon's X25519 key derived from its Ed25519 id."""
import base64
import json

P = 2**255 - 19
RELAY_IS_LINK, RELAY_FOLLOWS, DIRECT_LOOPBACK, DIRECT_FOLLOWS = 1, 2, 4, 8


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url_encode(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def x25519_of_ed25519(pk):
    """u = (1 + y) / (1 - y) mod p, y the key with its sign bit cleared."""
    y = int.from_bytes(pk, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, P - 2, P) % P
    return u.to_bytes(32, "little")


def split(link):
    base, _, offer = link.partition("#offer=")
    return base[:-1] if base.endswith("/") else base, offer


def read(link):
    """The offer of a link as a dict: daemon_key, secret (bytes), relay, direct, flags."""
    base, text = split(link)
    raw = b64url_decode(text)
    assert raw[0] == 2, f"version {raw[0]}"
    flags = raw[1]
    out = {"flags": flags, "daemon_key": raw[2:34], "secret": raw[34:50], "relay": "", "direct": ""}
    at = 50

    def string():
        nonlocal at
        n = raw[at]
        s = raw[at + 1:at + 1 + n].decode()
        at += 1 + n
        return s

    if flags & RELAY_IS_LINK:
        out["relay"] = "wss://" + base[8:] if base.startswith("https://") else "ws://" + base[7:]
    if flags & RELAY_FOLLOWS:
        out["relay"] = string()
    if flags & DIRECT_LOOPBACK:
        out["direct"] = f"http://127.0.0.1:{int.from_bytes(raw[at:at + 2], 'big')}"
        at += 2
    if flags & DIRECT_FOLLOWS:
        out["direct"] = string()
    assert at == len(raw), "trailing bytes"
    return out


def write(base, offer):
    """A version-2 link on `base` for an offer dict as read() returns it (relay and direct
    written out in full)."""
    flags, tail = 0, b""
    for bit, value in ((RELAY_FOLLOWS, offer["relay"]), (DIRECT_FOLLOWS, offer["direct"])):
        if value:
            flags |= bit
            tail += bytes([len(value.encode())]) + value.encode()
    raw = bytes([2, flags]) + offer["daemon_key"] + offer["secret"] + tail
    return f"{base}/#offer={b64url_encode(raw)}"


def write_v1(base, offer):
    """The same offer as a version-1 link (the JSON of earlier daemons)."""
    data = {"v": 1, "daemon_id": b64url_encode(offer["daemon_key"]),
            "noise_key": b64url_encode(x25519_of_ed25519(offer["daemon_key"])),
            "relay": offer["relay"], "direct": offer["direct"], "secret": b64url_encode(offer["secret"])}
    return f"{base}/#offer={b64url_encode(json.dumps(data).encode())}"


def read_v1(link):
    """A version-1 link's offer, as read() returns a version-2 one."""
    data = json.loads(b64url_decode(split(link)[1]))
    return {"daemon_key": b64url_decode(data["daemon_id"]), "secret": b64url_decode(data["secret"]),
            "relay": data["relay"], "direct": data["direct"], "noise_key": b64url_decode(data["noise_key"])}
