-- wrk script: an ERP-like mix. Of every 20 requests, 16 are single checks, 3 single screenings, 1 a shipment line
-- submitted (a new id each time: checked, screened, stored held or released with its audit record). KEY is the
-- operator key.
local checks = {
  '{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}',
  '{"id":"o-2","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Beihang University"}',
  '{"id":"o-3","date":"2019-09-18","from":"KR","to":"JP","item":"KR:3C002","end_use":"civil"}',
  '{"id":"o-4","date":"2024-01-01","from":"JP","to":"US","item":"JP:5(17)","end_use":"civil"}',
}
local parties = {
  '{"id":"p-1","name":"Beihang University","country":"CN"}',
  '{"id":"p-2","name":"Example Trading Co., Ltd.","type":"organization"}',
  '{"id":"p-3","name":"Kim Chol","type":"person"}',
}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("prefix", "T" .. threads .. "-" .. os.time())
end

local n = 0
request = function()
  n = n + 1
  local slot = n % 20
  if slot < 16 then
    return wrk.format(nil, "/api/v1/check", nil, checks[n % #checks + 1])
  elseif slot < 19 then
    return wrk.format(nil, "/api/v1/screen?limit=3", nil, parties[n % #parties + 1])
  end
  local id = prefix .. "-" .. n
  return wrk.format(nil, "/api/v1/shipments", nil,
    '{"id":"' .. id .. '","exporter":"Example Chemical Co.","date":"2019-07-10","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":20,"unit":"kg"}}')
end
