-- Drives a real (tmux) Neovim for the README screenshots: editors/screenshots.sh starts
--   nvim --clean --cmd 'set rtp^=editors/nvim' -c 'luafile editors/nvim/test/screenshot.lua'
-- with NEWSLS_BIN, NEWSLS_SHOT_FILE (article), NEWSLS_SHOT (colours|hover|related) and
-- NEWSLS_SHOT_READY (a file written once the screen shows what the shot is about).

local file = assert(os.getenv('NEWSLS_SHOT_FILE'))
local shot = os.getenv('NEWSLS_SHOT') or 'colours'
local ready = assert(os.getenv('NEWSLS_SHOT_READY'))

vim.o.termguicolors = true
vim.o.swapfile = false
vim.o.number = true
vim.o.wrap = true
vim.o.linebreak = true
vim.o.laststatus = 2
vim.o.showmode = false
vim.o.statusline = " %f %= %{v:lua.require'newsls'.status()}  %l:%c "
vim.cmd('filetype on')
vim.cmd.runtime('plugin/newsls.lua')
local newsls = require('newsls')
newsls.setup({ cmd = { assert(os.getenv('NEWSLS_BIN')), 'serve' } })
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()

local function find(needle)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return row, col - 1
    end
  end
end

local function done()
  vim.cmd('redraw!')
  vim.fn.writefile({ 'ready' }, ready)
end

local function when(cond, fn, tries)
  tries = tries or 300
  if cond() then
    fn()
  elseif tries > 0 then
    vim.defer_fn(function()
      when(cond, fn, tries - 1)
    end, 50)
  end
end

local row, col = find('Renault Korea Motors (RKM)')
local busan = select(2, vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]:find('Busan', 1, true))
vim.api.nvim_win_set_cursor(0, { row, 0 })
vim.cmd('normal! zt')
vim.cmd('normal! 2k')
vim.cmd('normal! zt')
vim.api.nvim_win_set_cursor(0, { row, col })

local function tokens_ready()
  local person_row, person_col = find('Stephane Deblaise')
  return vim.b[buf].newsls_counts ~= nil
    and #vim.lsp.semantic_tokens.get_at_pos(buf, person_row - 1, person_col) > 0
end

when(tokens_ready, function()
  if shot == 'hover' then
    vim.api.nvim_win_set_cursor(0, { row, busan - 1 })
    vim.lsp.buf.hover({ border = 'rounded', max_width = 90, max_height = 12 })
    when(function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= '' then
          return true
        end
      end
      return false
    end, done)
  elseif shot == 'related' then
    vim.api.nvim_win_set_cursor(0, { row, busan - 1 })
    newsls.related({
      on_done = function()
        vim.cmd('wincmd p')
        done()
      end,
    })
  else
    done()
  end
end)
