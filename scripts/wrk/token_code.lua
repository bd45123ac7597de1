-- POST /token grant_type=authorization_code with PKCE, exactly as an MCP client sends it.
-- args: <file of "code verifier" lines> <client_id> <redirect_uri> <resource> [delay_ms] [threads] [pause: fixed|exponential]
-- Each seeded code is sent once; when a thread runs out it sends to /exhausted and counts it.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local lines, next_line, exhausted, unexpected = {}, 1, 0, 0
local client_id, redirect_uri, resource, pause

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  lines = common.own_lines(args[1], thread_index, tonumber(args[6]) or 1)
  client_id, redirect_uri, resource = args[2], args[3], args[4]
  pause = common.pauser(tonumber(args[5]) or 0, args[7], thread_index)
end

function request()
  local line = lines[next_line]
  if line == nil then
    exhausted = exhausted + 1
    wrk.thread:set("exhausted", exhausted)
    return wrk.format("GET", "/exhausted")
  end
  next_line = next_line + 1
  local code, verifier = line:match("^(%S+) (%S+)$")
  local body = "grant_type=authorization_code&code=" .. encode(code) ..
    "&redirect_uri=" .. encode(redirect_uri) .. "&client_id=" .. encode(client_id) ..
    "&code_verifier=" .. encode(verifier) .. "&resource=" .. encode(resource)
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
