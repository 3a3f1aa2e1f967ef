#!/usr/bin/env bash
# Regenerates the DRAIN contract artifacts and Go bindings from the Solidity
# sources: solc-js writes internal/drain/contracts/artifacts, then abigen
# (v2 bindings, go-ethereum v1.17.10) writes internal/drain/contracts/bindings.
# Run by `make contracts`; commit the results.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/contracts/deps.sh
node tools/contracts/compile.js internal/drain/contracts/sol internal/drain/contracts/artifacts
abigen="go run github.com/ethereum/go-ethereum/cmd/abigen@v1.17.10"
for pair in DrainChannel:drainchannel TestUSDC:testusdc; do
	name=${pair%%:*} file=${pair##*:}
	$abigen --v2 --pkg bindings --type "$name" \
		--abi "internal/drain/contracts/artifacts/$name.abi.json" \
		--bin "internal/drain/contracts/artifacts/$name.bin" \
		--out "internal/drain/contracts/bindings/$file.go"
done
