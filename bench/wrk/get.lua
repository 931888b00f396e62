-- Get-by-id: a random order of BENCH_IDS (one id a line) each request.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local ids

function init(args)
   bench_init()
   ids = bench_lines(os.getenv("BENCH_IDS"))
end

function request()
   return wrk.format("GET", "/v1/order/" .. ids[math.random(#ids)])
end
