-- A page of 25 orders of a random customer in one of the dialects (BENCH_DIALECT: v3, v2 or
-- v10), or the v1 list page of 25 it is measured against (page25: the tenant's newest orders,
-- the same 25 each time), or v1's page of the same random customer's 25 newest orders (cust25:
-- the same documents a dialect page reads, scattered over the file). v10 authenticates as the
-- customer: BENCH_CUSTOMER_KEYS holds "customer key" lines (keys limited to that customer).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local dialect = os.getenv("BENCH_DIALECT")
local customers, keys

function init(args)
   bench_init()
   if dialect == "v10" then
      keys = {}
      for _, line in ipairs(bench_lines(os.getenv("BENCH_CUSTOMER_KEYS"))) do
         keys[#keys + 1] = line:match("%S+$")
      end
   elseif dialect ~= "page25" then
      customers = bench_lines(os.getenv("BENCH_CUSTOMERS"))
   end
end

function request()
   if dialect == "page25" then
      return wrk.format("GET", "/v1/order/?newest=true&limit=25")
   elseif dialect == "v10" then
      local headers = {["X-Customer-Key"] = keys[math.random(#keys)],
                       ["Content-Type"] = "application/json"}
      return wrk.format("POST", "/api/v10/storefront.orders", headers, '{"limit":25}')
   end
   local customer = customers[math.random(#customers)]
   if dialect == "cust25" then
      return wrk.format("GET", "/v1/order/?customerId=" .. customer .. "&newest=true&limit=25")
   elseif dialect == "v3" then
      -- The v3 dialect wants the bearer's key named again in X-Api-Key. Headers given to
      -- wrk.format replace wrk's own (-H), so the bearer goes in again.
      local bearer = wrk.headers["Authorization"]
      local headers = {["Authorization"] = bearer, ["X-Api-Key"] = bearer:match("%S+$")}
      return wrk.format("GET", "/v3/customers/" .. customer .. "/orders?limit=25", headers)
   end
   return wrk.format("GET", "/v2/customers/" .. customer .. "/orders?limit=25")
end
