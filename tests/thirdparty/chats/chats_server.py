#!/usr/bin/python3
"""A small server of spec 001 (the `chats` dialect), written from the spec and
served by Debian's uvicorn, over TLS when given a certificate:

    /usr/bin/python3 chats_server.py --port 0 [--ssl-certfile CERT --ssl-keyfile KEY]

prints `LISTENING <port>` once it accepts connections.

- WebSocket `/chats/ws?token=TOKEN`; tokens `token-alice`, `token-bob`,
  `token-carol` (carol is in no chat). Unknown token: the handshake is refused.
- One chat, `11111111-2222-3333-4444-555555555555`, with alice and bob.
- `subscribe` {chat_ids} → `subscribe_response` {results: [{chat_id, status[, error]}]};
  `message` {chat_id, text} → `message_response` {status} to the sender, and
  {from, message, chat_id} to every other socket subscribed to that chat.
- Errors as the spec names them: `Unknown action`, `no access`,
  `Missing chat_id`, `Message cannot be empty`.
- `GET /test/messages`: every stored message, for tests to count copies.
"""

import argparse
import asyncio
import json
import socket
import sys

import uvicorn

USERS = {"token-alice": "alice", "token-bob": "bob", "token-carol": "carol"}
CHAT_ID = "11111111-2222-3333-4444-555555555555"
MEMBERS = {CHAT_ID: {"alice", "bob"}}

messages = []          # {"chat_id", "from", "message"}
subscribers = {}       # chat_id -> set of (send, username)


async def http(scope, receive, send):
    if scope["path"] == "/test/messages" and scope["method"] == "GET":
        body = json.dumps(messages).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
    else:
        body = b'{"detail":"Not Found"}'
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def websocket(scope, receive, send):
    query = dict(pair.split("=", 1) for pair in scope["query_string"].decode().split("&") if "=" in pair)
    user = USERS.get(query.get("token", ""))
    event = await receive()
    if event["type"] != "websocket.connect":
        return
    if scope["path"] != "/chats/ws" or user is None:
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "websocket.accept"})

    async def reply(obj):
        await send({"type": "websocket.send", "text": json.dumps(obj)})

    mine = set()
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.disconnect":
                break
            try:
                frame = json.loads(event.get("text") or "")
            except ValueError:
                await reply({"error": "Unknown action", "status": "error"})
                continue
            action = frame.get("action") if isinstance(frame, dict) else None
            if action == "subscribe":
                results = []
                for chat_id in frame.get("chat_ids") or []:
                    if user in MEMBERS.get(chat_id, set()):
                        subscribers.setdefault(chat_id, set()).add((send, user))
                        mine.add(chat_id)
                        results.append({"chat_id": chat_id, "status": "success"})
                    else:
                        results.append({"chat_id": chat_id, "status": "error", "error": "no access"})
                await reply({"action": "subscribe_response", "results": results})
            elif action == "message":
                chat_id = frame.get("chat_id")
                text = frame.get("text")
                if not chat_id:
                    await reply({"error": "Missing chat_id", "status": "error"})
                elif user not in MEMBERS.get(chat_id, set()):
                    await reply({"error": "no access", "status": "error"})
                elif not isinstance(text, str) or not text.strip():
                    await reply({"error": "Message cannot be empty", "status": "error"})
                else:
                    messages.append({"chat_id": chat_id, "from": user, "message": text})
                    await reply({"action": "message_response", "status": "success"})
                    incoming = json.dumps({"from": user, "message": text, "chat_id": chat_id})
                    for other_send, _ in list(subscribers.get(chat_id, ())):
                        if other_send is not send:
                            await other_send({"type": "websocket.send", "text": incoming})
            else:
                await reply({"error": "Unknown action", "status": "error"})
    finally:
        for chat_id in mine:
            subscribers.get(chat_id, set()).discard((send, user))


async def app(scope, receive, send):
    if scope["type"] == "http":
        await http(scope, receive, send)
    elif scope["type"] == "websocket":
        await websocket(scope, receive, send)
    elif scope["type"] == "lifespan":
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ssl-certfile")
    parser.add_argument("--ssl-keyfile")
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)  # before LISTENING: a client that reads it can connect at once
    config = uvicorn.Config(app, ws="websockets", lifespan="on", log_level="warning",
                            ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile)
    server = uvicorn.Server(config)
    print("LISTENING %d" % sock.getsockname()[1], flush=True)
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    sys.exit(main())
