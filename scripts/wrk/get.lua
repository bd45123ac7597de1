-- GET wrk.path (discovery, JWKS, health) expecting args[1] (default 200).
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = common.setup
done = common.done

local expected, unexpected = 200, 0

function init(args)
  expected = tonumber(args[1]) or 200
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    wrk.thread:set("unexpected", unexpected)
  end
end
