-- The HTTP floor: fixed bytes from the same binary, no store, no auth (ORDO_BENCH_FLOOR=1):
-- BENCH_FLOOR_PATH is /bench/fixed (a get-by-id answer's size, the default) or
-- /bench/fixed-page (a list page's).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local req

function init(args)
   bench_init()
   req = wrk.format("GET", os.getenv("BENCH_FLOOR_PATH") or "/bench/fixed")
end

function request()
   return req
end
