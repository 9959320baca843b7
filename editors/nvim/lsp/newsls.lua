-- newsls client config for Neovim 0.11+ (`vim.lsp.enable('newsls')`, or nvim-lspconfig style).
-- Root: the nearest folder with a `.newsls` folder, else with `.git`, else the file's folder
-- (so that the server always indexes a corpus folder, never just one file).
-- `require('newsls').setup{}` merges user options over this file through `vim.lsp.config`.

---@type vim.lsp.Config
return {
  cmd = { 'newsls', 'serve' },
  filetypes = { 'text', 'markdown' },
  root_dir = function(bufnr, on_dir)
    on_dir(require('newsls').root_dir(bufnr))
  end,
  init_options = require('newsls').default_settings(),
  settings = { newsls = require('newsls').default_settings() },
  on_init = function(client, _)
    require('newsls').on_init(client)
  end,
}
