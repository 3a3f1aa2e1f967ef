#!/usr/bin/env bash
# Installs the EVM tools the contract build and tests use, into
# .cache/test-deps/evm (never globally): solc-js (the Solidity compiler) and
# anvil (a local EVM node, the binary shipped inside the npm package; its
# wrapper's install script is not needed). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=.cache/test-deps/evm
solc_version=0.8.37
anvil_version=1.7.1
have() { [ -f "$dir/node_modules/$1/package.json" ] && grep -q "\"version\": \"$2\"" "$dir/node_modules/$1/package.json"; }
if have solc "$solc_version" && have @foundry-rs/anvil-linux-amd64 "$anvil_version"; then
	exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --silent \
	"solc@$solc_version" "@foundry-rs/anvil-linux-amd64@$anvil_version" >&2
chmod +x "$dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
