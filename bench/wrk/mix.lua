-- The mix: 50% get-by-id of a random order, 35% a list page of the 100 newest orders at a
-- random offset (a multiple of 100 from 0 to 10,000), 15% a random customer's relations.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local ids, customers

function init(args)
   bench_init()
   ids = bench_lines(os.getenv("BENCH_IDS"))
   customers = bench_lines(os.getenv("BENCH_CUSTOMERS"))
end

function request()
   local pick = math.random(100)
   if pick <= 50 then
      return wrk.format("GET", "/v1/order/" .. ids[math.random(#ids)])
   elseif pick <= 85 then
      local offset = 100 * math.random(0, 100)
      return wrk.format("GET", string.format("/v1/order/?newest=true&limit=100&offset=%d", offset))
   else
      return wrk.format("GET", "/v1/customer/" .. customers[math.random(#customers)] .. "/relations")
   end
end
