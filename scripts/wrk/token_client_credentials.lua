-- POST /token grant_type=client_credentials (issue 25): a machine client with
-- client_secret_basic, as a CI job or agent asks for a token.
-- args: <expected status> <Authorization header value> <resource>
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local unexpected, expected, authorization, body = 0, 200, "", ""

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  expected = tonumber(args[1]) or 200
  authorization = args[2]
  body = "grant_type=client_credentials&resource=" .. encode(args[3])
end

function request()
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json",
    ["Authorization"] = authorization,
  }, body)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    wrk.thread:set("unexpected", unexpected)
  end
end
