-- POST /register (RFC 7591): a public client per request, each with a distinct client_name so
-- every request is a real registration (identical metadata may be answered idempotently).
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local counter, unexpected, expected = 0, 0, 201

function init(args)
  expected = tonumber(args[1]) or 201
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"client_name":"bench %d-%d","redirect_uris":["http://127.0.0.1:9/callback"],' ..
    '"grant_types":["authorization_code","refresh_token"],"response_types":["code"],' ..
    '"token_endpoint_auth_method":"none"}', thread_index, counter)
  return wrk.format("POST", wrk.path, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    wrk.thread:set("unexpected", unexpected)
  end
end
