#!/usr/bin/env bash
# Installs what the MiniLM-vs-ONNX-Runtime test needs: Debian python3-onnx
# and python3-numpy (to build a synthetic BERT graph) and ONNX Runtime's
# shared library, taken from the onnxruntime-node npm tarball (npm pack runs
# no install scripts). Prints the path to export as ONNXRUNTIME_LIB.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=.cache/test-deps
mkdir -p "$dir"
if ! /usr/bin/python3 -c 'import onnx, numpy' 2>/dev/null; then
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-onnx python3-numpy >&2
fi
lib="$dir/libonnxruntime.so.1"
if [ ! -f "$lib" ]; then
	(cd "$dir" && npm pack --silent onnxruntime-node@1.30.0 >/dev/null 2>&1)
	tar -xzf "$dir/onnxruntime-node-1.30.0.tgz" -C "$dir" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
	mv "$dir/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib"
	rm -rf "$dir/package" "$dir/onnxruntime-node-1.30.0.tgz"
fi
echo "$(pwd)/$lib"
