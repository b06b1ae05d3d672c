#!/usr/bin/python3
"""End-to-end check of the standalone ActionCable test server.

Starts run.sh, reads "LISTENING <port>", then talks the ActionCable
protocol (subprotocol actioncable-v1-json) with two clients. Exit 0 on
success.
"""
import asyncio
import base64
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = os.environ.get("CABLE_SECRET", "cable-test-secret")
PROTO = "actioncable-v1-json"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def mint(user_id, username, secret=SECRET):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps({"user_id": user_id, "username": username}, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = b64url(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{sig}"


def ident(room_id=None):
    d = {"channel": "MessageChannel"}
    if room_id is not None:
        d["room_id"] = room_id
    return json.dumps(d, separators=(",", ":"))


class Client:
    def __init__(self, ws):
        self.ws = ws
        self.inbox = []  # every non-ping frame, parsed

    async def recv(self, pred, timeout=5.0):
        """Return the first frame (already received or arriving) matching pred."""
        for i, m in enumerate(self.inbox):
            if pred(m):
                return self.inbox.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timeout waiting; inbox={self.inbox}")
            raw = await asyncio.wait_for(self.ws.recv(), left)
            m = json.loads(raw)
            if m.get("type") == "ping":
                continue
            if pred(m):
                return m
            self.inbox.append(m)

    async def drain(self, seconds):
        end = time.monotonic() + seconds
        try:
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    break
                m = json.loads(await asyncio.wait_for(self.ws.recv(), left))
                if m.get("type") != "ping":
                    self.inbox.append(m)
        except asyncio.TimeoutError:
            pass

    async def send(self, obj):
        await self.ws.send(json.dumps(obj))

    async def subscribe(self, room_id=None):
        i = ident(room_id)
        await self.send({"command": "subscribe", "identifier": i})
        m = await self.recv(lambda m: m.get("identifier") == i and m.get("type") in ("confirm_subscription", "reject_subscription"))
        return m["type"]

    async def perform(self, room_id, **data):
        await self.send({"command": "message", "identifier": ident(room_id), "data": json.dumps(data)})


async def connect(base, token):
    ws = await websockets.connect(f"{base}/cable?token={token}", subprotocols=[PROTO],
                                  origin="https://example.invalid")
    assert ws.subprotocol == PROTO, ws.subprotocol
    return Client(ws)


def http_get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode() or "null")


def is_broadcast(i):
    return lambda m: m.get("identifier") == i and "message" in m and "type" not in m


async def main(port):
    base = f"ws://127.0.0.1:{port}"
    http = f"http://127.0.0.1:{port}"

    alice = await connect(base, mint(1, "alice"))
    bob = await connect(base, mint(2, "bob"))
    for c in (alice, bob):
        w = await c.recv(lambda m: m.get("type") == "welcome")
        assert w == {"type": "welcome"}, w
    print("ok welcome")

    # a ping arrives within ~3 s
    raw = await asyncio.wait_for(alice.ws.recv(), 5)
    while json.loads(raw).get("type") != "ping":
        alice.inbox.append(json.loads(raw))
        raw = await asyncio.wait_for(alice.ws.recv(), 5)
    assert isinstance(json.loads(raw)["message"], int)
    print("ok ping")

    for c in (alice, bob):
        assert await c.subscribe() == "confirm_subscription"
        assert await c.subscribe(1) == "confirm_subscription"
    assert await alice.subscribe(99) == "reject_subscription"
    print("ok subscribe lobby + room 1, room 99 rejected")

    # the exact frame from the brief (data is a JSON *string*)
    await alice.send({"command": "message",
                      "identifier": "{\"channel\":\"MessageChannel\",\"room_id\":1}",
                      "data": "{\"action\":\"send_message\",\"message\":\"hi\",\"temp_id\":\"x\"}"})
    room1 = ident(1)
    got = {}
    for name, c in (("alice", alice), ("bob", bob)):
        m = await c.recv(is_broadcast(room1))
        got[name] = m["message"]
    for name, c in (("alice", alice), ("bob", bob)):
        await c.drain(1.0)
        extra = [m for m in c.inbox if is_broadcast(room1)(m) or is_broadcast(ident())(m)]
        assert not extra, f"{name} got duplicates/leaks: {extra}"
    a = got["alice"]
    assert a == got["bob"], got
    assert "temp_id" not in a and "temp_id" not in json.dumps(a), a
    assert a["message"] == "hi" and a["user_id"] == 1 and a["room_id"] == 1, a
    assert a["user"] == {"id": 1, "username": "alice"}, a
    assert isinstance(a["id"], int) and a["created_at"].endswith("Z"), a
    assert set(a) == {"id", "message", "user_id", "user", "room_id", "created_at"}, a
    print("ok broadcast once to both, no temp_id:", json.dumps(a, ensure_ascii=False))

    # lobby, stamp, location
    lobby = ident()
    await bob.perform(None, action="send_message", message="lobby hello", temp_id="t2")
    m = await alice.recv(is_broadcast(lobby))
    assert m["message"]["room_id"] is None and m["message"]["user"]["username"] == "bob", m
    await bob.recv(is_broadcast(lobby))
    await alice.perform(1, action="send_stamp", stamp_id=2)
    m = (await bob.recv(is_broadcast(room1)))["message"]
    assert m["stamp_id"] == 2 and m["message"] is None, m
    await alice.perform(1, action="send_location", latitude=35.68, longitude=139.76)
    m = (await bob.recv(is_broadcast(room1)))["message"]
    assert m["latitude"] == 35.68 and m["longitude"] == 139.76, m
    for c in (alice, bob):
        await c.drain(0.5)
    print("ok lobby / stamp / location")

    # bad tokens: upgraded, then told unauthorized and closed (ActionCable behaviour)
    for bad in (mint(1, "alice", secret="wrong"), "garbage", mint(42, "nobody"), ""):
        ws = await websockets.connect(f"{base}/cable?token={bad}", subprotocols=[PROTO])
        m = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert m == {"type": "disconnect", "reason": "unauthorized", "reconnect": False}, m
        try:
            extra = await asyncio.wait_for(ws.recv(), 5)
            raise AssertionError(f"expected close, got {extra}")
        except websockets.ConnectionClosed:
            pass
    print("ok bad tokens refused")

    # HTTP
    st, stamps = http_get(f"{http}/api/stamp_messages", {"Authorization": "Bearer " + mint(2, "bob")})
    assert st == 200 and stamps[0] == {"id": 1, "name": "smile", "emoji": "😀"}, (st, stamps)
    st, _ = http_get(f"{http}/api/stamp_messages")
    assert st == 401, st
    st, msgs = http_get(f"{http}/test/messages")
    assert st == 200
    assert [m["message"] for m in msgs if m["message"] == "hi" and m["room_id"] == 1] == ["hi"], msgs
    assert len(msgs) == 4 and not any("temp_id" in m for m in msgs), msgs
    print("ok http: stamps (401 w/o token), /test/messages has exactly one 'hi'")

    await alice.ws.close()
    # bob stays connected: SIGTERM must tell him and close cleanly
    return bob


def run():
    proc = subprocess.Popen([os.path.join(HERE, "run.sh")], stdout=subprocess.PIPE, cwd="/",
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("LISTENING "), repr(line)
        port = int(line.split()[1])
        print("server", line.strip())

        async def all_():
            bob = await main(port)
            proc.send_signal(signal.SIGTERM)
            m = await bob.recv(lambda m: m.get("type") == "disconnect", timeout=5)
            assert m["reason"] == "server_restart", m
            try:
                await asyncio.wait_for(bob.ws.recv(), 5)
            except websockets.ConnectionClosed:
                pass
        asyncio.run(all_())
        rc = proc.wait(timeout=10)
        assert rc == 0, f"exit code {rc}"
        rest = proc.stdout.read()
        assert rest == "", f"unexpected stdout: {rest!r}"
        print("ok SIGTERM: clients told server_restart, exit 0")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    print("SELFTEST PASSED")


if __name__ == "__main__":
    try:
        run()
    except AssertionError as e:
        print("SELFTEST FAILED:", e, file=sys.stderr)
        sys.exit(1)
