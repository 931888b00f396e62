-- A list page of the 100 newest orders at offset BENCH_OFFSET (default 0).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local req

function init(args)
   bench_init()
   local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
   req = wrk.format("GET", string.format("/v1/order/?newest=true&limit=100&offset=%d", offset))
end

function request()
   return req
end
