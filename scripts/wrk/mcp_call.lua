-- POST a JSON-RPC tools/call to the MCP endpoint asking for a plain JSON reply.
-- args: <bearer token or "-"> <tool> <expected status> <session id>… (round robin; none for a
-- stateless server). A token of "-" sends no Authorization header (the 401 path).
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local token, tool, expected, sessions = nil, "list_notes", 200, {}
local counter, unexpected = 0, 0

function init(args)
  if args[1] ~= "-" then token = args[1] end
  tool = args[2] or tool
  expected = tonumber(args[3]) or 200
  for i = 4, #args do table.insert(sessions, args[i]) end
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["MCP-Protocol-Version"] = "2025-06-18",
  }
  if token then headers["Authorization"] = "Bearer " .. token end
  if #sessions > 0 then
    headers["Mcp-Session-Id"] = sessions[(counter + thread_index) % #sessions + 1]
  end
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"%s","arguments":{}}}',
    counter, tool)
  return wrk.format("POST", wrk.path, headers, body)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    wrk.thread:set("unexpected", unexpected)
  end
end
