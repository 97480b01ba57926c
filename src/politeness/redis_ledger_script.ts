/**
 * The Lua script behind the shared ledger: every check-and-book runs in Redis
 * in one step, so replicas booking at once cannot both take the last unit.
 * It keeps the file ledger's maths exactly (see `ledger.ts`): one-minute
 * buckets, a bucket counting while any of it is inside the window, counts
 * clamped at 0, unknown use counting as the whole budget of its kind, and the
 * same "frees up at" time.
 *
 * Keys: `KEYS[1]` the epoch (a random id set when the ledger is created; a
 * replica that finds it gone or changed knows the ledger was lost and marks
 * every server's use unknown), `KEYS[2]` the unknown-use marks (a hash
 * `host:port|kind` → ms, `*` for every server), `KEYS[3]` the team's buckets
 * for the server, `KEYS[4]` (optional) the user's. A bucket hash maps the
 * minute's start (ms) to `connections:bytesDown:bytesUp`; no ledger key has a
 * TTL (dead buckets are removed as they are read), so a Redis that evicts only
 * keys with a TTL never evicts the ledger.
 *
 * `ARGV`: op, now (`""`: Redis's own clock), window ms, expected epoch (`""`
 * when not known yet), a fresh epoch to set if there is none, the server key,
 * then per op: `book` limits×3, user limits×3 (`""` without a user), needs×3,
 * adds×3; `reserve` limits×3, user limits×3, wanted; `add` at, deltas×3;
 * `status` limits×3, user limits×3; `mark` at.
 *
 * Replies: `{"epoch", epoch, lost}` when the epoch was not the expected one
 * (nothing else done: adopt it and ask again); `{"refuse", scope, kind, used,
 * limit, freesAt, unknownSince, teamUsed}`; `{"ok", at, granted, problems,
 * unknownSince×3, n, n × (minute, connections, bytesDown, bytesUp), m, m × …}`:
 * the team's live buckets, then the user's (`m` is -1 without a user), so
 * that the replica's own view of the server is the file ledger's maths too.
 *
 * @module
 */

import { LuaScript } from "./redis_client.ts";

const SOURCE = String.raw`
local BUCKET = 60000
local op = ARGV[1]
local now
if ARGV[2] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[2])
end
local window = tonumber(ARGV[3])
local horizon = now - window
local server = ARGV[6]

local function fmt(n) return string.format('%.0f', n) end

local function markUnknown(key, at)
  for _, kind in ipairs({'c', 'd', 'u'}) do
    local field = key .. '|' .. kind
    local old = tonumber(redis.call('HGET', KEYS[2], field) or '')
    if old == nil or old < at then redis.call('HSET', KEYS[2], field, fmt(at)) end
  end
end

-- The epoch: a ledger that vanished (restart without persistence, flush) is unknown use.
local epoch = redis.call('GET', KEYS[1])
if epoch ~= ARGV[4] then
  local lost = 0
  if ARGV[4] ~= '' then
    lost = 1
    markUnknown('*', now)
  end
  if epoch == false then
    redis.call('SET', KEYS[1], ARGV[5])
    epoch = ARGV[5]
  end
  return {'epoch', epoch, lost}
end

local problems = 0

-- Live buckets of one hash, sorted by minute; dead and unreadable ones are removed.
local function load(key)
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= 'none' and kind ~= 'hash' then
    redis.call('RENAME', key, key .. ':damaged:' .. fmt(now))
    markUnknown(server, now)
    problems = problems + 1
    return {}
  end
  local flat = redis.call('HGETALL', key)
  local buckets = {}
  for i = 1, #flat, 2 do
    local field, value = flat[i], flat[i + 1]
    local minute = tonumber(field)
    local c, d, u = string.match(value, '^(%d+):(%d+):(%d+)$')
    if minute == nil or c == nil or minute ~= math.floor(minute) then
      redis.call('HDEL', key, field)
      local at = now
      if minute ~= nil and minute <= now and minute > horizon then at = minute end
      markUnknown(server, at)
      problems = problems + 1
    elseif minute + BUCKET <= horizon then
      redis.call('HDEL', key, field)
    else
      table.insert(buckets, {minute, tonumber(c), tonumber(d), tonumber(u)})
    end
  end
  table.sort(buckets, function(a, b) return a[1] < b[1] end)
  return buckets
end

local function totals(buckets)
  local t = {0, 0, 0}
  for _, b in ipairs(buckets) do
    t[1] = t[1] + b[2]; t[2] = t[2] + b[3]; t[3] = t[3] + b[4]
  end
  return t
end

local KINDS = {'c', 'd', 'u'}
local function unknownSince(k)
  local since = -1
  for _, key in ipairs({server, '*'}) do
    local at = tonumber(redis.call('HGET', KEYS[2], key .. '|' .. KINDS[k]) or '')
    if at ~= nil and at > horizon and at > since then since = at end
  end
  return since
end

-- When 'excess' units of kind k will have left the window.
local function freesAt(buckets, k, excess)
  local freed = 0
  for _, b in ipairs(buckets) do
    freed = freed + b[k + 1]
    if freed >= excess then return b[1] + BUCKET + window end
  end
  return now + window
end

local function nums(from)
  return {tonumber(ARGV[from]), tonumber(ARGV[from + 1]), tonumber(ARGV[from + 2])}
end

local hasUser = #KEYS >= 4
local team = load(KEYS[3])
local user = {}
if hasUser then user = load(KEYS[4]) end
local teamUsed = totals(team)
local userUsed = totals(user)
local unknown = {unknownSince(1), unknownSince(2), unknownSince(3)}

-- Refuses 'needs' over the limits: the team's (and unknown use), then the user's share.
local function check(limits, userLimits, needs)
  for k = 1, 3 do
    if needs[k] > 0 then
      if unknown[k] >= 0 then
        return {'refuse', 'unknown', k, teamUsed[k], limits[k], unknown[k] + window, unknown[k], teamUsed[k]}
      end
      if teamUsed[k] + needs[k] > limits[k] then
        return {'refuse', 'team', k, teamUsed[k], limits[k],
          freesAt(team, k, teamUsed[k] + needs[k] - limits[k]), -1, teamUsed[k]}
      end
      if userLimits and userUsed[k] + needs[k] > userLimits[k] then
        return {'refuse', 'user', k, userUsed[k], limits[k],
          freesAt(user, k, userUsed[k] + needs[k] - userLimits[k]), -1, teamUsed[k]}
      end
    end
  end
  return nil
end

-- The answer: what was booked, and the live buckets, so the replica's view is exact.
local function reply(at, granted)
  local r = {'ok', at, granted, problems, unknown[1], unknown[2], unknown[3]}
  local function put(list)
    local live = {}
    for _, b in ipairs(list) do
      if b[2] ~= 0 or b[3] ~= 0 or b[4] ~= 0 then table.insert(live, b) end
    end
    table.insert(r, #live)
    for _, b in ipairs(live) do
      table.insert(r, b[1]); table.insert(r, b[2]); table.insert(r, b[3]); table.insert(r, b[4])
    end
  end
  put(team)
  if hasUser then put(user) else table.insert(r, -1) end
  return r
end

-- Adds (signed) use in the bucket of 'at', each field clamped at 0 as the file ledger does.
local MAX = 281474976710656
local function apply(deltas, at)
  local minute = math.floor(at / BUCKET) * BUCKET
  -- A bucket already out of the window counts for nothing: adding to it changes nothing.
  if minute + BUCKET <= horizon then return end
  local scopes = {{3, team, teamUsed}}
  if hasUser then table.insert(scopes, {4, user, userUsed}) end
  for _, scope in ipairs(scopes) do
    local key, list, used = scope[1], scope[2], scope[3]
    local found = nil
    for _, b in ipairs(list) do if b[1] == minute then found = b end end
    if found == nil then
      found = {minute, 0, 0, 0}
      table.insert(list, found)
      table.sort(list, function(a, b) return a[1] < b[1] end)
    end
    for k = 1, 3 do
      local old = found[k + 1]
      local new = math.min(MAX, math.max(0, old + deltas[k]))
      found[k + 1] = new
      used[k] = used[k] + new - old
    end
    local field = fmt(minute)
    if found[2] == 0 and found[3] == 0 and found[4] == 0 then
      redis.call('HDEL', KEYS[key], field)
    else
      redis.call('HSET', KEYS[key], field, fmt(found[2]) .. ':' .. fmt(found[3]) .. ':' .. fmt(found[4]))
    end
  end
end

local function userLimitsAt(from)
  if ARGV[from] == '' then return nil end
  return nums(from)
end

if op == 'book' then
  local limits, userLimits = nums(7), userLimitsAt(10)
  local refused = check(limits, userLimits, nums(13))
  if refused then return refused end
  apply(nums(16), now)
  return reply(now, 0)
elseif op == 'reserve' then
  local limits, userLimits = nums(7), userLimitsAt(10)
  local refused = check(limits, userLimits, {0, 1, 0})
  if refused then return refused end
  local left = limits[2] - teamUsed[2]
  if userLimits then left = math.min(left, userLimits[2] - userUsed[2]) end
  local granted = math.max(1, math.min(math.ceil(tonumber(ARGV[13])), left))
  apply({0, granted, 0}, now)
  return reply(now, granted)
elseif op == 'add' then
  apply(nums(8), tonumber(ARGV[7]))
  return reply(now, 0)
elseif op == 'status' then
  return reply(now, 0)
elseif op == 'mark' then
  markUnknown(server, tonumber(ARGV[7]))
  unknown = {unknownSince(1), unknownSince(2), unknownSince(3)}
  return reply(now, 0)
end
return redis.error_reply('unknown ledger op ' .. tostring(op))
`;

/** The ledger script. */
export const LEDGER_SCRIPT: LuaScript = new LuaScript(SOURCE);
