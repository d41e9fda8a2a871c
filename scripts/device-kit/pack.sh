#!/usr/bin/env bash
# Packs .device-kit/ (git-ignored): all that scripts/device-kit/run.sh needs on a GPU machine that
# has Python and PyTorch but no Node, no node_modules and no network (docs/architecture.md,
# "Measuring on a GPU machine"). It travels as the one carried path of the device `run` call,
# which takes the working tree and the carried paths up to 64 MiB in all: this fails over 60.
#   .device-kit/node.xz            this machine's Node, stripped
#   .device-kit/dawn.node.xz       the webgpu package's linux-x64 Dawn
#   .device-kit/bench.tar.xz       bench/: test/bench/index.ts and the worker threads bundled by
#                                  esbuild (tfjs and all in), tfjs-backend-wasm's .wasm files
#                                  beside them (where it looks: its own folder), the Python peers
#   .device-kit/fashion-mnist/     the four Fashion-MNIST IDX files, xz
#   .device-kit/debs/              the Vulkan loader and libglvnd, as .deb files
# Usage: scripts/device-kit/pack.sh (about 4 minutes the first time). Big files are recompressed only
# when their source is newer.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=$root/.device-kit
fashion=${BENCH_FASHION_DIR:-/usr/share/datasets/fashion-mnist}
node_bin=${KIT_NODE:-/usr/bin/node}
dawn=$root/node_modules/webgpu/dist/linux-x64/dawn.node
limit_mib=${KIT_LIMIT_MIB:-60}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$kit/fashion-mnist" "$kit/debs"
cd "$root"

# xz -9e of `$1` (a file, or what command `$3` writes from it) into `$2`, unless `$2` is newer
squeeze() {
  [ "$2" -nt "$1" ] && return
  echo "compressing $1"
  ${3:-cat} "$1" | xz -9e -T1 >"$2.part" && mv "$2.part" "$2"
}

# 1. The benches. A worker thread's script is found beside the bundle that starts it (<name>-worker.js,
# main/core/layout.ts); the bundles are ES modules (package.json), given `require`, `__dirname`
# and `__filename` for the CommonJS inside them (tfjs-backend-wasm finds its .wasm by __dirname,
# webgpu its dawn.node at dist/linux-x64/ beside the bundle). tfjs-node is left out: `auto` then
# takes wasm.
entries=(index=test/bench/index.ts)
for worker in clustering/kmeans clustering/n2d projection/knn training/train; do
  entries+=("$(basename $worker)-worker=main/core/$worker.worker.ts")
done
node_modules/.bin/esbuild "${entries[@]}" --bundle --platform=node --format=esm \
  --target=node20 --outdir="$stage/bench" --log-level=warning \
  --external:@tensorflow/tfjs-node \
  --define:__dirname=import.meta.dirname --define:__filename=import.meta.filename \
  --banner:js="import { createRequire as kitRequire } from 'node:module'; const require = kitRequire(import.meta.url);"
echo '{ "type": "module" }' >"$stage/bench/package.json"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm test/bench/*.py "$stage/bench/"
tar -C "$stage" -cf - bench | xz -9 -T1 >"$kit/bench.tar.xz"

# 2. Node (its debug symbols stripped: 13 MB less) and Dawn
strip -o "$stage/node" "$node_bin"
touch -r "$node_bin" "$stage/node"
squeeze "$stage/node" "$kit/node.xz"
squeeze "$dawn" "$kit/dawn.node.xz"

# 3. Fashion-MNIST: gzip to xz (run.sh makes the .gz files the benches read again)
for file in "$fashion"/*-ubyte.gz; do
  squeeze "$file" "$kit/fashion-mnist/$(basename "$file" .gz).xz" "gunzip -c"
done

# 4. The Vulkan loader Dawn loads, and libglvnd, which NVIDIA's Vulkan driver needs
packages=(libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0)
if [ "$(ls "$kit/debs" | wc -l)" -lt ${#packages[@]} ]; then
  (cd "$kit/debs" && apt-get download -q "${packages[@]}" >/dev/null 2>&1) ||
    { echo "apt-get download failed: run apt-get update, then pack again"; exit 1; }
fi

# 5. Sizes: the kit, and all that travels with it (tracked and untracked-not-ignored files)
du -b "$kit"/*.xz "$kit"/fashion-mnist "$kit"/debs
kit_bytes=$(du -sb "$kit" | cut -f1)
tree_bytes=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
mib() { echo "$(($1 / 1048576)).$(($1 % 1048576 * 10 / 1048576))"; }
total=$((kit_bytes + tree_bytes))
echo "kit $(mib "$kit_bytes") MiB + working tree $(mib "$tree_bytes") MiB = $(mib $total) MiB (limit $limit_mib)"
if [ $total -gt $((limit_mib * 1048576)) ]; then
  echo "too big for the device call: the kit and the tree must stay under $limit_mib MiB"
  exit 1
fi
