#!/usr/bin/env bash
# What the GPU machine runs (docs/architecture.md, "Measuring on a GPU machine"): unpacks the kit
# that scripts/device-kit/pack.sh made, shows the GPU (nvidia-smi, and the WebGPU adapter Dawn
# finds), then `bench train` (dense, conv, conv64: wasm, WebGPU, PyTorch on CUDA) and
# `bench cluster` (the autoencoder trained on the GPU up to a time cap), each under `timeout`,
# all within KIT_SECONDS. Every step's output goes to $OUT/*.log as well as to stdout.
# Knobs (environment): KIT_SECONDS (480), KIT_PARTS ("train cluster"), KIT_CASES (the train cases
# and each one's seconds at most: "dense:40 conv:75 conv64:75"), KIT_CLUSTER_REST (180: the cluster
# bench's seconds besides training its autoencoder), and the benches' own BENCH_* (here
# BENCH_ROWS=20000, and BENCH_TORCH_CPU=0: no PyTorch CPU row, unless set).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=${KIT_DIR:-$root/.device-kit}
out=${OUT:?OUT must name the folder the logs go to}
work=${KIT_WORK:-/tmp/device-kit}
deadline=$((SECONDS + ${KIT_SECONDS:-480}))
left() { echo $((deadline - SECONDS)); }
[ -f "$kit/node.xz" ] || { echo "no kit in $kit: pack it (scripts/device-kit/pack.sh) and carry .device-kit"; exit 2; }
mkdir -p "$out" "$work/fashion-mnist" "$work/vulkan"
# the peers' Python: the first that has PyTorch (BENCH_PYTHON, PATH's, the image's venv, the system's)
for python in ${BENCH_PYTHON:-} "$(command -v python3)" /opt/torch/.venv/bin/python3 /usr/bin/python3; do
  [ -x "$python" ] && "$python" -c 'import torch' 2>/dev/null && break
done
export BENCH_PYTHON=$python

# xz -d to stdout, by Python where there is no xz
unxz() {
  if command -v xz >/dev/null; then xz -dc "$1"; else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  fi
}

setup() {
  date -u
  echo "kit: $kit; unpacked in $work; $(nproc) CPUs"
  unxz "$kit/node.xz" >"$work/node" && chmod +x "$work/node"
  rm -rf "$work/bench" && unxz "$kit/bench.tar.xz" | tar -x -C "$work"
  mkdir -p "$work/bench/dist/linux-x64"
  unxz "$kit/dawn.node.xz" >"$work/bench/dist/linux-x64/dawn.node"
  for file in "$kit"/fashion-mnist/*.xz; do
    unxz "$file" | gzip -1 >"$work/fashion-mnist/$(basename "$file" .xz).gz"
  done
  # the loader beside the process, not in / (LD_LIBRARY_PATH reaches Dawn's dlopen too)
  for deb in "$kit"/debs/*.deb; do dpkg -x "$deb" "$work/vulkan"; done
  echo "node $("$work/node" --version); Python for the peers: $python"
  "$python" -c 'import torch; print("torch", torch.__version__, "CUDA:", torch.cuda.is_available())' 2>&1
  command -v nvidia-smi >/dev/null && nvidia-smi 2>&1 || echo "nvidia-smi: none here"
  ls /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null
  cat /usr/local/nvidia/share/vulkan/icd.d/*.json 2>/dev/null
  echo "setup took $SECONDS s"
}
setup 2>&1 | tee "$out/setup.log"

# the kit's loader and libglvnd first; then the driver's own folders, where its Vulkan library is
libraries=$work/vulkan/usr/lib/x86_64-linux-gnu
for folder in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d $folder ] && libraries=$libraries:$folder
done
export LD_LIBRARY_PATH=$libraries${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f $nvidia_icd ]; then
  export VK_DRIVER_FILES=$nvidia_icd VK_ICD_FILENAMES=$nvidia_icd
fi
export BENCH_FASHION_DIR=$work/fashion-mnist
export BENCH_RESPONSIVE=${BENCH_RESPONSIVE:-0} BENCH_ROWS=${BENCH_ROWS:-20000}
export BENCH_TORCH_CPU=${BENCH_TORCH_CPU:-0}
export BENCH_REFERENCE_RUNS=${BENCH_REFERENCE_RUNS:-0} PYTHONUNBUFFERED=1
bench=("$work/node" "$work/bench/index.js")
# whether `$1` seconds are worth a bench (`timeout 0` would not stop it at all), else says so
worth() {
  [ "$1" -ge 10 ] || { echo "== no time left for $2" | tee -a "$out/$3.log"; false; }
}
# after a bench: says so in its log when `timeout` stopped it (status 124, or 137 once killed)
stopped() {
  case $1 in 124 | 137) echo "  (stopped at $2 s)" | tee -a "$out/$3.log" ;; esac
}

# the adapter; without one (or with a software one), again with the Vulkan loader's own account
timeout 60 "${bench[@]}" adapter 2>&1 | tee "$out/adapter.log"
if grep -q "no adapter\|software (fallback) adapter: yes" "$out/adapter.log"; then
  VK_LOADER_DEBUG=error,warn,driver timeout 60 "${bench[@]}" adapter 2>&1 |
    tail -80 | tee -a "$out/adapter.log"
fi

for part in ${KIT_PARTS:-train cluster}; do
  case $part in
  train)
    for case in ${KIT_CASES:-dense:40 conv:75 conv64:75}; do
      kind=${case%:*} seconds=$(($(left) < ${case#*:} ? $(left) : ${case#*:}))
      worth "$seconds" "bench train, $kind" train || continue
      echo "== bench train, $kind, at most $seconds s" | tee -a "$out/train.log"
      BENCH_KINDS=$kind timeout -k 5 "$seconds" "${bench[@]}" train 2>&1 |
        tee -a "$out/train.log"
      stopped "${PIPESTATUS[0]}" "$seconds" train
    done
    ;;
  cluster)
    seconds=$(($(left) - 5))
    worth "$seconds" "bench cluster" cluster || continue
    export BENCH_AE_SECONDS=${BENCH_AE_SECONDS:-$((seconds - ${KIT_CLUSTER_REST:-180}))}
    echo "== bench cluster, at most $seconds s, the autoencoder's training at most $BENCH_AE_SECONDS s" |
      tee "$out/cluster.log"
    timeout -k 5 "$seconds" "${bench[@]}" cluster 2>&1 | tee -a "$out/cluster.log"
    stopped "${PIPESTATUS[0]}" "$seconds" cluster
    ;;
  esac
done

echo "== summary ($SECONDS s in all)" | tee "$out/summary.log"
grep -h "adapter:\|backend auto\|^  studio (\|^  PyTorch\|speed ratio\|webgpu / \|did not run\|stopped at\|reached epoch\|(ours)\|ours, [0-9]* epochs\|^  Fashion-MNIST \|^  digits \|goal: \|sklearn / ours" \
  $(ls "$out"/{adapter,train,cluster}.log 2>/dev/null) | tee -a "$out/summary.log"
# the parts that did not run leave no log, which is not a failure of the kit
exit 0
