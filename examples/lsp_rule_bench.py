#!/usr/bin/env python3
"""Measures how long one annotation rule takes to show in open editors with a large workspace:
starts `newsls serve`, indexes DIR, opens two articles, runs `newsls.annotate.setKind` /
`notEntity` through workspace/executeCommand and times the command and the semantic tokens
that follow. Usage: lsp_rule_bench.py NEWSLS_BINARY DIR"""
import json, os, subprocess, sys, threading, time, queue, glob, tempfile

binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
cache = tempfile.mkdtemp()
p = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     env={**os.environ, "NEWSLS_CACHE_DIR": cache})
q = queue.Queue()

def reader():
    f = p.stdout
    while True:
        headers = {}
        while True:
            line = f.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            k, v = line.decode().split(":", 1)
            headers[k.lower()] = v.strip()
        body = f.read(int(headers["content-length"]))
        q.put(json.loads(body))

threading.Thread(target=reader, daemon=True).start()
nid = [0]

def send(msg):
    b = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()

def wait(pred):
    while True:
        m = q.get(timeout=600)
        if "method" in m and "id" in m:
            send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            continue
        if pred(m):
            return m

def request(method, params):
    nid[0] += 1
    i = nid[0]
    send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
    return wait(lambda m: m.get("id") == i and "method" not in m)

def uri(path):
    return "file://" + path

request("initialize", {"processId": None, "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "ws"}],
        "capabilities": {"window": {"workDoneProgress": True},
                         "workspace": {"semanticTokens": {"refreshSupport": True}}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t = time.time()
end = wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
print("indexed:", end["params"]["value"].get("message"), "in %.1f s" % (time.time() - t))
files = sorted(glob.glob(os.path.join(root, "*.txt")))
opened = []
for f in files:
    text = open(f, encoding="utf-8").read()
    if "Japan" in text and "Tokyo" in text and len(opened) < 2:
        opened.append((f, text))
for f, text in opened:
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri(f), "languageId": "plaintext", "version": 1, "text": text}}})
    request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri(f)}})

def pos(text, at):
    before = text[:at]
    line = before.count("\n")
    col = len(before[before.rfind("\n") + 1:].encode("utf-16-le")) // 2
    return {"line": line, "character": col}

f, text = opened[0]
for word, command, extra in [("Tokyo", "newsls.annotate.notEntity", {}),
                             ("Japan", "newsls.annotate.setKind", {"kind": "organization"}),
                             ("Japan", "newsls.annotate.setKind", {"kind": "place"})]:
    at = text.index(word)
    arg = {"uri": uri(f), "range": {"start": pos(text, at), "end": pos(text, at + len(word))}, **extra}
    t = time.time()
    nid[0] += 1
    cmd_id = nid[0]
    send({"jsonrpc": "2.0", "id": cmd_id, "method": "workspace/executeCommand",
          "params": {"command": command, "arguments": [arg]}})
    res, refreshed = None, None
    while refreshed is None:
        m = q.get(timeout=600)
        if m.get("method") == "workspace/semanticTokens/refresh":
            send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            refreshed = time.time() - t
        elif "method" in m and "id" in m:
            send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        elif m.get("id") == cmd_id:
            res = m
    # What an editor does on the refresh: re-request the tokens of its open documents.
    toks = []
    for g, gtext in opened:
        r = request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri(g)}})
        toks.append(len(r["result"]["data"]) // 5)
    t_editors = time.time() - t
    if res is None:
        res = wait(lambda m: m.get("id") == cmd_id and "method" not in m)
    t_cmd = time.time() - t
    r = res.get("result") or {}
    print(f"{command} {word} {extra}: both open editors re-tokenised {t_editors*1000:.0f} ms after the "
          f"command (refresh request at {refreshed*1000:.0f} ms); corpus done, command answered at "
          f"{t_cmd*1000:.0f} ms ({r.get('reindexed')} of {r.get('scanned')} articles re-indexed, "
          f"{r.get('ms', 0):.0f} ms in the server)")
request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
p.wait(timeout=30)
os.remove(os.path.join(root, ".newsls/annotations.toml"))
