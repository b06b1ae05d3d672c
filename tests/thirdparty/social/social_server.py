#!/usr/bin/python3
"""Independent "social" dialect chat server, written only from the
"WebSocket API Reference" spec (ws://host/ws + /api/messages, /api/groups,
/api/notifications).  It is a test double for a server that is *not* Natter:
it follows the spec literally (server frames carry no `from` / `id`) and adds
nothing Natter-specific.  Everything is kept in memory; nothing is written to
disk.

Usage:
    python3 social_server.py [--users 1:alice,2:bob,3:carol]
                             [--groups 7:1,2,3]        (repeatable, or ';'-separated)
                             [--history-order newest|oldest]
                             [--echo-to-sender]

Binds 127.0.0.1 on an OS-chosen port and prints one line "LISTENING <port>"
to stdout once accepting.  Stops cleanly on SIGTERM / SIGINT.

Sessions: cookie `session_id`, pre-seeded as `sess-<username>` for every user.
POST /login {"username": ".."} also returns that cookie.

Test-only endpoint (no auth):
    GET /test/messages -> JSON array of every persisted message, in storage
    order, each {"seq", "type": "private"|"group", "sender_id",
    "to" (int, private only) | "group_id" (string, group only),
    "content", "timestamp"}.

Requires the Debian package python3-aiohttp (run with /usr/bin/python3).
"""

import argparse
import asyncio
import datetime
import json
import signal
import socket
import sys
import time

from aiohttp import WSMsgType, web

COOKIE_NAME = "session_id"


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


class State:
    def __init__(self, users, groups, history_order, echo_to_sender):
        self.users = dict(users)                      # id -> name
        self.by_name = {n: i for i, n in self.users.items()}
        self.sessions = {"sess-" + n: i for i, n in self.users.items()}
        # group id (int) -> {user id -> accepted(bool)}
        self.groups = {gid: {m: True for m in members}
                       for gid, members in groups.items()}
        self.history_order = history_order
        self.echo_to_sender = echo_to_sender
        self.messages = []                            # persisted messages
        self.notifications = []                       # persisted notifications
        self.clients = {}                             # user id -> set(ws)
        self.seq = 0

    def next_seq(self):
        self.seq += 1
        return self.seq

    def user_for_request(self, request):
        return self.sessions.get(request.cookies.get(COOKIE_NAME, ""))

    def is_accepted_member(self, gid, uid):
        return self.groups.get(gid, {}).get(uid, False) is True

    def sockets_of(self, uid):
        return list(self.clients.get(uid, ()))

    def all_sockets(self):
        return [ws for s in self.clients.values() for ws in s]


async def _send(sockets, frame):
    text = json.dumps(frame)
    for ws in sockets:
        if ws.closed:
            continue
        try:
            await ws.send_str(text)
        except Exception:  # dropped connection: silently ignore
            pass


# ---------------------------------------------------------------- WebSocket

async def handle_frame(state, uid, data):
    """Route one client frame. Anything malformed is ignored silently."""
    try:
        msg = json.loads(data)
    except (ValueError, TypeError):
        return
    if not isinstance(msg, dict):
        return
    mtype = msg.get("type")
    content = msg.get("content")
    if not isinstance(content, str):
        return
    ts = msg.get("timestamp")
    if ts is None:
        ts = int(time.time())
    elif not _is_int(ts):
        return

    if mtype == "private":
        to = msg.get("to")
        if not _is_int(to) or to not in state.users:
            return
        state.messages.append({"seq": state.next_seq(), "type": "private",
                               "sender_id": uid, "to": to,
                               "content": content, "timestamp": ts})
        await _send(state.sockets_of(to),
                    {"type": "private", "to": to,
                     "content": content, "timestamp": ts})
    elif mtype == "group":
        gid_s = msg.get("group_id")
        if not isinstance(gid_s, str):
            return
        try:
            gid = int(gid_s)
        except ValueError:
            return
        if not state.is_accepted_member(gid, uid):
            return
        state.messages.append({"seq": state.next_seq(), "type": "group",
                               "sender_id": uid, "group_id": str(gid),
                               "content": content, "timestamp": ts})
        frame = {"type": "group", "group_id": str(gid),
                 "content": content, "timestamp": ts}
        targets = []
        for member, accepted in state.groups[gid].items():
            if not accepted:
                continue
            if member == uid and not state.echo_to_sender:
                continue
            targets.extend(state.sockets_of(member))
        await _send(targets, frame)
    elif mtype == "broadcast":
        # Not persisted; sent to every connected user.
        await _send(state.all_sockets(),
                    {"type": "broadcast", "content": content,
                     "timestamp": ts})


async def ws_handler(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    ws = web.WebSocketResponse(autoping=True)  # any Origin is accepted
    await ws.prepare(request)
    if uid is None:
        # "If invalid, connection is immediately closed"
        await ws.close(code=1008, message=b"invalid session")
        return ws
    state.clients.setdefault(uid, set()).add(ws)
    try:
        async for m in ws:
            if m.type == WSMsgType.TEXT:
                await handle_frame(state, uid, m.data)
            elif m.type == WSMsgType.ERROR:
                break
            # binary and other frames are ignored
    finally:
        s = state.clients.get(uid)
        if s is not None:
            s.discard(ws)
            if not s:
                del state.clients[uid]
    return ws


# --------------------------------------------------------------------- HTTP

def _error(status, text):
    return web.json_response({"error": text}, status=status)


def _int_param(request, name, default=None, required=False, minimum=None):
    """Returns (value, error_response)."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        if required:
            return None, _error(400, "missing parameter: " + name)
        return default, None
    try:
        v = int(raw)
    except ValueError:
        return None, _error(400, "invalid parameter: " + name)
    if minimum is not None and v < minimum:
        return None, _error(400, "invalid parameter: " + name)
    return v, None


def _page(state, items, limit, offset):
    items = sorted(items, key=lambda m: (m["timestamp"], m["seq"]),
                   reverse=(state.history_order == "newest"))
    return items[offset:offset + limit]


async def private_history(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    if uid is None:
        return _error(401, "unauthorized")
    other, err = _int_param(request, "user", required=True)
    if err:
        return err
    limit, err = _int_param(request, "limit", 50, minimum=0)
    if err:
        return err
    offset, err = _int_param(request, "offset", 0, minimum=0)
    if err:
        return err
    conv = [m for m in state.messages if m["type"] == "private" and
            ((m["sender_id"] == uid and m["to"] == other) or
             (m["sender_id"] == other and m["to"] == uid))]
    out = [{"type": "private", "to": m["to"], "content": m["content"],
            "timestamp": m["timestamp"]}
           for m in _page(state, conv, limit, offset)]
    return web.json_response(out)


async def group_history(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    if uid is None:
        return _error(401, "unauthorized")
    gid, err = _int_param(request, "group", required=True)
    if err:
        return err
    limit, err = _int_param(request, "limit", 50, minimum=0)
    if err:
        return err
    offset, err = _int_param(request, "offset", 0, minimum=0)
    if err:
        return err
    if not state.is_accepted_member(gid, uid):
        return _error(403, "not a group member")
    msgs = [m for m in state.messages
            if m["type"] == "group" and m["group_id"] == str(gid)]
    out = [{"type": "group", "group_id": m["group_id"],
            "content": m["content"], "timestamp": m["timestamp"]}
           for m in _page(state, msgs, limit, offset)]
    return web.json_response(out)


async def group_invite(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    if uid is None:
        return _error(401, "unauthorized")
    try:
        body = await request.json()
    except Exception:
        return _error(400, "invalid JSON")
    if not isinstance(body, dict):
        return _error(400, "invalid request data")
    gid = body.get("group_id")
    invitee = body.get("user_id")
    name = body.get("group_name")
    if not _is_int(gid) or not _is_int(invitee) or invitee not in state.users:
        return _error(400, "invalid request data")
    if name is None:
        name = str(gid)
    if not isinstance(name, str):
        return _error(400, "invalid request data")
    members = state.groups.setdefault(gid, {})
    if invitee not in members:
        members[invitee] = False            # is_accepted: false
    now = int(time.time())
    text = "You were invited to join group '%s'" % name
    state.notifications.append({
        "id": len(state.notifications) + 1, "user_id": invitee,
        "type": "group_invite", "message": text, "is_read": False,
        "created_at": datetime.datetime.fromtimestamp(
            now, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    await _send(state.sockets_of(invitee),
                {"type": "notification", "subtype": "group_invite",
                 "message": text, "group_id": gid, "timestamp": now})
    return web.Response(status=201)


async def notifications_list(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    if uid is None:
        return _error(401, "unauthorized")
    limit, err = _int_param(request, "limit", 20, minimum=0)
    if err:
        return err
    offset, err = _int_param(request, "offset", 0, minimum=0)
    if err:
        return err
    mine = [n for n in reversed(state.notifications) if n["user_id"] == uid]
    out = [{k: n[k] for k in ("id", "type", "message", "is_read",
                              "created_at")}
           for n in mine[offset:offset + limit]]
    return web.json_response(out)


async def notifications_read(request):
    state = request.app["state"]
    uid = state.user_for_request(request)
    if uid is None:
        return _error(401, "unauthorized")
    for n in state.notifications:
        if n["user_id"] == uid:
            n["is_read"] = True
    return web.Response(status=204)


async def login(request):
    state = request.app["state"]
    try:
        body = await request.json()
    except Exception:
        return _error(400, "invalid JSON")
    name = body.get("username") if isinstance(body, dict) else None
    if not isinstance(name, str) or name not in state.by_name:
        return _error(401, "unknown user")
    uid = state.by_name[name]
    sid = "sess-" + name
    state.sessions[sid] = uid
    resp = web.json_response({"user_id": uid, "username": name})
    resp.set_cookie(COOKIE_NAME, sid, path="/", httponly=True)
    return resp


async def test_messages(request):
    return web.json_response(request.app["state"].messages)


# --------------------------------------------------------------------- main

def parse_users(spec):
    users = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        i, _, n = part.partition(":")
        users[int(i)] = n.strip()
    return users


def parse_groups(specs):
    groups = {}
    for spec in specs:
        for part in spec.split(";"):
            part = part.strip()
            if not part:
                continue
            g, _, members = part.partition(":")
            groups[int(g)] = [int(m) for m in members.split(",") if m.strip()]
    return groups


async def amain(args):
    state = State(parse_users(args.users), parse_groups(args.groups or ["7:1,2,3"]),
                  args.history_order, args.echo_to_sender)
    # Older history, one message a minute up to an hour ago, so that a room's
    # newest messages are past the first page of either order.
    seed_group, seed_count = args.seed_group_history
    first = int(time.time()) - 3600
    for i in range(seed_count):
        state.messages.append({"seq": state.next_seq(), "type": "group",
                               "sender_id": 3, "group_id": str(seed_group),
                               "content": f"older #{i}",
                               "timestamp": first + i * min(60, 3000 // max(1, seed_count))})
    app = web.Application()
    app["state"] = state
    app.router.add_get("/ws", ws_handler)
    app.router.add_post("/login", login)
    app.router.add_get("/api/messages/private", private_history)
    app.router.add_get("/api/messages/group", group_history)
    app.router.add_post("/api/groups/invite", group_invite)
    app.router.add_get("/api/notifications", notifications_list)
    app.router.add_post("/api/notifications/read", notifications_read)
    app.router.add_get("/test/messages", test_messages)

    async def on_shutdown(app):
        for ws in app["state"].all_sockets():
            await ws.close(code=1001, message=b"server shutdown")
    app.on_shutdown.append(on_shutdown)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]

    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, sock, shutdown_timeout=2.0)
    await site.start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    sys.stdout.write("LISTENING %d\n" % port)
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--users", default="1:alice,2:bob,3:carol")
    p.add_argument("--groups", action="append",
                   help="gid:uid,uid,... (repeatable or ';'-separated); "
                        "default 7:1,2,3")
    p.add_argument("--history-order", choices=("newest", "oldest"),
                   default="newest")
    p.add_argument("--echo-to-sender", action="store_true")
    p.add_argument("--seed-group-history", default="7:0",
                   type=lambda v: tuple(int(x) for x in v.split(":")),
                   metavar="GID:N", help="N older messages in group GID (by user 3)")
    asyncio.run(amain(p.parse_args()))


if __name__ == "__main__":
    main()
