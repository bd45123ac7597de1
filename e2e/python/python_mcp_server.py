"""A plain Python MCP server (the SDK's FastMCP, Streamable HTTP, no auth of its own) that
scripts/e2e-python puts behind `latchkey proxy`: the proxy protects a server in any language.
Usage: python_mcp_server.py PORT"""
import sys

from mcp.server.fastmcp import FastMCP

server = FastMCP("python-notes", host="127.0.0.1", port=int(sys.argv[1]))


@server.tool()
def echo(text: str) -> str:
    """Answers with the text it was given."""
    return f"echo: {text}"


if __name__ == "__main__":
    server.run(transport="streamable-http")
