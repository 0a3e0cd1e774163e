-- wrk: searches for common words, each request a word and a page drawn at random (WORDS_FILE,
-- one word per line; PAGES pages per word), so most requests miss the search-page cache.
local words = {}
local pages = tonumber(os.getenv("PAGES") or "3")
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
for line in io.lines(os.getenv("WORDS_FILE")) do
  if #line > 0 then words[#words + 1] = urlencode(line) end
end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
request = function()
  local w = words[math.random(#words)]
  local p = math.random(pages)
  local path = "/search?q=" .. w
  if p > 1 then path = path .. "&page=" .. p end
  return wrk.format("GET", path)
end
