#!/usr/bin/python3
"""Independent "gateway" dialect chat server, written only from the
"Messaging" spec (OpCodes, IDENTIFY, SEND_MESSAGE / MESSAGE_SENT, MESSAGE and
MESSAGE_REQUEST, POST /thread/$id/approve|block, GET /thread, GET /thread/$id).
A test double for a server that is *not* Natter: it adds nothing Natter
specific (no nonce echo, no THREAD_UPDATE, no threads in READY). Everything is
kept in memory.

Users (OAuth tokens):
    token-tina  TUTOR    Tina Tutor    11111111-1111-4111-8111-111111111111
    token-sam   STUDENT  Sam Student   22222222-2222-4222-8222-222222222222
    token-sue   STUDENT  Sue Student   33333333-3333-4333-8333-333333333333

A thread opens with the first message between two people; it is "requested"
until a TUTOR in it (not the one who wrote first) approves or blocks it. While
requested, the first writer's messages reach the other as MESSAGE_REQUEST; the
other side cannot write yet. Approved: MESSAGE both ways. Blocked: dropped.

HTTP: `Authorization: Bearer <token>`. The WebSocket is /ws.

Test-only (no auth): GET /test/messages -> every stored message, in order:
    {"message_id", "thread_id", "from", "to", "message", "kind": "request"|"message"}

Binds 127.0.0.1 on an OS-chosen port, prints "LISTENING <port>". Needs the
Debian package python3-aiohttp (run with /usr/bin/python3).
"""

import asyncio
import datetime
import json
import signal
import socket
import uuid

from aiohttp import WSMsgType, web

USERS = {
    "token-tina": {"id": "11111111-1111-4111-8111-111111111111", "first_name": "Tina",
                   "last_name": "Tutor", "role": "TUTOR"},
    "token-sam": {"id": "22222222-2222-4222-8222-222222222222", "first_name": "Sam",
                  "last_name": "Student", "role": "STUDENT"},
    "token-sue": {"id": "33333333-3333-4333-8333-333333333333", "first_name": "Sue",
                  "last_name": "Student", "role": "STUDENT"},
}
BY_ID = {u["id"]: u for u in USERS.values()}

DISPATCH, IDENTIFY, INVALID_SESSION, HELLO = 0, 2, 9, 10
UNKNOWN_OPCODE, DECODE_ERROR, NOT_AUTHENTICATED = 4001, 4002, 4003
AUTHENTICATION_FAILED, ALREADY_AUTHENTICATED = 4004, 4005


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def public(user):
    return {"id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"]}


class State:
    def __init__(self):
        self.threads = {}    # thread id -> {id, members, state, requested_by, created_at}
        self.messages = []   # every stored message
        self.sockets = {}    # user id -> set(ws)

    def thread_between(self, a, b):
        for thread in self.threads.values():
            if set(thread["members"]) == {a, b}:
                return thread
        return None

    def open_thread(self, a, b):
        thread = {"id": str(uuid.uuid4()), "members": [a, b], "state": "requested",
                  "requested_by": a, "created_at": now()}
        self.threads[thread["id"]] = thread
        return thread

    def view(self, thread, me):
        last = [m for m in self.messages if m["thread_id"] == thread["id"]]
        other = [m for m in thread["members"] if m != me][0]
        body = {"id": thread["id"], "participants": [public(BY_ID[m]) for m in thread["members"]],
                "other": public(BY_ID[other]), "state": thread["state"], "created_at": thread["created_at"]}
        if last:
            body["last_message"] = self.wire(last[-1])
        return body

    @staticmethod
    def wire(message):
        return {"thread_id": message["thread_id"], "message_id": message["message_id"],
                "from": public(BY_ID[message["from"]]), "message": message["message"],
                "timestamp": message["timestamp"]}


async def send(ws, payload):
    if not ws.closed:
        try:
            await ws.send_str(json.dumps(payload))
        except Exception:
            pass


async def deliver(state, user_id, event, data):
    for ws in list(state.sockets.get(user_id, ())):
        await send(ws, {"o": DISPATCH, "e": event, "d": data})


async def on_send_message(state, ws, me, data):
    to = data.get("to")
    text = data.get("message")
    if not isinstance(to, str) or to not in BY_ID or to == me or not isinstance(text, str) or not text:
        return
    thread = state.thread_between(me, to) or state.open_thread(me, to)
    if thread["state"] == "blocked":
        return
    requested = thread["state"] == "requested"
    if requested and thread["requested_by"] != me:
        return  # the other side answers the request first
    message = {"message_id": str(uuid.uuid4()), "thread_id": thread["id"], "from": me, "to": to,
               "message": text, "timestamp": now(), "kind": "request" if requested else "message"}
    state.messages.append(message)
    await send(ws, {"o": DISPATCH, "e": "MESSAGE_SENT",
                    "d": {"message_id": message["message_id"], "thread_id": thread["id"]}})
    await deliver(state, to, "MESSAGE_REQUEST" if requested else "MESSAGE", State.wire(message))


async def ws_handler(request):
    state = request.app["state"]
    ws = web.WebSocketResponse(autoping=True)
    await ws.prepare(request)
    await send(ws, {"o": HELLO, "d": {"heartbeat_interval": 30000}})
    me = None
    try:
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            try:
                payload = json.loads(frame.data)
                opcode = payload["o"]
            except (ValueError, TypeError, KeyError):
                await ws.close(code=DECODE_ERROR, message=b"DECODE_ERROR")
                break
            data = payload.get("d") if isinstance(payload.get("d"), dict) else {}
            if opcode == IDENTIFY:
                if me is not None:
                    await ws.close(code=ALREADY_AUTHENTICATED, message=b"ALREADY_AUTHENTICATED")
                    break
                user = USERS.get(data.get("token"))
                if user is None:
                    await send(ws, {"o": INVALID_SESSION, "d": {}})
                    await ws.close(code=AUTHENTICATION_FAILED, message=b"AUTHENTICATION_FAILED")
                    break
                me = user["id"]
                state.sockets.setdefault(me, set()).add(ws)
                await send(ws, {"o": DISPATCH, "e": "READY", "d": {"user": public(user)}})
            elif opcode == DISPATCH:
                if me is None:
                    await ws.close(code=NOT_AUTHENTICATED, message=b"NOT_AUTHENTICATED")
                    break
                if payload.get("e") == "SEND_MESSAGE":
                    await on_send_message(state, ws, me, data)
            elif opcode == 1:
                pass  # a heartbeat some clients send; the spec names none, so nothing answers it
            else:
                await ws.close(code=UNKNOWN_OPCODE, message=b"UNKNOWN_OPCODE")
                break
    finally:
        if me is not None:
            state.sockets.get(me, set()).discard(ws)
    return ws


def user_of(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return USERS.get(header[len("Bearer "):])


async def list_threads(request):
    user = user_of(request)
    if user is None:
        return web.json_response({"error": "unauthorized"}, status=401)
    state = request.app["state"]
    mine = [state.view(t, user["id"]) for t in state.threads.values() if user["id"] in t["members"]]
    return web.json_response(mine)


async def thread_messages(request):
    user = user_of(request)
    if user is None:
        return web.json_response({"error": "unauthorized"}, status=401)
    state = request.app["state"]
    thread = state.threads.get(request.match_info["id"])
    if thread is None or user["id"] not in thread["members"]:
        return web.json_response({"error": "not found"}, status=404)
    try:
        limit = int(request.query.get("limit", "50"))
        offset = int(request.query.get("offset", "0"))
    except ValueError:
        return web.json_response({"error": "bad paging"}, status=400)
    newest_first = [State.wire(m) for m in reversed(state.messages) if m["thread_id"] == thread["id"]]
    return web.json_response(newest_first[offset:offset + limit])


async def answer_thread(request):
    user = user_of(request)
    if user is None:
        return web.json_response({"error": "unauthorized"}, status=401)
    state = request.app["state"]
    thread = state.threads.get(request.match_info["id"])
    answer = request.match_info["state"]
    if thread is None or user["id"] not in thread["members"] or answer not in ("approve", "block"):
        return web.json_response({"error": "not found"}, status=404)
    if user["role"] != "TUTOR" or thread["requested_by"] == user["id"]:
        return web.json_response({"error": "Only users with the TUTOR role can approve messages"}, status=403)
    thread["state"] = "approved" if answer == "approve" else "blocked"
    return web.json_response(state.view(thread, user["id"]))


async def test_messages(request):
    return web.json_response(request.app["state"].messages)


async def main():
    app = web.Application()
    app["state"] = State()
    app.router.add_get("/ws", ws_handler)
    app.router.add_get("/thread", list_threads)
    app.router.add_get("/thread/{id}", thread_messages)
    app.router.add_post("/thread/{id}/{state}", answer_thread)
    app.router.add_get("/test/messages", test_messages)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    site = web.SockSite(runner, sock)
    await site.start()
    print("LISTENING %d" % sock.getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
