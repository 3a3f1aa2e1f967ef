#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Go:
# Go modules, Debian packages and npm packages (into .cache/test-deps, never
# globally). Safe to run repeatedly; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "test-deps: go modules"
go mod download

apt_pkgs=()
need_apt() { dpkg -s "$1" >/dev/null 2>&1 || apt_pkgs+=("$1"); }
# (packages are added here as tests come to need them)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
	echo "test-deps: apt-get install ${apt_pkgs[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
fi
echo "test-deps: ONNX Runtime and python3-onnx for the MiniLM check"
tools/deps/minilm.sh >/dev/null
echo "test-deps: solc-js and anvil (npm) for the DRAIN contracts"
tools/contracts/deps.sh
echo "test-deps: ok"
