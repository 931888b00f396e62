-- A product-filtered list page: the 100 newest orders holding a random product of
-- BENCH_PRODUCTS (one productId a line), at offset 0 (docs/search.md).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local products

function init(args)
   bench_init()
   products = bench_lines(os.getenv("BENCH_PRODUCTS"))
end

function request()
   local product = products[math.random(#products)]
   return wrk.format("GET", "/v1/order/?productId=" .. product .. "&newest=true&limit=100&offset=0")
end
