#!/usr/bin/env bash
# Side-by-side ANN benchmark: our HNSW and exact scan against hnswlib and
# faiss on the same 100k x 384 clustered unit vectors and 2,000 queries,
# single thread. Usage: bench/ann.sh [n] [queries]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
q=${2:-2000}
out=bench/out
if ! /usr/bin/python3 -c 'import hnswlib, faiss' 2>/dev/null; then
	echo "ann.sh: installing python3-hnswlib and python3-faiss" >&2
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-hnswlib python3-faiss python3-numpy >/dev/null
fi
mkdir -p "$out"
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores" >&2
{
	printf 'engine\tef\trecall@10\tq/s\tbuild v/s\n'
	go run ./bench/annbench -n "$n" -queries "$q" -out "$out"
	/usr/bin/python3 bench/anchors.py "$out"
} | column -t -s $'\t'
