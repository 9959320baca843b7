#!/usr/bin/env python3
"""Measures the fact-check diagnostics of `newsls serve` on a large workspace: starts the server
on DIR, opens ARTICLE (one with a figure conflict), times keystrokes (didChange + semantic
tokens delta, p50/p90) and how long after a change of OTHER on disk (didChangeWatchedFiles, as
an editor's save of another article arrives) the open document's diagnostics are published
again. Usage: facts_lsp_bench.py NEWSLS_BINARY DIR ARTICLE OTHER"""
import json, os, subprocess, sys, threading, time, queue, tempfile

binary, root, article, other = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4]
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
        q.put(json.loads(f.read(int(headers["content-length"]))))

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
    return "file://" + os.path.abspath(path)

request("initialize", {"processId": None, "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "ws"}],
        "capabilities": {"window": {"workDoneProgress": True}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t = time.time()
end = wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
print("indexed:", end["params"]["value"].get("message"), "in %.1f s" % (time.time() - t))
text = open(article, encoding="utf-8").read()
ua = uri(article)
t = time.time()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": ua, "languageId": "plaintext", "version": 1, "text": text}}})
d = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == ua
         and m["params"]["diagnostics"])
print("open: %d diagnostics after %.0f ms" % (len(d["params"]["diagnostics"]), (time.time() - t) * 1000))
# Hover on the first flagged figure (the fact checks are cached per document version and
# corpus generation: a hover does not scan the corpus).
first = d["params"]["diagnostics"][0]["range"]["start"]
hov = []
for _ in range(50):
    t = time.time()
    request("textDocument/hover", {"textDocument": {"uri": ua}, "position": first})
    hov.append(time.time() - t)
hov.sort()
print("hover on a flagged figure: p50 %.2f ms, p99 %.2f ms" % (hov[25] * 1000, hov[49] * 1000))
r = request("textDocument/semanticTokens/full", {"textDocument": {"uri": ua}})
prev = r["result"].get("resultId")
# Keystrokes at the end of the last line.
lines = text.split("\n")
line = len(lines) - 1 if lines[-1] else len(lines) - 2
col = len(lines[line])
times = []
for v in range(2, 202):
    t = time.time()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": ua, "version": v},
        "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                      "end": {"line": line, "character": col}}, "text": "x"}]}})
    col += 1
    r = request("textDocument/semanticTokens/full/delta",
                {"textDocument": {"uri": ua}, "previousResultId": prev})
    prev = r["result"].get("resultId", prev)
    times.append(time.time() - t)
times.sort()
print("keystroke: p50 %.2f ms, p90 %.2f ms" % (times[100] * 1000, times[180] * 1000))
time.sleep(1.0)
while not q.empty():
    q.get()
# Another article changes on disk: the open document's diagnostics follow.
orig = open(other, encoding="utf-8").read()
results = []
for k in range(5):
    new = orig.replace("Net", "Net", 1) + ("\n" * (k + 1))
    open(other, "w", encoding="utf-8").write(new)
    t = time.time()
    send({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
          "params": {"changes": [{"uri": uri(other), "type": 2}]}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == ua)
    results.append((time.time() - t) * 1000)
open(other, "w", encoding="utf-8").write(orig)
print("other article changed -> diagnostics of the open document: " + ", ".join("%.0f ms" % x for x in results))
request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
p.wait(timeout=30)
