"""Concurrent streamed replies on `persona-kit serve`: N connections against one, in the same run.

    python benchmarks/serve_concurrency.py              # 100 connections, 0.05 s between words
    python benchmarks/serve_concurrency.py -n 200 --delay 0.02

Each connection opens /ws, waits for the greeting, asks one question and reads the streamed
reply to its done chunk. The server runs in this process on a free loopback port (uvicorn);
the clients are websockets on the same event loop. An event loop that a reply blocked would
make N replies take N times one; the ratio printed is wall time for N against wall time for 1.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import time

import uvicorn
import websockets

from persona_kit.ai import SimulatorResponder
from persona_kit.serve import MAX_FRAME_BYTES, ServerConfig, create_app

QUESTION = json.dumps({"type": "chat", "payload": {"text": "Show my spending as a pie chart"}})


async def _until_done(ws: websockets.ClientConnection) -> int:
    words = 0
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "chat_chunk":
            if message["payload"]["done"]:
                return words
            words += 1


async def _client(port: int) -> tuple[float, int]:
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=MAX_FRAME_BYTES) as ws:
        await _until_done(ws)  # the greeting
        start = time.perf_counter()
        await ws.send(QUESTION)
        words = await _until_done(ws)
        return time.perf_counter() - start, words


async def _round(port: int, n: int) -> tuple[float, list[float], int]:
    start = time.perf_counter()
    results = await asyncio.gather(*(_client(port) for _ in range(n)))
    return time.perf_counter() - start, [r[0] for r in results], results[0][1]


async def main(n: int, delay: float) -> None:
    app = create_app(ServerConfig(responder=lambda: SimulatorResponder(delay=delay), greeting=True))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws_max_size=MAX_FRAME_BYTES)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        one, _, words = await _round(port, 1)
        many, each, _ = await _round(port, n)
    finally:
        server.should_exit = True
        await task
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, uvicorn {uvicorn.__version__}")
    print(f"reply: {words} words with {delay} s between words (ideal: {words * delay:.2f} s)")
    print(f"1 connection:   {one:.2f} s")
    print(f"{n} connections: {many:.2f} s wall, median reply {statistics.median(each):.2f} s, max {max(each):.2f} s")
    print(f"ratio {n} vs 1: {many / one:.2f}x  (1.00x: fully concurrent; {n}x: one after another)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(main(args.n, args.delay))
