-- Headless end-to-end test of the newsls Neovim plugin against the real server.
--
--   NEWSLS_BIN=target/release/newsls nvim --headless --clean --cmd 'set rtp^=editors/nvim' \
--     -l editors/nvim/test/run.lua
--
-- Loads the plugin, opens the seed articles in a fresh workspace, waits for attach and indexing,
-- and checks through the real client: highlight groups, hover, definition, references, typing,
-- multi-byte positions, :NewslsRelated, :NewslsRestart, :checkhealth newsls and the status line.
-- Prints one line per check and "N passed, N failed"; exits 1 on any failure. Every wait is a
-- condition with a timeout (vim.wait), never a fixed sleep.

local script_dir = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')))
local plugin_dir = vim.fs.dirname(script_dir)
local repo = vim.fs.dirname(vim.fs.dirname(plugin_dir))
vim.opt.runtimepath:prepend(plugin_dir)

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

--- Runs one named check; `fn` returns nothing (pass) or raises with a message (fail).
local function check(name, fn)
  local t0 = vim.uv.hrtime()
  local ok, err = xpcall(fn, debug.traceback)
  local ms = (vim.uv.hrtime() - t0) / 1e6
  if ok then
    passed = passed + 1
    out(string.format('ok     %-62s %6.0f ms', name, ms))
  else
    failed = failed + 1
    out(string.format('FAILED %-62s %6.0f ms', name, ms))
    out('       ' .. tostring(err):gsub('\n', '\n       '))
  end
end

local function wait_for(what, timeout_ms, cond)
  local ok = vim.wait(timeout_ms, cond, 20)
  if not ok then
    error('timed out after ' .. timeout_ms .. ' ms waiting for ' .. what, 2)
  end
end

local function expect(cond, msg, ...)
  if not cond then
    error(string.format(msg, ...), 2)
  end
end

local ws

local function finish()
  out(string.format('%d passed, %d failed', passed, failed))
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  if ws and failed == 0 then
    vim.fn.delete(ws, 'rf')
  elseif ws then
    out('workspace kept: ' .. ws .. '; LSP log: ' .. vim.lsp.get_log_path())
  end
  os.exit(failed == 0 and 0 or 1)
end

-- The server binary.
local bin = os.getenv('NEWSLS_BIN')
if not bin or bin == '' then
  for _, candidate in ipairs({ repo .. '/target/release/newsls', repo .. '/target/debug/newsls' }) do
    if vim.fn.executable(candidate) == 1 then
      bin = candidate
      break
    end
  end
end
if not bin or vim.fn.executable(bin) ~= 1 then
  out('newsls binary not found (set NEWSLS_BIN)')
  failed = failed + 1
  finish()
end
bin = vim.fn.fnamemodify(bin, ':p')

-- A fresh workspace: the two seed articles, a distractor and a `.newsls` root marker.
ws = vim.fs.normalize(vim.fn.tempname() .. '-newsls-ws')
vim.fn.mkdir(ws .. '/.newsls', 'p')
local seed_a = ws .. '/000_b048b9770dc2da2d.txt'
local seed_b = ws .. '/004_12b826b37803d7ae.txt'
for _, name in ipairs({ '000_b048b9770dc2da2d.txt', '004_12b826b37803d7ae.txt' }) do
  vim.fn.writefile(vim.fn.readfile(repo .. '/seeds/' .. name, 'b'), ws .. '/' .. name, 'b')
end
-- A distractor that shares only Busan and South Korea: the ranking must put the other seed first.
vim.fn.writefile(vim.fn.readfile(repo .. '/editors/test-data/busan_port.txt', 'b'), ws .. '/busan_port.txt', 'b')
-- Two articles whose figures disagree (fact-check diagnostics).
local facts_profit = ws .. '/facts_profit.txt'
for _, name in ipairs({ 'facts_profit.txt', 'facts_plant.txt' }) do
  vim.fn.writefile(vim.fn.readfile(repo .. '/editors/test-data/' .. name, 'b'), ws .. '/' .. name, 'b')
end

vim.o.swapfile = false
vim.o.shortmess = vim.o.shortmess .. 'F'
vim.cmd('filetype on')
vim.cmd.runtime('plugin/newsls.lua')
local newsls = require('newsls')
newsls.setup({ cmd = { bin, 'serve' } })

--- (row, byte col) 0-based of the `nth` occurrence of `needle` (plain) in buffer `buf`.
local function find(buf, needle, nth)
  nth = nth or 1
  for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local from = 1
    while true do
      local s = line:find(needle, from, true)
      if not s then
        break
      end
      nth = nth - 1
      if nth == 0 then
        return row - 1, s - 1
      end
      from = s + 1
    end
  end
  error('text not found in buffer: ' .. needle, 2)
end

--- Semantic tokens (as decoded by the client) at a position.
local function tokens_at(buf, row, col)
  return vim.lsp.semantic_tokens.get_at_pos(buf, row, col) or {}
end

--- The highlight groups of semantic tokens at a position, as the editor applies them.
local function hl_groups_at(buf, row, col)
  local groups = {}
  for _, t in ipairs(vim.inspect_pos(buf, row, col, { semantic_tokens = true }).semantic_tokens) do
    table.insert(groups, t.opts.hl_group)
  end
  return groups
end

--- Checks that the text at (row, col) of length #needle is one token of `kind`, exactly.
local function expect_entity_at(buf, row, col, needle, kind)
  local token
  wait_for(('%s token on %q'):format(kind, needle), 5000, function()
    for _, t in ipairs(tokens_at(buf, row, col)) do
      if t.type == kind then
        token = t
        return true
      end
    end
    return false
  end)
  expect(
    token.line == row and token.start_col == col and token.end_col == col + #needle,
    '%q: token spans line %d cols %d-%d, expected line %d cols %d-%d',
    needle,
    token.line,
    token.start_col,
    token.end_col,
    row,
    col,
    col + #needle
  )
  -- Highlights are drawn for the visible lines only: show the position, then redraw.
  if vim.api.nvim_get_current_buf() ~= buf then
    vim.cmd.buffer(buf)
  end
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  local want = '@lsp.type.' .. kind
  local groups
  local ok = vim.wait(3000, function()
    vim.cmd('redraw')
    groups = hl_groups_at(buf, row, col)
    for _, g in ipairs(groups) do
      if g == want or g:sub(1, #want + 1) == want .. '.' then
        return true
      end
    end
    return false
  end, 20)
  expect(ok, '%q: highlight groups %s lack %s', needle, vim.inspect(groups), want)
  return token
end

--- Checks that `needle` (nth occurrence in the buffer) is one token of `kind` covering it exactly.
local function expect_entity(buf, needle, kind, nth)
  local row, col = find(buf, needle, nth)
  return expect_entity_at(buf, row, col, needle, kind)
end

local function client_for(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'newsls' })[1]
end

local function floating_windows()
  local wins = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      table.insert(wins, w)
    end
  end
  return wins
end

local function close_floats()
  for _, w in ipairs(floating_windows()) do
    pcall(vim.api.nvim_win_close, w, true)
  end
end

local buf_a, buf_b

check('attach: the client starts on a text article', function()
  vim.cmd.edit(vim.fn.fnameescape(seed_a))
  buf_a = vim.api.nvim_get_current_buf()
  expect(vim.bo[buf_a].filetype == 'text', 'filetype is %q', vim.bo[buf_a].filetype)
  wait_for('the newsls client', 15000, function()
    local c = client_for(buf_a)
    return c ~= nil and c.initialized == true
  end)
  local c = client_for(buf_a)
  expect(vim.fs.normalize(c.root_dir) == ws, 'root_dir %s, expected %s', c.root_dir, ws)
  expect(c.server_capabilities.semanticTokensProvider ~= nil, 'no semanticTokensProvider')
end)

check('indexing: $/progress reaches end (workspace indexed)', function()
  local c = client_for(buf_a)
  wait_for('indexing end', 30000, function()
    local st = newsls._state[c.id]
    return st ~= nil and st.indexed
  end)
end)

check('open the second seed too', function()
  vim.cmd.edit(vim.fn.fnameescape(seed_b))
  buf_b = vim.api.nvim_get_current_buf()
  wait_for('attach to the second seed', 10000, function()
    return client_for(buf_b) ~= nil
  end)
  vim.cmd.buffer(buf_a)
end)

check('tokens: Renault Korea Motors is an organization', function()
  expect_entity(buf_a, 'Renault Korea Motors', 'organization')
end)
check('tokens: RKM is an organization', function()
  expect_entity(buf_a, 'RKM', 'organization')
end)
check('tokens: Polestar is an organization', function()
  expect_entity(buf_a, 'Polestar', 'organization', 2)
end)
check('tokens: Busan is a place', function()
  local row = find(buf_a, 'Renault Korea Motors (RKM)')
  local line = vim.api.nvim_buf_get_lines(buf_a, row, row + 1, false)[1]
  local col = line:find('Busan', 1, true) - 1
  local found
  wait_for('place token on Busan', 5000, function()
    for _, t in ipairs(tokens_at(buf_a, row, col)) do
      if t.type == 'place' then
        found = t
      end
    end
    return found ~= nil
  end)
  expect(found.start_col == col, 'Busan token starts at %d, expected %d', found.start_col, col)
end)
check('tokens: 300,000 units is a figure', function()
  expect_entity(buf_a, '300,000 units', 'figure')
end)
check('tokens: $1.3 billion is a figure (money)', function()
  local t = expect_entity(buf_a, '$1.3 billion', 'figure')
  expect(t.modifiers.money, '$1.3 billion modifiers %s lack money', vim.inspect(t.modifiers))
end)
check('tokens: Stephane Deblaise is a person', function()
  expect_entity(buf_a, 'Stephane Deblaise', 'person')
end)
check('highlights: default links are in place and coloured', function()
  for kind, link in pairs({ organization = 'Special', place = 'Identifier', figure = 'String', person = 'DiagnosticWarn' }) do
    local hl = vim.api.nvim_get_hl(0, { name = '@lsp.type.' .. kind })
    expect(hl.link == link, '@lsp.type.%s links to %s', kind, tostring(hl.link))
    expect(vim.api.nvim_get_hl(0, { name = '@lsp.type.' .. kind, link = false }).fg, '%s has no colour', kind)
  end
end)

check('hover: Busan names the other article', function()
  local row, col = find(buf_a, 'Busan', 2)
  vim.api.nvim_win_set_cursor(0, { row + 1, col + 1 })
  close_floats()
  vim.lsp.buf.hover()
  local text
  wait_for('the hover float', 5000, function()
    for _, w in ipairs(floating_windows()) do
      text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
      return true
    end
    return false
  end)
  close_floats()
  expect(text:find('004_12b826b37803d7ae', 1, true), 'hover does not name the other seed:\n%s', text)
  expect(text:lower():find('place', 1, true), 'hover does not say place:\n%s', text)
end)

check('definition: Busan opens the other seed', function()
  vim.cmd.buffer(buf_a)
  local row, col = find(buf_a, 'Busan', 2)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  vim.fn.setqflist({}, 'r')
  vim.lsp.buf.definition()
  wait_for('a jump or a location list', 5000, function()
    return vim.api.nvim_get_current_buf() ~= buf_a or #vim.fn.getqflist() > 0
  end)
  if vim.api.nvim_get_current_buf() == buf_a or vim.bo.buftype == 'quickfix' then
    -- Several locations: Neovim lists them; the first must be in the other seed.
    vim.cmd('cfirst')
  end
  local name = vim.api.nvim_buf_get_name(0)
  expect(vim.fs.normalize(name) == seed_b, 'definition landed in %s', name)
  local line = vim.api.nvim_get_current_line()
  local cursor = vim.api.nvim_win_get_cursor(0)
  expect(line:sub(cursor[2] + 1, cursor[2] + 5) == 'Busan', 'cursor not on Busan: %q col %d', line, cursor[2])
  vim.cmd('cclose')
  vim.cmd.buffer(buf_a)
end)

check('references: RKM lists the Renault Korea Motors mentions', function()
  vim.cmd.buffer(buf_a)
  local row, col = find(buf_a, 'RKM')
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  vim.fn.setqflist({}, 'r')
  vim.lsp.buf.references({ includeDeclaration = true })
  wait_for('references in the quickfix list', 5000, function()
    return #vim.fn.getqflist() > 0
  end)
  local items = vim.fn.getqflist()
  local full, acronym, files = 0, 0, {}
  for _, item in ipairs(items) do
    local line = vim.fn.getbufline(item.bufnr, item.lnum)[1] or item.text
    local at = line:sub(item.col)
    if vim.startswith(at, 'Renault Korea Motors') then
      full = full + 1
    elseif vim.startswith(at, 'RKM') then
      acronym = acronym + 1
    end
    files[vim.fs.basename(vim.api.nvim_buf_get_name(item.bufnr))] = true
  end
  expect(full >= 2, 'only %d "Renault Korea Motors" mentions among %d references', full, #items)
  expect(acronym >= 2, 'only %d "RKM" mentions among %d references', acronym, #items)
  expect(files['004_12b826b37803d7ae.txt'], 'no reference in the other seed: %s', vim.inspect(vim.tbl_keys(files)))
  vim.cmd('cclose')
  vim.cmd.buffer(buf_a)
end)

check('typing: a new sentence with a new organisation and a figure is highlighted', function()
  vim.cmd.buffer(buf_a)
  local sentence = 'Kestrel Batteries Inc. said it will invest $45 million in the plant.'
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(buf_a), 0 })
  local keys = vim.api.nvim_replace_termcodes('Go<CR>' .. sentence .. '<Esc>', true, false, true)
  vim.api.nvim_feedkeys(keys, 'xt', false)
  local last = vim.api.nvim_buf_get_lines(buf_a, -2, -1, false)[1]
  expect(last == sentence, 'typed line is %q', last)
  expect_entity(buf_a, '$45 million', 'figure')
  expect_entity(buf_a, 'Kestrel Batteries Inc.', 'organization')
end)

check('typing: deleting the sentence removes its highlights', function()
  local row, col = find(buf_a, '$45 million')
  vim.api.nvim_buf_set_text(buf_a, row, 0, row, #vim.api.nvim_buf_get_lines(buf_a, row, row + 1, false)[1], { 'nothing here.' })
  wait_for('the figure token to go', 5000, function()
    return #tokens_at(buf_a, row, col) == 0 and #tokens_at(buf_a, row, 0) == 0
  end)
  -- Entities before the edit keep their tokens.
  expect_entity(buf_a, 'Stephane Deblaise', 'person')
end)

check('multi-byte: é, “quotes” and Korean keep token positions exact', function()
  local line = 'À Séoul, 부산 officials said “Renault Korea Motors” will build 300,000 units in Busan.'
  vim.api.nvim_buf_set_lines(buf_a, -1, -1, false, { '', line })
  local row = vim.api.nvim_buf_line_count(buf_a) - 1
  for _, want in ipairs({
    { 'Renault Korea Motors', 'organization' },
    { '300,000 units', 'figure' },
    { 'Busan', 'place' },
  }) do
    local col = line:find(want[1], 1, true) - 1
    expect_entity_at(buf_a, row, col, want[1], want[2])
  end
  -- Typing before the entities on the same line shifts them by the bytes typed.
  vim.api.nvim_buf_set_text(buf_a, row, 0, row, 0, { '“Ωμέγα” — ' })
  line = vim.api.nvim_buf_get_lines(buf_a, row, row + 1, false)[1]
  local col = line:find('Renault Korea Motors', 1, true) - 1
  expect_entity_at(buf_a, row, col, 'Renault Korea Motors', 'organization')
end)

check(':NewslsRelated lists the other seed first in the location list', function()
  vim.cmd.buffer(buf_a)
  local row, col = find(buf_a, 'Busan', 2)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  local win = vim.api.nvim_get_current_win()
  vim.fn.setloclist(win, {}, 'r')
  local done
  newsls.related({
    open = false,
    on_done = function(items)
      done = items
    end,
  })
  wait_for('related articles', 5000, function()
    return done ~= nil
  end)
  local items = vim.fn.getloclist(win)
  expect(#items >= 1, 'location list is empty')
  local first = vim.fs.normalize(vim.api.nvim_buf_get_name(items[1].bufnr))
  expect(first == seed_b, 'first related article is %s', first)
  expect(items[1].text ~= '', 'no title in %s', vim.inspect(items[1]))
  -- The user command fills the same list and opens it.
  vim.fn.setloclist(win, {}, 'r')
  vim.cmd('NewslsRelated')
  wait_for('the location list window', 5000, function()
    return vim.fn.getloclist(win, { winid = 0 }).winid ~= 0 and #vim.fn.getloclist(win) > 0
  end)
  vim.cmd('lclose')
end)

check('code lens: "N related articles" on the title runs :NewslsRelated', function()
  vim.cmd.buffer(buf_a)
  local win = vim.api.nvim_get_current_win()
  vim.lsp.codelens.refresh({ bufnr = buf_a })
  local lens
  wait_for('the related-articles code lens', 5000, function()
    for _, l in ipairs(vim.lsp.codelens.get(buf_a)) do
      if l.command and l.command.title:find('related article', 1, true) then
        lens = l
        return true
      end
    end
    return false
  end)
  expect(lens.range.start.line == 0, 'lens on line %d', lens.range.start.line)
  vim.fn.setloclist(win, {}, 'r')
  vim.api.nvim_win_set_cursor(win, { 1, 0 })
  vim.lsp.codelens.run()
  wait_for('the location list from the lens', 5000, function()
    return #vim.fn.getloclist(win) > 0
  end)
  local first = vim.fs.normalize(vim.api.nvim_buf_get_name(vim.fn.getloclist(win)[1].bufnr))
  expect(first == seed_b, 'first related article is %s', first)
  vim.cmd('lclose')
  vim.api.nvim_set_current_win(win)
  vim.cmd.buffer(buf_a)
end)

check('inlay hints: enabled by a setting, the normalised value after a figure', function()
  vim.cmd.buffer(buf_a)
  local row = find(buf_a, 'the second half of 2025')
  newsls.update_settings({ inlayHints = { enabled = true } })
  vim.lsp.inlay_hint.enable(true, { bufnr = buf_a })
  local label
  wait_for('an inlay hint after "the second half of 2025"', 5000, function()
    for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf_a })) do
      local hint = item.inlay_hint
      if hint.position.line == row then
        label = type(hint.label) == 'string' and hint.label
          or table.concat(vim.tbl_map(function(part)
            return part.value
          end, hint.label))
        if label:find('2025-07', 1, true) then
          return true
        end
      end
    end
    return false
  end)
  expect(label:find('2025-07', 1, true), 'hint %q', tostring(label))
  vim.lsp.inlay_hint.enable(false, { bufnr = buf_a })
  newsls.update_settings({})
end)

check('status line: entity counts of the article', function()
  vim.cmd.buffer(buf_a)
  local done
  newsls.refresh_counts(buf_a, function(counts)
    done = counts or false
  end)
  wait_for('document symbols', 5000, function()
    return done ~= nil
  end)
  expect(done, 'documentSymbol failed')
  expect(done.organization >= 3 and done.place >= 1 and done.person >= 1 and done.figure >= 2, 'counts %s', vim.inspect(done))
  local status = newsls.status(buf_a)
  expect(status:find('%d+ org'), 'status %q', status)
end)

check(':checkhealth newsls reports the binary and the running, indexed server', function()
  vim.cmd('checkhealth newsls')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('bwipeout')
  vim.cmd.buffer(buf_a)
  for _, want in ipairs({ 'binary: ' .. bin, 'version: ', 'running: client', 'workspace indexed' }) do
    expect(text:find(want, 1, true), 'health lacks %q:\n%s', want, text)
  end
  expect(not text:find('ERROR', 1, true), 'health has errors:\n%s', text)
end)

check('settings: didChangeConfiguration turns people off, then on again', function()
  vim.cmd.buffer(buf_a)
  local row, col = find(buf_a, 'Stephane Deblaise')
  local function has_person()
    for _, t in ipairs(tokens_at(buf_a, row, col)) do
      if t.type == 'person' then
        return true
      end
    end
    return false
  end
  expect(has_person(), 'no person token before the change')
  newsls.update_settings({ kinds = { person = false } })
  wait_for('the person token to go', 5000, function()
    return not has_person()
  end)
  expect_entity(buf_a, 'Renault Korea Motors', 'organization')
  wait_for('the status line to count 0 people', 5000, function()
    return newsls.status(buf_a):find(' 0 person', 1, true) ~= nil
  end)
  newsls.update_settings({})
  expect_entity(buf_a, 'Stephane Deblaise', 'person')
  wait_for('the status line to count people again', 5000, function()
    return newsls.status(buf_a):find(' [1-9]%d* person') ~= nil
  end)
end)

check('fact checks: one diagnostic of each kind, the conflict pointing at the other article', function()
  vim.cmd.edit(vim.fn.fnameescape(facts_profit))
  local buf = vim.api.nvim_get_current_buf()
  local by_code = {}
  wait_for('the three fact-check diagnostics', 15000, function()
    by_code = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'newsls' then
        by_code[d.code] = d
      end
    end
    return by_code['figure-conflict'] and by_code['change-mismatch'] and by_code['total-mismatch']
  end)
  local c = by_code['figure-conflict']
  local row, col = find(buf, 'approximately 2,000 employees')
  expect(c.lnum == row and c.col == col, 'conflict at %d:%d, expected %d:%d', c.lnum, c.col, row, col)
  expect(c.severity == vim.diagnostic.severity.INFO, 'severity %s', tostring(c.severity))
  expect(c.message:find('1,800 employees', 1, true) and c.message:find('ACME PLANT', 1, true), 'message: %s', c.message)
  local rel = c.user_data and c.user_data.lsp and c.user_data.lsp.relatedInformation
  expect(rel and rel[1] and vim.uri_to_fname(rel[1].location.uri):find('facts_plant.txt', 1, true), 'relatedInformation: %s', vim.inspect(rel))
  local m = by_code['change-mismatch']
  expect(m.message:find('25 pct', 1, true), 'change message: %s', m.message)
  local t = by_code['total-mismatch']
  expect(t.message:find('2,100', 1, true), 'total message: %s', t.message)
  vim.cmd.buffer(buf_a)
end)

check('code action: marking a selection as organization colours it and is kept in the workspace', function()
  vim.cmd.buffer(buf_a)
  local text = 'Industrial Media Staff'
  local row, col = find(buf_a, text)
  for _, t in ipairs(tokens_at(buf_a, row, col)) do
    expect(t.type ~= 'organization', '%q is already an organization', text)
  end
  vim.lsp.buf.code_action({
    range = { start = { row + 1, col }, ['end'] = { row + 1, col + #text - 1 } },
    filter = function(action)
      return action.title:find('as organization', 1, true) ~= nil
    end,
    apply = true,
  })
  expect_entity(buf_a, text, 'organization')
  local file = ws .. '/.newsls/annotations.toml'
  wait_for('the annotation file', 5000, function()
    return vim.fn.filereadable(file) == 1
  end)
  local saved = table.concat(vim.fn.readfile(file), '\n')
  expect(saved:find(text, 1, true), 'annotation file lacks %q:\n%s', text, saved)
end)

check(':NewslsExport jsonl writes the entities of every article', function()
  local out = vim.fn.tempname() .. '-export.jsonl'
  local result = false
  newsls.export('jsonl', out, function(err)
    result = err or 'ok'
  end)
  wait_for('the export', 30000, function()
    return result ~= false
  end)
  expect(result == 'ok', 'export failed: %s', result)
  local lines = vim.fn.readfile(out)
  expect(#lines >= 3, 'expected a line per article, got %d', #lines)
  local text = table.concat(lines, '\n')
  expect(text:find('Renault Korea Motors', 1, true) and text:find('busan_port.txt', 1, true), 'export lacks entities or articles')
end)

check('settings: standard token types restart the server with class/namespace/number/variable', function()
  vim.cmd.buffer(buf_a)
  local old = client_for(buf_a)
  local done = false
  newsls.update_settings({ semanticTokens = { standardTypes = true } }, function()
    done = true
  end)
  wait_for('the restart', 15000, function()
    local c = client_for(buf_a)
    return done and c ~= nil and c.id ~= old.id and c.initialized == true
  end)
  expect_entity(buf_a, 'Stephane Deblaise', 'variable')
  expect_entity(buf_a, 'Renault Korea Motors', 'class')
  old = client_for(buf_a)
  done = false
  newsls.update_settings({}, function()
    done = true
  end)
  wait_for('the restart back', 15000, function()
    local c = client_for(buf_a)
    return done and c ~= nil and c.id ~= old.id and c.initialized == true
  end)
  expect_entity(buf_a, 'Renault Korea Motors', 'organization')
end)

check(':NewslsRestart starts a new server that serves tokens again', function()
  local old = client_for(buf_a)
  vim.cmd('NewslsRestart')
  wait_for('a new client', 15000, function()
    local c = client_for(buf_a)
    return c ~= nil and c.id ~= old.id and c.initialized == true
  end)
  expect(old:is_stopped(), 'the old client is still running')
  expect(client_for(buf_b) ~= nil, 'the second seed was not re-attached')
  expect_entity(buf_a, 'Stephane Deblaise', 'person')
end)

finish()
