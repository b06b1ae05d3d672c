#!/usr/bin/env python3
# The Python client of spec 001 (`chats`), as the spec prints it. Only the
# URI, token and chat id come from the command line (the spec hard-codes
# them), and the client stops after the first message_response (or after a
# timeout) so a test can run it to completion:
#
#   chats_spec_client.py ws://HOST:PORT/chats/ws TOKEN CHAT_ID [TIMEOUT_SECONDS]
#
# Needs the `websockets` package (Debian: python3-websockets).
import asyncio
import websockets
import json
import sys

BASE_URI, TOKEN, CHAT_ID = sys.argv[1], sys.argv[2], sys.argv[3]
TIMEOUT = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0


async def chat_client():
    uri = BASE_URI + "?token=" + TOKEN

    async with websockets.connect(uri) as websocket:
        # Subscribe to chat
        await websocket.send(json.dumps({
            "action": "subscribe",
            "chat_ids": [CHAT_ID]
        }))

        # Send message
        await websocket.send(json.dumps({
            "action": "message",
            "chat_id": CHAT_ID,
            "text": "Hello from Python!"
        }))

        # Listen for messages
        async for message in websocket:
            data = json.loads(message)
            print(f"Received: {data}", flush=True)
            if data.get("action") == "message_response":
                break


try:
    asyncio.run(asyncio.wait_for(chat_client(), TIMEOUT))
except asyncio.TimeoutError:
    print("Timed out", flush=True)
    sys.exit(2)
