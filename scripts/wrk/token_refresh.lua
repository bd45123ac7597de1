-- POST /token grant_type=refresh_token (rotation), as an MCP client sends it.
-- args: <file of refresh tokens, one a line> <client_id> <unused> <resource> [delay_ms] [threads] [pause: fixed|exponential]
-- Each seeded refresh token is sent once; running out sends to /exhausted and is counted.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local lines, next_line, exhausted, unexpected = {}, 1, 0, 0
local client_id, resource, pause

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  lines = common.own_lines(args[1], thread_index, tonumber(args[6]) or 1)
  client_id, resource = args[2], args[4]
  pause = common.pauser(tonumber(args[5]) or 0, args[7], thread_index)
end

function request()
  local token = lines[next_line]
  if token == nil then
    exhausted = exhausted + 1
    wrk.thread:set("exhausted", exhausted)
    return wrk.format("GET", "/exhausted")
  end
  next_line = next_line + 1
  local body = "grant_type=refresh_token&refresh_token=" .. encode(token) ..
    "&client_id=" .. encode(client_id) .. "&resource=" .. encode(resource)
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
    wrk.thread:set("unexpected", unexpected)
  end
end

function delay()
  return pause()
end
