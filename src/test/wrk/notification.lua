-- wrk script for the webhook benchmark (docs/benchmarks.md): one docker-registry 2.8 notification
-- per POST (one event, 3-space indentation, about 1 KB), every event with its own id.
--   wrk -t2 -c16 -d300s -s src/test/wrk/notification.lua http://127.0.0.1:8080/notifications -- SECRET RUN
-- SECRET: the notification secret; RUN: a prefix that makes this run's ids unique.
-- done() prints the ids generated and the statuses, for the benchmark to compare with the rows.

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

local template = [[
{
   "events": [
      {
         "id": "%s",
         "timestamp": "%s",
         "action": "pull",
         "target": {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:abababababababababababababababababababababababababababababababab",
            "size": 1234,
            "length": 1234,
            "repository": "bench/app",
            "url": "http://bench.example.com/v2/bench/app/manifests/sha256:abababababababababababababababababababababababababababababababab",
            "tag": "latest"
         },
         "request": {
            "id": "req-%s",
            "addr": "10.0.0.7:51234",
            "host": "bench.example.com",
            "method": "GET",
            "useragent": "skopeo/1.9.3"
         },
         "actor": {
            "name": "alice"
         },
         "source": {
            "addr": "registry:5000",
            "instanceID": "8a2b1c2e-bench"
         }
      }
   ]
}]]

function init(args)
   run = args[2] or "wrk"
   counter = 0
   accepted = 0
   refused = 0
   wrk.method = "POST"
   wrk.headers["X-Registry-Audit-Secret"] = args[1]
   wrk.headers["Content-Type"] = "application/vnd.docker.distribution.events.v1+json"
end

function request()
   counter = counter + 1
   local id = string.format("%s-%d-%d", run, tid, counter)
   return wrk.format(nil, nil, nil, string.format(template, id, os.date("!%Y-%m-%dT%H:%M:%SZ"), id))
end

function response(status, headers, body)
   if status == 202 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
   local generated, ok, bad = 0, 0, 0
   for _, thread in ipairs(threads) do
      generated = generated + thread:get("counter")
      ok = ok + thread:get("accepted")
      bad = bad + thread:get("refused")
   end
   io.write(string.format("wrk-result generated=%d accepted=%d refused=%d requests=%d seconds=%.3f "
      .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\n",
      generated, ok, bad, summary.requests, summary.duration / 1e6,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
