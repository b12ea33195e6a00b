"""wrk: the Lua scripts the benchmark drives it with, and reading its output."""

import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

# A random path from the file given after `--`, for every request: varied queries,
# so the search cache (or PostgreSQL's) cannot answer them all from one entry.
LUA_PATHS = """
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""

# POST /api/v1/appointments/ as a random signed-in resident for a random slot.
# Arguments after `--`: a file of session keys (one per line), the slot ids
# (comma-separated), the CSRF token (sent as cookie and header, as a browser's
# fetch does) and a prefix that makes every Idempotency-Key unique across runs.
# Every answer is counted by status and error code (`409 double_booking`) in the
# threads; done() prints the counts as `STATUS <status>[ <code>] <n>` lines, so a
# refusal is visible in the report and not hidden in the requests/s.
LUA_BOOKING = """
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

local sessions, slots, csrf, prefix, counter = {}, {}, "", "", 0
statuses = {}
init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then sessions[#sessions + 1] = line end
  end
  for id in string.gmatch(args[2], "%d+") do slots[#slots + 1] = id end
  csrf, prefix = args[3], args[4]
  math.randomseed(os.time() * 100 + thread_id)
end

request = function()
  counter = counter + 1
  local body = '{"slot": ' .. slots[math.random(#slots)] ..
    ', "reason": "Benchmark booking", "id_document": "hkid"}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "en",
    ["Cookie"] = "sessionid=" .. sessions[math.random(#sessions)] .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Idempotency-Key"] = prefix .. "-" .. thread_id .. "-" .. counter,
  }, body)
end

response = function(status, headers, body)
  local code = body and body:match('"code"%s*:%s*"([%w_]+)"')
  local key = tostring(status) .. (code and (" " .. code) or "")
  statuses[key] = (statuses[key] or 0) + 1
end

done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %s %d\\n", key, n))
    end
  end
end
"""


@dataclass
class Result:
    """One wrk run. `answers` is filled only by scripts that count statuses
    (the booking script): {"201": n, "409 double_booking": m, ...}."""

    name: str
    path: str
    rps: float
    p50: float
    p90: float
    p99: float
    requests: int
    errors: int  # wrk: status >= 400, plus socket errors (connect, read, write, timeout)
    status: int | str
    socket_errors: int = 0
    answers: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Answers that are not 2xx, and socket errors. Without status counts wrk only
        knows status >= 400, so a 3xx passes there (the HTTP column shows the
        status of the first path)."""
        if not self.answers:
            return self.errors
        return sum(n for key, n in self.answers.items() if not key.startswith("2")) + self.socket_errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise ValueError(f"Cannot read wrk latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_answers(output: str) -> dict[str, int]:
    """The `STATUS <status>[ <code>] <n>` lines of LUA_BOOKING, summed over threads."""
    counts: Counter[str] = Counter()
    for key, n in re.findall(r"^STATUS (\d{3}(?: \w+)?) (\d+)$", output, re.MULTILINE):
        counts[key] += int(n)
    return dict(counts)


def parse_wrk(name: str, path: str, output: str, status: int | str) -> Result:
    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+(\S+)", output, re.MULTILINE)
        return to_ms(match.group(1)) if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps:
        raise ValueError(f"Unexpected wrk output for {name}:\n{output}")
    total = re.search(r"(\d+) requests in", output)
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = sum(int(g) for g in sockets.groups()) if sockets else 0
    errors = (int(bad_status.group(1)) if bad_status else 0) + socket_errors
    answers = parse_answers(output)
    if answers and status == "":
        status = max(answers, key=answers.get).split(" ")[0]  # the most frequent answer
    return Result(name, path, float(rps.group(1)), percentile("50"), percentile("90"), percentile("99"),
                  int(total.group(1)) if total else 0, errors, status, socket_errors, answers)


def quote(path: str) -> str:
    """A path as wrk sends it: non-ASCII query text percent-encoded, the rest kept."""
    return urllib.parse.quote(path, safe="/?=&%:+,;@-._~")
