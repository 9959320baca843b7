-- newsls plugin entry: default highlight links, user commands, progress/counts tracking.
-- Loads nothing heavy at startup; the client starts with `require('newsls').setup{}` or
-- `vim.lsp.enable('newsls')` (config in lsp/newsls.lua).

if vim.g.loaded_newsls then
  return
end
vim.g.loaded_newsls = true

if vim.fn.has('nvim-0.11') == 0 then
  vim.notify_once('newsls needs Neovim 0.11 or newer', vim.log.levels.WARN)
  return
end

local group = vim.api.nvim_create_augroup('newsls', { clear = true })

require('newsls').set_highlights()
vim.api.nvim_create_autocmd('ColorScheme', {
  group = group,
  callback = function()
    require('newsls').set_highlights()
  end,
})

vim.api.nvim_create_autocmd('LspProgress', {
  group = group,
  callback = function(ev)
    require('newsls')._on_progress(ev)
  end,
})

-- Counts and code lenses of attached articles, refreshed when they change.
vim.api.nvim_create_autocmd('LspAttach', {
  group = group,
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if not client or client.name ~= 'newsls' then
      return
    end
    local newsls = require('newsls')
    local bufnr = ev.buf
    newsls.refresh_counts(bufnr)
    local function refresh_lenses()
      if newsls._codelens ~= false and client:supports_method('textDocument/codeLens') then
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end
    end
    refresh_lenses()
    local buf_group = vim.api.nvim_create_augroup('newsls.buf.' .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
      group = buf_group,
      buffer = bufnr,
      callback = function()
        if #newsls.clients({ bufnr = bufnr }) == 0 then
          return true
        end
        newsls.refresh_counts(bufnr)
        refresh_lenses()
      end,
    })
  end,
})

vim.lsp.commands['newsls.showRelatedArticles'] = function(command, ctx)
  local uri = command.arguments and command.arguments[1]
  require('newsls').related({ bufnr = ctx.bufnr, uri = type(uri) == 'string' and uri or nil, position = false })
end

vim.api.nvim_create_user_command('NewslsRelated', function(cmd)
  require('newsls').related({ qf = cmd.bang })
end, { desc = 'newsls: related articles in the location list (! = quickfix list)', bang = true })

vim.api.nvim_create_user_command('NewslsRestart', function()
  require('newsls').restart()
end, { desc = 'newsls: restart the language server' })

vim.api.nvim_create_user_command('NewslsLog', function()
  require('newsls').open_log()
end, { desc = 'newsls: open the LSP log (server stderr and messages)' })

vim.api.nvim_create_user_command('NewslsExport', function(cmd)
  require('newsls').export(cmd.fargs[1], cmd.fargs[2])
end, {
  desc = 'newsls: export the workspace (:NewslsExport jsonl|brat|conll|webanno OUT)',
  nargs = '+',
  complete = function(_, line)
    if #vim.split(line, '%s+') <= 2 then
      return require('newsls').EXPORT_FORMATS
    end
    return vim.fn.getcompletion(vim.split(line, '%s+')[3] or '', 'file')
  end,
})
