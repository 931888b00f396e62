-- A random customer's relations (every document of BENCH_CUSTOMERS, one id a line).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local customers

function init(args)
   bench_init()
   customers = bench_lines(os.getenv("BENCH_CUSTOMERS"))
end

function request()
   return wrk.format("GET", "/v1/customer/" .. customers[math.random(#customers)] .. "/relations")
end
