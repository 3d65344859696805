-- wrk script: POST /api/v1/check with shipments that vary (dates across the 2019 measures, items, destinations).
-- BATCH=n sends arrays of n shipments per request (the batch endpoint); without it, one shipment per request.
-- KEY is the operator key (Authorization: Bearer KEY). wrk counts answers other than 2xx/3xx in its summary.
local shipments = {
  '{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}',
  '{"id":"o-2","date":"2019-07-03","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}',
  '{"id":"o-3","date":"2019-12-20","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","held":["specific-bulk"]}',
  '{"id":"o-4","date":"2019-08-28","from":"JP","to":"KR","item":"JP:16","end_use":"wmd"}',
  '{"id":"o-5","date":"2020-01-01","from":"JP","to":"KP","item":"JP:16","end_use":"civil"}',
  '{"id":"o-6","date":"2019-09-18","from":"KR","to":"JP","item":"KR:3C002","end_use":"civil"}',
  '{"id":"o-7","date":"2024-01-01","from":"JP","to":"US","item":"JP:5(17)","end_use":"civil","value":{"amount":1200.5,"currency":"USD"}}',
  '{"id":"o-8","date":"2023-07-21","from":"JP","to":"KR","item":"JP:3(1)/2(1)(i)(he)","end_use":"civil"}',
}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")

local batch = tonumber(os.getenv("BATCH") or "0")
local bodies = {}
if batch > 0 then
  local lines = {}
  for i = 1, batch do lines[i] = shipments[(i - 1) % #shipments + 1] end
  bodies[1] = "[" .. table.concat(lines, ",") .. "]"
else
  bodies = shipments
end

local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/check", nil, bodies[n % #bodies + 1])
end
