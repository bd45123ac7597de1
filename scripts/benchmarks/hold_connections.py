"""Opens N keep-alive HTTP/1.1 connections to HOST:PORT, sends one `GET PATH` on each, reads the
response, and holds them all open until stdin closes (or HOLD seconds pass). Prints
`ready N` to stdout once every connection got its response, so scripts/bench can read the
server's RSS while they are open.

usage: hold_connections.py HOST PORT PATH N [HOLD_SECONDS]
"""
import asyncio
import resource
import sys


async def one(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
    return writer


async def main():
    host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    hold = float(sys.argv[5]) if len(sys.argv) > 5 else 60
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 256)), hard))
    writers = []
    for start in range(0, count, 100):
        writers += await asyncio.gather(*(one(host, port, path) for _ in range(start, min(count, start + 100))))
    print(f"ready {len(writers)}", flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=hold)
    for writer in writers:
        writer.close()


asyncio.run(main())
