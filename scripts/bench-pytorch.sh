#!/usr/bin/env bash
# `lethe bench train` beside the same recipes in PyTorch (Debian's python3-torch, on the same OpenBLAS),
# run back to back on this machine. Prints one JSON object: {"lethe": ..., "pytorch": ..., "speedup": ...}.
# The data folder is found as Lethe finds it: $LETHE_DATA, ./data, then ../shared/data.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
need_package python3-torch /usr/bin/python3 -c 'import torch'
cd "$repo"

data=""
for root in "${LETHE_DATA:-}" data ../shared/data; do
  if [ -n "$root" ] && [ -d "$root/mnist" ]; then data="$root"; break; fi
done
[ -n "$data" ] || { echo "bench-pytorch: no mnist folder in \$LETHE_DATA, ./data or ../shared/data" >&2; exit 1; }

lethe_json="$(dotnet "$repo/src/Silo/bin/Release/net10.0/lethe.dll" bench train --json --data "$data")"
# Passive OpenMP waiting was PyTorch's fastest setting here: spinning OpenMP threads starve OpenBLAS's.
pytorch_json="$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$repo/scripts/pytorch_train_bench.py" "$data" "$(nproc)")"

/usr/bin/python3 - "$lethe_json" "$pytorch_json" <<'PY'
import json, sys
lethe, pytorch = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def key(r): return f"{r['optimiser']}_{r['batch_size']}"
theirs = {key(r): r for r in pytorch["batches"]}
speedup = {key(r): r["samples_per_second"] / theirs[key(r)]["samples_per_second"] for r in lethe["batches"] if key(r) in theirs}
print(json.dumps({"lethe": lethe, "pytorch": pytorch, "speedup": speedup}, indent=2))
PY
