#!/usr/bin/env bash
# Usage: say.sh SCENARIO_ID SEED SCRIPT_FILE
# Plays the script (one rep line per line) against the buyer and prints only the conversation
# (the buyer's lines and yours), then whether it has ended. No scores, no states.
set -u
if ! grep -q '[^[:space:]]' "$3" 2>/dev/null; then
  # An empty script: show only the buyer's opening line.
  tmp=$(mktemp); echo "hello" > "$tmp"
  /work/venv-main/bin/shadowbox play "$1" --script "$tmp" --seed "$2" --json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("BUYER: " + d["turns"][0]["text"]); print("--- (your turn) ---")'
  rm -f "$tmp"; exit 0
fi
out=$(/work/venv-main/bin/shadowbox play "$1" --script "$3" --seed "$2" --json 2>&1) || { echo "error: $out" | head -3; exit 1; }
python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for t in d["turns"]:
    who = "BUYER" if t["speaker"] == "buyer" else "YOU"
    print(f"{who}: {t['text']}")
st = d["outcome"]["status"]
print("--- the conversation has ENDED ---" if st != "unfinished" else "--- (your turn) ---")
if d.get("unused_lines"):
    print(f"({len(d['unused_lines'])} line(s) of your script came after the end and were not used)")
PY
