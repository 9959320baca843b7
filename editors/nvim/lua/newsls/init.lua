--- newsls for Neovim 0.11+: client setup, highlight links, related articles, restart, export,
--- status line text (indexing progress and entity counts of the current article).
---
--- The client config itself lives in `lsp/newsls.lua` (so `vim.lsp.enable('newsls')` works
--- without `setup`); `setup()` only layers user options over it with `vim.lsp.config`.
--- Per-client state (indexing progress) is kept in `M._state`, keyed by client id.

local M = {}

M.name = 'newsls'

--- Markers of a corpus root, searched upwards from the article; else the article's folder.
M.root_markers = { '.newsls', '.git' }

--- Server commands returning the related articles (see editors/README.md for the contract); the
--- first one the server advertises is used.
M.RELATED_COMMANDS = { 'newsls.relatedArticles', 'newsls.showRelatedArticles' }
--- Client-side command the server's code lens runs ("N related articles").
M.SHOW_RELATED_COMMAND = 'newsls.showRelatedArticles'
M.EXPORT_COMMAND = 'newsls.export'
M.EXPORT_FORMATS = { 'jsonl', 'brat', 'conll', 'webanno' }

--- Default highlight links; all set with `default = true`, so a colour scheme or the user wins.
M.highlights = {
  ['@lsp.type.organization'] = { link = 'Special' },
  ['@lsp.type.place'] = { link = 'Identifier' },
  ['@lsp.type.figure'] = { link = 'String' },
  ['@lsp.type.person'] = { link = 'DiagnosticWarn' },
  ['@lsp.mod.money'] = { link = '@lsp.type.figure' },
  ['@lsp.mod.percent'] = { link = '@lsp.type.figure' },
  ['@lsp.mod.quantity'] = { link = '@lsp.type.figure' },
  ['@lsp.mod.count'] = { link = '@lsp.type.figure' },
  ['@lsp.mod.date'] = { link = '@lsp.type.figure' },
  ['@lsp.mod.alias'] = { italic = true },
  ['@lsp.mod.declaration'] = { bold = true },
}

---@class newsls.State
---@field indexing string? progress message while the workspace is being indexed
---@field indexed boolean the server reported the end of indexing
---@field progress_token any

---@type table<integer, newsls.State>
M._state = {}

--- The server settings (section `newsls`), with their defaults. Mirrors the VS Code settings.
function M.default_settings()
  return {
    kinds = { organization = true, place = true, figure = true, person = true },
    inlayHints = { enabled = false },
    semanticTokens = { standardTypes = false },
    codeLens = { enabled = true },
    extensions = { 'txt', 'md', 'markdown', 'text' },
    exclude = {},
    maxFileSize = 10 * 1024 * 1024,
    diagnostics = { factChecks = 'information' },
  }
end

---@param bufnr integer
---@return string
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return vim.fn.getcwd()
  end
  local root = vim.fs.root(bufnr, M.root_markers)
  if root then
    return root
  end
  return vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(name, ':p')))
end

---@param filter? vim.lsp.get_clients.Filter
---@return vim.lsp.Client[]
function M.clients(filter)
  filter = vim.tbl_extend('force', filter or {}, { name = M.name })
  return vim.lsp.get_clients(filter)
end

---@param bufnr? integer
---@return vim.lsp.Client?
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  return M.clients({ bufnr = bufnr })[1] or M.clients()[1]
end

function M.set_highlights()
  for name, spec in pairs(M.highlights) do
    vim.api.nvim_set_hl(0, name, vim.tbl_extend('force', spec, { default = true }))
  end
end

--- Settings given to setup: accepts `{ newsls = {...} }` or the inner table directly.
local function normalize_settings(settings)
  settings = settings or {}
  local inner = settings.newsls or settings
  return vim.tbl_deep_extend('force', M.default_settings(), inner)
end

--- Sends new settings to the running servers (`workspace/didChangeConfiguration`). A change of
--- `semanticTokens.standardTypes` restarts them: the token legend is fixed at initialize.
---@param settings table the `newsls` section
---@param on_done? fun() called when the settings are sent (after the restart, if any)
function M.update_settings(settings, on_done)
  local inner = normalize_settings(settings)
  M._settings = inner
  local restart = false
  for _, client in ipairs(M.clients()) do
    local old = client.config.init_options or {}
    local old_standard = vim.tbl_get(client.settings or {}, 'newsls', 'semanticTokens', 'standardTypes')
    if old_standard == nil then
      old_standard = vim.tbl_get(old, 'semanticTokens', 'standardTypes') or false
    end
    restart = restart or old_standard ~= inner.semanticTokens.standardTypes
  end
  if restart then
    M.restart(on_done)
    return
  end
  for _, client in ipairs(M.clients()) do
    client.settings = { newsls = inner }
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
    -- The server applies them asynchronously; recount a moment later.
    vim.defer_fn(function()
      for bufnr in pairs(client.attached_buffers) do
        M.refresh_counts(bufnr)
      end
    end, 300)
  end
  if on_done then
    on_done()
  end
end

---@class newsls.Opts
---@field cmd? string[]|fun(dispatchers: vim.lsp.rpc.Dispatchers): vim.lsp.rpc.PublicClient
---@field filetypes? string[]
---@field root_markers? string[]
---@field settings? table
---@field highlights? boolean set the default highlight links (default true)
---@field codelens? boolean refresh code lenses ("N related articles") automatically (default true)
---@field enable? boolean call vim.lsp.enable('newsls') (default true)
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table

---@param opts? newsls.Opts
function M.setup(opts)
  opts = opts or {}
  local config = {}
  -- Options passed through to the client configuration as they are.
  for _, key in ipairs({ 'cmd', 'filetypes', 'on_attach', 'capabilities' }) do
    if opts[key] then
      config[key] = opts[key]
    end
  end
  if opts.root_markers then
    M.root_markers = opts.root_markers
  end
  local settings = normalize_settings(opts.settings)
  M._settings = settings
  config.init_options = settings
  config.settings = { newsls = settings }
  vim.lsp.config(M.name, config)
  M._codelens = opts.codelens ~= false
  if opts.highlights ~= false then
    M.set_highlights()
  end
  if #M.clients() > 0 then
    M.update_settings(settings)
  end
  if opts.enable ~= false then
    vim.lsp.enable(M.name)
  end
end

--- Called by lsp/newsls.lua's on_init: fresh state for the client.
---@param client vim.lsp.Client
function M.on_init(client)
  M._state[client.id] = { indexing = nil, indexed = false }
end

--- LspProgress handler (autocmd in plugin/newsls.lua).
function M._on_progress(ev)
  local client = vim.lsp.get_client_by_id(ev.data.client_id)
  if not client or client.name ~= M.name then
    return
  end
  local state = M._state[client.id] or { indexed = false }
  M._state[client.id] = state
  local value = ev.data.params.value or {}
  if value.kind == 'end' then
    state.indexing = nil
    state.indexed = true
    state.progress_token = nil
    for bufnr in pairs(client.attached_buffers) do
      M.refresh_counts(bufnr)
    end
  else
    if value.kind == 'begin' then
      state.title = value.title
      state.progress_token = ev.data.params.token
    end
    local parts = { state.title or 'indexing' }
    if value.message and value.message ~= '' then
      table.insert(parts, value.message)
    end
    if value.percentage then
      table.insert(parts, value.percentage .. '%')
    end
    state.indexing = table.concat(parts, ' ')
  end
  vim.cmd('redrawstatus')
end

local KIND_BY_SYMBOL_KIND = { [5] = 'organization', [3] = 'place', [16] = 'figure', [13] = 'person' }

--- The kind named by a group symbol ("Organizations", "Places", "People", ...), if any.
local function group_kind(name)
  name = (name or ''):lower()
  if name:match('^organi[sz]ation') then
    return 'organization'
  elseif name:match('^place') then
    return 'place'
  elseif name:match('^figure') then
    return 'figure'
  elseif name:match('^person') or name:match('^people') then
    return 'person'
  end
end

--- Entity counts from `textDocument/documentSymbol`: one top-level symbol per kind with one
--- child per entity; a flat answer is counted by symbol kind, distinct names once.
---@param symbols table[]
---@return table<string, integer>
function M.count_entities(symbols)
  local counts = { organization = 0, place = 0, figure = 0, person = 0 }
  local seen = { organization = {}, place = {}, figure = {}, person = {} }
  for _, symbol in ipairs(symbols or {}) do
    local group = group_kind(symbol.name)
    if group and type(symbol.children) == 'table' then
      counts[group] = counts[group] + #symbol.children
    else
      local kind = KIND_BY_SYMBOL_KIND[symbol.kind]
      if kind and not seen[kind][symbol.name or ''] then
        seen[kind][symbol.name or ''] = true
        counts[kind] = counts[kind] + 1
      end
    end
  end
  return counts
end

--- Asks the server for the document symbols of `bufnr` and stores the counts in
--- `vim.b[bufnr].newsls_counts`; `callback(counts)` when done.
---@param bufnr? integer
---@param callback? fun(counts: table<string, integer>?)
function M.refresh_counts(bufnr, callback)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.clients({ bufnr = bufnr })[1]
  if not client then
    if callback then
      callback(nil)
    end
    return
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
  client:request('textDocument/documentSymbol', params, function(err, result)
    local counts = nil
    if not err and vim.api.nvim_buf_is_valid(bufnr) then
      counts = M.count_entities(result or {})
      vim.b[bufnr].newsls_counts = counts
      vim.cmd('redrawstatus')
    end
    if callback then
      callback(counts)
    end
  end, bufnr)
end

--- Status line text: indexing progress, else the entity counts of the buffer's article.
--- Use it as `%{v:lua.require'newsls'.status()}`.
---@param bufnr? integer
---@return string
function M.status(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.clients({ bufnr = bufnr })[1]
  if not client then
    return ''
  end
  local state = M._state[client.id]
  if state and state.indexing then
    return 'newsls: ' .. state.indexing
  end
  local c = vim.b[bufnr].newsls_counts
  if not c then
    return 'newsls'
  end
  return string.format('%d org · %d place · %d person · %d fig', c.organization, c.place, c.person, c.figure)
end

--- Converts server locations to quickfix items keeping the server's order (best first).
---@param client vim.lsp.Client
---@param articles table[] { uri, title?, score?, range?, shared? }
---@return vim.quickfix.entry[]
function M.related_items(client, articles)
  local items = {}
  for _, article in ipairs(articles) do
    local item
    if article.range then
      item = vim.lsp.util.locations_to_items({ { uri = article.uri, range = article.range } }, client.offset_encoding)[1]
    else
      item = M.first_mention(vim.uri_to_fname(article.uri), article.shared or {})
    end
    if item then
      local title = article.title and vim.trim(article.title) or ''
      if title == '' then
        title = vim.fs.basename(item.filename)
      elseif vim.fn.strchars(title) > 60 then
        title = vim.fn.strcharpart(title, 0, 59) .. '…'
      end
      local parts = { title }
      if type(article.score) == 'number' then
        table.insert(parts, string.format('[%.2f]', article.score))
      end
      if type(article.shared) == 'table' and #article.shared > 0 then
        table.insert(parts, 'shared: ' .. table.concat(article.shared, ', '))
      end
      item.text = table.concat(parts, '  ')
      item.user_data = article
      table.insert(items, item)
    end
  end
  return items
end

--- Quickfix item at the first mention of one of `names` (in their order) in the file, else at
--- its top: where a related article without a range opens.
---@param filename string
---@param names string[]
---@return vim.quickfix.entry
function M.first_mention(filename, names)
  local bufnr = vim.fn.bufnr(filename)
  local lines = bufnr ~= -1 and vim.api.nvim_buf_is_loaded(bufnr) and vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    or (vim.fn.filereadable(filename) == 1 and vim.fn.readfile(filename) or {})
  for _, name in ipairs(names) do
    for lnum, line in ipairs(lines) do
      local col = name ~= '' and line:find(name, 1, true)
      if col then
        return { filename = filename, lnum = lnum, col = col, end_lnum = lnum, end_col = col + #name }
      end
    end
  end
  return { filename = filename, lnum = 1, col = 1 }
end

--- Fetches the related articles of `uri` (best first). Falls back to "go to definition" at the
--- cursor when the server lacks the command. `callback(err, articles)`.
---@param opts { bufnr?: integer, uri?: string, position?: lsp.Position|false }
---@param callback fun(err: string?, articles: table[]?, client: vim.lsp.Client?)
function M.fetch_related(opts, callback)
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    callback('newsls is not running for this buffer', nil, nil)
    return
  end
  local uri = opts.uri or vim.uri_from_bufnr(bufnr)
  local position = opts.position
  if position == nil and uri == vim.uri_from_bufnr(bufnr) then
    local win = vim.fn.bufwinid(bufnr)
    if win ~= -1 then
      position = vim.lsp.util.make_position_params(win, client.offset_encoding).position
    end
  end
  local args = { uri }
  if position then
    table.insert(args, position)
  end
  local advertised = client.server_capabilities.executeCommandProvider
  advertised = advertised and advertised.commands or {}
  local command
  for _, name in ipairs(M.RELATED_COMMANDS) do
    if not command and vim.tbl_contains(advertised, name) then
      command = name
    end
  end
  local function by_command(next)
    if not command then
      next(nil, nil)
      return
    end
    client:request('workspace/executeCommand', { command = command, arguments = args }, next, bufnr)
  end
  by_command(function(err, result)
    if not err and type(result) == 'table' then
      callback(nil, result, client)
      return
    end
    if not position then
      callback(err and err.message or 'no related articles', nil, client)
      return
    end
    local params = { textDocument = { uri = uri }, position = position }
    client:request('textDocument/definition', params, function(derr, locations)
      if derr then
        callback(derr.message, nil, client)
        return
      end
      locations = locations or {}
      if locations.uri or locations.targetUri then
        locations = { locations }
      end
      local articles = {}
      for _, loc in ipairs(locations) do
        table.insert(articles, {
          uri = loc.uri or loc.targetUri,
          range = loc.range or loc.targetSelectionRange,
        })
      end
      callback(nil, articles, client)
    end, bufnr)
  end)
end

--- `:NewslsRelated`: related articles of the current article in the location list (or the
--- quickfix list with `qf = true`), opened; `on_done(items)` when filled.
---@param opts? { bufnr?: integer, uri?: string, qf?: boolean, open?: boolean, on_done?: fun(items: table[]) }
function M.related(opts)
  opts = opts or {}
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local win = vim.api.nvim_get_current_win()
  M.fetch_related(opts, function(err, articles, client)
    if err or not client then
      vim.notify('newsls: ' .. (err or 'no client'), vim.log.levels.WARN)
      if opts.on_done then
        opts.on_done({})
      end
      return
    end
    local items = M.related_items(client, articles or {})
    local what = { title = 'newsls: related articles of ' .. vim.fs.basename(vim.api.nvim_buf_get_name(bufnr)), items = items }
    if opts.qf then
      vim.fn.setqflist({}, ' ', what)
    else
      vim.fn.setloclist(win, {}, ' ', what)
    end
    if #items == 0 then
      vim.notify('newsls: no related articles found', vim.log.levels.INFO)
    elseif opts.open ~= false then
      vim.cmd(opts.qf and 'botright copen' or 'lopen')
    end
    if opts.on_done then
      opts.on_done(items)
    end
  end)
end

--- `:NewslsRestart`: stops the newsls clients and starts them again on the same buffers.
---@param on_done? fun() called once every client has been started again
function M.restart(on_done)
  local clients = M.clients()
  if #clients == 0 then
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype ~= '' then
        vim.api.nvim_exec_autocmds('FileType', { buffer = bufnr, modeline = false })
      end
    end
    if on_done then
      on_done()
    end
    return
  end
  local pending = #clients
  for _, client in ipairs(clients) do
    local buffers = vim.tbl_keys(client.attached_buffers)
    local config = vim.deepcopy(client.config)
    if M._settings then
      -- Settings given since the start (update_settings) become the new initializationOptions.
      config.init_options = vim.deepcopy(M._settings)
      config.settings = { newsls = vim.deepcopy(M._settings) }
    end
    client:stop()
    local timer = assert(vim.uv.new_timer())
    local waited = 0
    timer:start(
      50,
      50,
      vim.schedule_wrap(function()
        waited = waited + 50
        if not client:is_stopped() and waited < 5000 then
          return
        end
        if not client:is_stopped() then
          client:stop(true)
        end
        timer:stop()
        timer:close()
        for _, bufnr in ipairs(buffers) do
          if vim.api.nvim_buf_is_valid(bufnr) then
            vim.lsp.start(config, { bufnr = bufnr })
          end
        end
        pending = pending - 1
        if pending == 0 then
          vim.notify('newsls: server restarted', vim.log.levels.INFO)
          if on_done then
            on_done()
          end
        end
      end)
    )
  end
end

--- `:NewslsLog`: the LSP log file, where Neovim writes the server's stderr and log messages.
function M.open_log()
  vim.cmd.split(vim.fn.fnameescape(vim.lsp.get_log_path()))
end

--- The server binary (first word of the configured cmd) as an absolute path, if executable.
---@return string? path, string name
function M.binary()
  local cmd = vim.lsp.config[M.name] and vim.lsp.config[M.name].cmd
  local name = type(cmd) == 'table' and cmd[1] or 'newsls'
  local path = vim.fn.exepath(name)
  return path ~= '' and path or nil, name
end

--- `:NewslsExport {format} {out}`: exports the workspace folder of the current buffer with the
--- server command, or with the `newsls export` CLI when the server does not offer it.
---@param format string
---@param out string
---@param on_done? fun(err: string?)
function M.export(format, out, on_done)
  on_done = on_done
    or function(err)
      if err then
        vim.notify('newsls: export failed: ' .. err, vim.log.levels.ERROR)
      else
        vim.notify('newsls: exported ' .. format .. ' to ' .. out, vim.log.levels.INFO)
      end
    end
  if not vim.tbl_contains(M.EXPORT_FORMATS, format) then
    on_done('unknown format ' .. tostring(format) .. ' (' .. table.concat(M.EXPORT_FORMATS, ', ') .. ')')
    return
  end
  out = vim.fs.normalize(vim.fn.fnamemodify(out, ':p'))
  local client = M.client()
  -- The workspace folder holding the current buffer (multi-root), else the client's root.
  local path = vim.fs.normalize(vim.api.nvim_buf_get_name(0))
  local root
  for _, folder in ipairs(client and client.workspace_folders or {}) do
    local dir = vim.fs.normalize(vim.uri_to_fname(folder.uri))
    if (path == dir or vim.startswith(path, dir .. '/')) and (not root or #dir > #root) then
      root = dir
    end
  end
  root = root or (client and client.root_dir) or M.root_dir(vim.api.nvim_get_current_buf())
  local commands = client and client.server_capabilities.executeCommandProvider
  commands = commands and commands.commands or {}
  if client and vim.tbl_contains(commands, M.EXPORT_COMMAND) then
    local arg = { format = format, root = root, out = out }
    client:request('workspace/executeCommand', { command = M.EXPORT_COMMAND, arguments = { arg } }, function(err)
      on_done(err and err.message or nil)
    end)
    return
  end
  local bin = M.binary()
  if not bin then
    on_done('the newsls binary was not found')
    return
  end
  vim.system({ bin, 'export', '--format', format, root, '--out', out }, { text = true }, function(res)
    vim.schedule(function()
      on_done(res.code ~= 0 and ('exit ' .. res.code .. ': ' .. (res.stderr or '')) or nil)
    end)
  end)
end

return M
