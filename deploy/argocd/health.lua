-- Argo CD health check for pyrelease.dev/PythonRelease (argocd-cm key
-- resource.customizations.health.pyrelease.dev_PythonRelease). Lua 5.1 (gopher-lua).
-- Healthy: the revision the spec asks for serves and Ready is True. Progressing: the operator
-- has not observed the spec yet, or it builds or rolls out. Degraded: a terminal failure
-- (phase Failed, Stalled or Degraded True), with the failing condition's message.
local hs = {}
local function condition(status, t)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == t then
      return c
    end
  end
  return nil
end
local function say(c)
  if c == nil then
    return nil
  end
  local m = c.message
  if m == nil or m == "" then
    return c.reason
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason .. ": " .. m
  end
  return m
end
local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local st = obj.status
if st == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end
local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (st.observedGeneration == nil or st.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(st, "Ready")
local degraded = condition(st, "Degraded")
local stalled = condition(st, "Stalled")
if st.phase == "Failed" or isTrue(stalled) or isTrue(degraded) then
  hs.status = "Degraded"
  local why = nil
  if isTrue(stalled) then
    why = stalled
  elseif isTrue(degraded) then
    why = degraded
  else
    for _, t in ipairs({"SourceResolved", "Built", "Ready"}) do
      local c = condition(st, t)
      if why == nil and c ~= nil and c.status == "False" then
        why = c
      end
    end
  end
  hs.message = say(why) or "The release failed"
  return hs
end

if st.phase == "Pending" or st.phase == "Building" or st.phase == "RollingOut" or st.phase == nil then
  hs.status = "Progressing"
  local reconciling = condition(st, "Reconciling")
  local why = nil
  if isTrue(reconciling) then
    why = reconciling
  elseif st.phase == "Building" then
    why = condition(st, "Built")
  elseif st.phase == "RollingOut" then
    why = ready
  end
  hs.message = say(why) or ("Phase " .. tostring(st.phase))
  return hs
end

local want = nil
if obj.spec ~= nil and obj.spec.revision ~= nil then
  want = obj.spec.revision
else
  want = st.latestRevision
end
if isTrue(ready) and st.currentRevision ~= nil and st.currentRevision == want then
  hs.status = "Healthy"
  hs.message = say(ready) or ("Revision " .. tostring(st.currentRevision) .. " serves")
  return hs
end
hs.status = "Progressing"
if st.currentRevision == nil then
  hs.message = "No revision serves yet"
else
  hs.message = "Revision " .. tostring(st.currentRevision) .. " serves; the spec's is revision " .. tostring(want)
end
return hs
