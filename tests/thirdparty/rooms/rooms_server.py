#!/usr/bin/python3
"""Independent "rooms" dialect chat server, written only from the "Chat API
Documentation" spec (REST under /api/v1.0/chat/, WebSocket
/ws/chat/{room_id}/?token=). A test double for a server that is *not* Natter:
its frames are the spec's, nothing more (a new message carries no temp_id, as
printed). Everything is kept in memory.

Users (JWT-shaped opaque tokens): token-ann (1, ann), token-ben (2, ben),
token-cat (3, cat). Room 1 is ann and ben's; room 2 is ann and cat's.

Test-only (no auth): GET /test/messages -> every stored message in order:
    {"id", "room", "sender_id", "content", "status"}

Binds 127.0.0.1 on an OS-chosen port, prints "LISTENING <port>". Needs the
Debian package python3-aiohttp (run with /usr/bin/python3).
"""

import asyncio
import datetime
import json
import signal
import socket
import time

from aiohttp import WSMsgType, web

USERS = {
    "token-ann": {"id": 1, "username": "ann", "display_name": "Ann Archer"},
    "token-ben": {"id": 2, "username": "ben", "display_name": "Ben Baker"},
    "token-cat": {"id": 3, "username": "cat", "display_name": "Cat Cooper"},
}
BY_ID = {u["id"]: u for u in USERS.values()}
PAGE = 20
ORDER = ["sending", "sent", "delivered", "read"]


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


class State:
    def __init__(self):
        self.rooms = {1: {"id": 1, "members": [1, 2], "created_at": now()},
                      2: {"id": 2, "members": [1, 3], "created_at": now()}}
        self.messages = []   # {id, room, sender_id, content, status, created_at, delivered_at, read_at}
        self.sockets = {}    # room id -> {ws: user id}
        self.online = {}     # user id -> open sockets
        self.last_seen = {}
        self.next_id = 1

    def person(self, uid):
        user = BY_ID[uid]
        return {"id": uid, "username": user["username"], "display_name": user["display_name"],
                "imageUrls": [], "is_online": self.online.get(uid, 0) > 0,
                "last_seen": self.last_seen.get(uid, now())}

    def room_view(self, room, me):
        a, b = room["members"]
        other = b if a == me else a
        mine = [m for m in self.messages if m["room"] == room["id"]]
        body = {"id": room["id"], "participant1": self.person(a), "participant2": self.person(b),
                "other_participant": self.person(other), "match": None,
                "last_message": None,
                "unread_count": sum(1 for m in mine if m["sender_id"] != me and m["status"] != "read"),
                "typing_users": [], "created_at": room["created_at"]}
        if mine:
            last = mine[-1]
            body["last_message"] = {"id": last["id"], "content": last["content"], "sender_id": last["sender_id"],
                                    "status": last["status"], "created_at": last["created_at"]}
        return body

    def message_view(self, m):
        return {"id": m["id"], "room": m["room"], "sender": self.person(m["sender_id"]),
                "content": m["content"], "status": m["status"], "status_display": m["status"].title(),
                "sent_at": m["created_at"], "delivered_at": m["delivered_at"], "read_at": m["read_at"],
                "is_read": m["status"] == "read", "created_at": m["created_at"], "updated_at": m["created_at"]}


async def send(ws, frame):
    if not ws.closed:
        try:
            await ws.send_str(json.dumps(frame))
        except Exception:
            pass


async def to_room(state, room_id, frame, but=None):
    for ws in list(state.sockets.get(room_id, {})):
        if ws is not but:
            await send(ws, frame)


def user_of_token(token):
    return USERS.get(token or "")


async def ws_handler(request):
    state = request.app["state"]
    user = user_of_token(request.query.get("token"))
    try:
        room_id = int(request.match_info["room_id"])
    except ValueError:
        return web.Response(status=404)
    room = state.rooms.get(room_id)
    if user is None:
        return web.Response(status=401, text="Authentication failed")
    if room is None or user["id"] not in room["members"]:
        return web.Response(status=403, text="Not a member of this room")
    me = user["id"]
    ws = web.WebSocketResponse(autoping=True)
    await ws.prepare(request)
    state.sockets.setdefault(room_id, {})[ws] = me
    state.online[me] = state.online.get(me, 0) + 1
    await send(ws, {"type": "connection_established", "room_id": room_id, "user_id": me, "timestamp": now(),
                    "heartbeat_interval": 30, "connection_timeout": 14400})
    await to_room(state, room_id, {"type": "user_status_change", "user_id": me, "username": user["username"],
                                   "is_online": True, "last_seen": now()}, but=ws)
    try:
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(frame.data)
            except ValueError:
                await send(ws, {"type": "error", "message": "Invalid JSON", "timestamp": now()})
                continue
            if not isinstance(data, dict):
                continue
            kind = data.get("type")
            if kind == "message":
                content = data.get("content")
                if not isinstance(content, str) or not content.strip():
                    await send(ws, {"type": "error", "message": "Message cannot be empty", "timestamp": now()})
                    continue
                if len(content) > 1000:
                    await send(ws, {"type": "error", "message": "Message too long (max 1000 characters)",
                                    "timestamp": now()})
                    continue
                message = {"id": state.next_id, "room": room_id, "sender_id": me, "content": content,
                           "status": "sent", "created_at": now(), "delivered_at": None, "read_at": None}
                state.next_id += 1
                state.messages.append(message)
                await to_room(state, room_id, {
                    "type": "message",
                    "message": {"id": message["id"], "content": content, "sender_id": me,
                                "sender_username": user["username"], "status": "sent",
                                "created_at": message["created_at"], "room_id": room_id},
                    "delivery_id": "msg_%d_%.3f" % (message["id"], time.time())})
            elif kind in ("message_read", "message_delivered"):
                status = "read" if kind == "message_read" else "delivered"
                target = next((m for m in state.messages
                               if m["id"] == data.get("message_id") and m["room"] == room_id), None)
                if target is None or target["sender_id"] == me:
                    continue
                if ORDER.index(status) > ORDER.index(target["status"]):
                    target["status"] = status
                    target["delivered_at"] = target["delivered_at"] or now()
                    if status == "read":
                        target["read_at"] = now()
                    await to_room(state, room_id, {"type": "message_status_update", "message_id": target["id"],
                                                   "status": status, "timestamp": now(), "updated_by": me})
            elif kind in ("typing_on", "typing_off"):
                await to_room(state, room_id, {"type": "typing", "user_id": me, "username": user["username"],
                                               "is_typing": kind == "typing_on", "timestamp": now()}, but=ws)
            elif kind == "ping":
                await send(ws, {"type": "pong", "timestamp": data.get("timestamp", now()), "server_time": now()})
            elif kind == "connection_check":
                await send(ws, {"type": "connection_status", "status": "healthy", "duration_seconds": 0,
                                "last_activity": now(), "timestamp": now()})
    finally:
        state.sockets.get(room_id, {}).pop(ws, None)
        state.online[me] = state.online.get(me, 1) - 1
        state.last_seen[me] = now()
        if state.online[me] == 0:
            await to_room(state, room_id, {"type": "user_status_change", "user_id": me,
                                           "username": user["username"], "is_online": False,
                                           "last_seen": state.last_seen[me]})
    return ws


def bearer(request):
    header = request.headers.get("Authorization", "")
    return user_of_token(header[len("Bearer "):]) if header.startswith("Bearer ") else None


async def list_rooms(request):
    user = bearer(request)
    if user is None:
        return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
    state = request.app["state"]
    rooms = [state.room_view(r, user["id"]) for r in state.rooms.values() if user["id"] in r["members"]]
    return web.json_response({"count": len(rooms), "next": None, "previous": None, "results": rooms})


def member_room(request, user):
    state = request.app["state"]
    try:
        room = state.rooms.get(int(request.match_info["room_id"]))
    except ValueError:
        return None
    return room if room is not None and user["id"] in room["members"] else None


async def room_detail(request):
    user = bearer(request)
    if user is None:
        return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
    room = member_room(request, user)
    if room is None:
        return web.json_response({"detail": "Not found."}, status=404)
    return web.json_response(request.app["state"].room_view(room, user["id"]))


async def room_messages(request):
    user = bearer(request)
    if user is None:
        return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
    room = member_room(request, user)
    if room is None:
        return web.json_response({"detail": "Not found."}, status=404)
    state = request.app["state"]
    try:
        page = int(request.query.get("page", "1"))
    except ValueError:
        return web.json_response({"detail": "Invalid page."}, status=404)
    newest_first = [m for m in reversed(state.messages) if m["room"] == room["id"]]
    chunk = newest_first[(page - 1) * PAGE: page * PAGE]
    if page < 1 or (page > 1 and not chunk):
        return web.json_response({"detail": "Invalid page."}, status=404)
    base = "http://%s/api/v1.0/chat/rooms/%d/messages/?page=" % (request.host, room["id"])
    more = page * PAGE < len(newest_first)
    return web.json_response({"count": len(newest_first), "next": base + str(page + 1) if more else None,
                              "previous": base + str(page - 1) if page > 1 else None,
                              "results": [state.message_view(m) for m in chunk]})


async def stats(request):
    user = bearer(request)
    if user is None:
        return web.json_response({"detail": "Authentication credentials were not provided."}, status=401)
    state = request.app["state"]
    mine = [r for r in state.rooms.values() if user["id"] in r["members"]]
    return web.json_response({"user_id": user["id"], "total_rooms": len(mine), "active_rooms_today": len(mine),
                              "recent_messages_24h": len(state.messages), "channel_layer_status": "available",
                              "timestamp": now(),
                              "connection_settings": {"heartbeat_interval": 30, "connection_timeout": 14400,
                                                      "ping_timeout": 10, "max_reconnect_attempts": 5}})


async def test_messages(request):
    return web.json_response([{k: m[k] for k in ("id", "room", "sender_id", "content", "status")}
                              for m in request.app["state"].messages])


async def main():
    app = web.Application()
    app["state"] = State()
    app.router.add_get("/ws/chat/{room_id}/", ws_handler)
    app.router.add_get("/api/v1.0/chat/rooms/", list_rooms)
    app.router.add_get("/api/v1.0/chat/rooms/{room_id}/", room_detail)
    app.router.add_get("/api/v1.0/chat/rooms/{room_id}/messages/", room_messages)
    app.router.add_get("/api/v1.0/chat/stats/", stats)
    app.router.add_get("/test/messages", test_messages)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    await web.SockSite(runner, sock).start()
    print("LISTENING %d" % sock.getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
