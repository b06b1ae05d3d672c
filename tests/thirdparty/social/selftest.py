#!/usr/bin/python3
"""End-to-end self test of social_server.py (exit 0 on success).

Run: /usr/bin/python3 tests/thirdparty/social/selftest.py
Needs the Debian package python3-aiohttp. Writes nothing to disk.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys

import aiohttp

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "social_server.py")

FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)


class Server:
    def __init__(self, *extra):
        self.extra = list(extra)

    async def __aenter__(self):
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-B", SERVER, *self.extra,
            stdout=subprocess.PIPE)
        line = await asyncio.wait_for(self.proc.stdout.readline(), 10)
        parts = line.decode().split()
        assert len(parts) == 2 and parts[0] == "LISTENING", line
        self.port = int(parts[1])
        self.base = "http://127.0.0.1:%d" % self.port
        return self

    async def __aexit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        rc = await asyncio.wait_for(self.proc.wait(), 10)
        check(rc == 0, "server exits 0 on SIGTERM (rc=%s)" % rc)


def cookie(name):
    return {"Cookie": "session_id=sess-" + name}


async def recv_json(ws, timeout=2.0):
    m = await ws.receive(timeout=timeout)
    assert m.type == aiohttp.WSMsgType.TEXT, m
    return json.loads(m.data)


async def recv_until_broadcast(ws, marker):
    """Collect frames until the broadcast `marker` arrives (ordering barrier)."""
    got = []
    while True:
        f = await recv_json(ws)
        if f.get("type") == "broadcast" and f.get("content") == marker:
            return got
        got.append(f)


async def scenario(echo):
    args = ["--users", "1:alice,2:bob,3:carol", "--groups", "7:1,2,3"]
    if echo:
        args.append("--echo-to-sender")
    tag = "[echo] " if echo else ""
    async with Server(*args) as srv, aiohttp.ClientSession() as http:
        ws_url = "ws://127.0.0.1:%d/ws" % srv.port
        alice = await http.ws_connect(ws_url, headers=cookie("alice"))
        bob = await http.ws_connect(ws_url, headers=cookie("bob"))
        bob2 = await http.ws_connect(ws_url, headers=cookie("bob"))

        await alice.send_str(json.dumps(
            {"type": "private", "to": 2, "content": "hi bob",
             "timestamp": 1640995200}))
        await alice.send_str(json.dumps(
            {"type": "group", "group_id": "7", "content": "hi group"}))
        # ignored: bad JSON, missing fields, wrong types, non-member group
        await alice.send_str("{not json")
        await alice.send_str(json.dumps({"type": "private", "to": 2}))
        await alice.send_str(json.dumps(
            {"type": "private", "to": "2", "content": "x"}))
        await alice.send_str(json.dumps(
            {"type": "group", "group_id": 7, "content": "x"}))
        await alice.send_str(json.dumps(
            {"type": "group", "group_id": "99", "content": "x"}))
        await alice.send_str(json.dumps(
            {"type": "broadcast", "content": "BARRIER"}))

        for name, ws in (("bob", bob), ("bob#2", bob2)):
            got = await recv_until_broadcast(ws, "BARRIER")
            check(got == [
                {"type": "private", "to": 2, "content": "hi bob",
                 "timestamp": 1640995200},
                {"type": "group", "group_id": "7", "content": "hi group",
                 "timestamp": got[1]["timestamp"] if len(got) > 1 else None},
            ] and isinstance(got[1]["timestamp"], int),
                tag + "%s gets private + group exactly once, no from/id: %s"
                % (name, got))

        got = await recv_until_broadcast(alice, "BARRIER")
        if echo:
            check([f["type"] for f in got] == ["group"]
                  and got[0]["content"] == "hi group",
                  tag + "alice gets her group message echoed: %s" % got)
        else:
            check(got == [], tag + "alice receives nothing back: %s" % got)

        # bob replies so history has both directions
        await bob.send_str(json.dumps(
            {"type": "private", "to": 1, "content": "hi alice",
             "timestamp": 1640995300}))
        f = await recv_json(alice)
        check(f == {"type": "private", "to": 1, "content": "hi alice",
                    "timestamp": 1640995300}, tag + "alice gets reply: %s" % f)

        # bad cookie -> immediately closed
        for hdr in (cookie("mallory"), {}):
            bad = await http.ws_connect(ws_url, headers=hdr)
            m = await bad.receive(timeout=2)
            check(m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                             aiohttp.WSMsgType.CLOSING)
                  or bad.closed, tag + "bad cookie %r closed (%s)" % (hdr, m.type))
            await bad.close()

        # persisted copies
        async with http.get(srv.base + "/test/messages") as r:
            stored = await r.json()
        priv = [m for m in stored if m["type"] == "private"]
        grp = [m for m in stored if m["type"] == "group"]
        check(len(priv) == 2 and len(grp) == 1 and len(stored) == 3,
              tag + "/test/messages has 2 private + 1 group: %s" % stored)
        check(priv[0]["sender_id"] == 1 and priv[0]["to"] == 2
              and grp[0]["sender_id"] == 1 and grp[0]["group_id"] == "7",
              tag + "stored sender/recipient fields")

        # 401 without cookie
        async with http.get(srv.base + "/api/messages/private?user=2") as r:
            check(r.status == 401 and "error" in await r.json(),
                  tag + "history 401 without cookie")

        # history, default order newest first
        async with http.get(srv.base + "/api/messages/private?user=2",
                            headers=cookie("alice")) as r:
            h = await r.json()
        check(r.status == 200 and [m["content"] for m in h]
              == ["hi alice", "hi bob"] and set(h[0]) ==
              {"type", "to", "content", "timestamp"},
              tag + "private history newest first: %s" % h)
        async with http.get(srv.base + "/api/messages/private?user=2&limit=1&offset=1",
                            headers=cookie("alice")) as r:
            h = await r.json()
        check([m["content"] for m in h] == ["hi bob"], tag + "limit/offset")
        async with http.get(srv.base + "/api/messages/group?group=7",
                            headers=cookie("bob")) as r:
            h = await r.json()
        check(r.status == 200 and h == [{"type": "group", "group_id": "7",
                                         "content": "hi group",
                                         "timestamp": h[0]["timestamp"]}],
              tag + "group history: %s" % h)

        # invite carol? she is a member; invite a fresh group 8 for carol
        carol = await http.ws_connect(ws_url, headers=cookie("carol"))
        async with http.post(srv.base + "/api/groups/invite",
                             headers=cookie("alice"),
                             json={"group_id": 8, "user_id": 3,
                                   "group_name": "Developers"}) as r:
            check(r.status == 201, tag + "invite 201")
        f = await recv_json(carol)
        check(f.get("type") == "notification" and f.get("subtype") ==
              "group_invite" and f.get("group_id") == 8 and "Developers"
              in f.get("message", ""), tag + "live notification: %s" % f)
        async with http.get(srv.base + "/api/notifications",
                            headers=cookie("carol")) as r:
            n = await r.json()
        check(len(n) == 1 and n[0]["is_read"] is False
              and n[0]["type"] == "group_invite", tag + "notifications: %s" % n)
        async with http.post(srv.base + "/api/notifications/read",
                             headers=cookie("carol")) as r:
            check(r.status == 204, tag + "mark read 204")
        async with http.get(srv.base + "/api/notifications",
                            headers=cookie("carol")) as r:
            n = await r.json()
        check(n[0]["is_read"] is True, tag + "notification now read")
        # invited (not accepted) member cannot post to group 8
        await carol.send_str(json.dumps(
            {"type": "group", "group_id": "8", "content": "nope"}))
        await carol.send_str(json.dumps({"type": "broadcast", "content": "B2"}))
        await recv_until_broadcast(carol, "B2")
        async with http.get(srv.base + "/test/messages") as r:
            check(len(await r.json()) == 3, tag + "unaccepted member ignored")

        # login
        async with http.post(srv.base + "/login",
                             json={"username": "bob"}) as r:
            check(r.status == 200 and r.cookies["session_id"].value
                  == "sess-bob", tag + "POST /login sets cookie")

        for ws in (alice, bob, bob2, carol):
            await ws.close()


async def oldest_order():
    async with aiohttp.ClientSession() as http, \
            Server("--history-order", "oldest") as srv:
        ws = await http.ws_connect("ws://127.0.0.1:%d/ws" % srv.port,
                                   headers=cookie("alice"))
        for i, ts in enumerate((100, 200, 300)):
            await ws.send_str(json.dumps({"type": "group", "group_id": "7",
                                          "content": "m%d" % i,
                                          "timestamp": ts}))
        await ws.send_str(json.dumps({"type": "broadcast", "content": "B"}))
        await recv_until_broadcast(ws, "B")
        async with http.get(srv.base + "/api/messages/group?group=7",
                            headers=cookie("carol")) as r:
            h = await r.json()
        check([m["content"] for m in h] == ["m0", "m1", "m2"],
              "[oldest] group history oldest first: %s" % h)
        # ws stays open: the server must still shut down cleanly on SIGTERM
    m = await ws.receive(timeout=5)
    check(m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED),
          "[oldest] open socket closed by server shutdown (%s)" % m.type)


async def main():
    await scenario(echo=False)
    await scenario(echo=True)
    await oldest_order()
    print("FAILED: %d" % len(FAILURES) if FAILURES else "ALL OK")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
