--- `:checkhealth newsls`: Neovim version, binary found, its version, server running, workspace
--- indexed, highlight links in place.

local M = {}

function M.check()
  local health = vim.health
  local newsls = require('newsls')

  health.start('newsls: editor')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim 0.11 or newer is required, found ' .. tostring(vim.version()))
  end
  if vim.lsp.is_enabled and vim.lsp.is_enabled(newsls.name) then
    health.ok("vim.lsp.enable('newsls') is active")
  else
    health.warn('newsls is not enabled', { "call require('newsls').setup{} or vim.lsp.enable('newsls')" })
  end

  health.start('newsls: server binary')
  local path, name = newsls.binary()
  if not path then
    health.error(('server binary %q not found'):format(name), {
      'build it with `cargo build --release` and put target/release/newsls on PATH',
      "or set the command: require('newsls').setup{ cmd = { '/path/to/newsls', 'serve' } }",
    })
  else
    health.ok('binary: ' .. path)
    local ok, res = pcall(function()
      return vim.system({ path, '--version' }, { text = true }):wait(5000)
    end)
    if ok and res.code == 0 then
      health.ok('version: ' .. vim.trim(res.stdout or ''))
    else
      health.warn('`' .. path .. ' --version` failed: ' .. (ok and (res.stderr or ('exit ' .. res.code)) or tostring(res)))
    end
  end

  health.start('newsls: server')
  local clients = newsls.clients()
  if #clients == 0 then
    health.warn('no newsls server is running', { 'open a .txt or .md article in a workspace' })
  end
  for _, client in ipairs(clients) do
    local info = client.server_info or {}
    health.ok(
      ('running: client %d, %s %s, root %s, position encoding %s, %d buffer(s)'):format(
        client.id,
        info.name or 'newsls',
        info.version or '',
        client.root_dir or '(none)',
        client.offset_encoding,
        vim.tbl_count(client.attached_buffers)
      )
    )
    local state = newsls._state[client.id] or {}
    if state.indexing then
      health.info('workspace indexing: ' .. state.indexing)
    elseif state.indexed then
      health.ok('workspace indexed')
    else
      health.warn('no indexing progress received yet (the server reports it with $/progress)')
    end
  end

  health.start('newsls: highlights')
  for _, group in ipairs({ '@lsp.type.organization', '@lsp.type.place', '@lsp.type.figure', '@lsp.type.person' }) do
    local hl = vim.api.nvim_get_hl(0, { name = group, link = false })
    if next(hl) then
      health.ok(group .. ' is highlighted')
    else
      health.warn(group .. ' has no highlight', { 'run require("newsls").set_highlights()' })
    end
  end
end

return M
