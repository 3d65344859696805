-- wrk script: POST /api/v1/screen with one party per request, names in turn (hits on the METI EUL and OFAC SDN, and
-- names on no list). KEY is the operator key.
local parties = {
  '{"id":"p-1","name":"Beihang University","country":"CN"}',
  '{"id":"p-2","name":"Example Trading Co., Ltd.","type":"organization"}',
  '{"id":"p-3","name":"Kim Chol","type":"person"}',
  '{"id":"p-4","name":"Harbin Institute of Technology Weihai"}',
  '{"id":"p-5","name":"Korea Semi Co."}',
  '{"id":"p-6","name":"Mahan Air General Trading LLC","country":"AE"}',
}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")

local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/screen?limit=3", nil, parties[n % #parties + 1])
end
