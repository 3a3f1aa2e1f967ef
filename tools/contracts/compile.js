#!/usr/bin/env node
// Compiles the Solidity sources in SRC_DIR with solc-js and writes, per
// contract, NAME.abi.json (the ABI, two-space indented) and NAME.bin (the
// creation bytecode in hex, no 0x, no newline) to OUT_DIR. The output
// depends only on the sources and the pinned compiler and settings below.
//
// usage: node tools/contracts/compile.js [SRC_DIR [OUT_DIR]]
// SOLC_JS names the solc package directory (default
// .cache/test-deps/evm/node_modules/solc under the repository root).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const src = path.resolve(process.argv[2] || path.join(root, 'internal/drain/contracts/sol'));
const out = path.resolve(process.argv[3] || path.join(root, 'internal/drain/contracts/artifacts'));
const solcDir = process.env.SOLC_JS || path.join(root, '.cache/test-deps/evm/node_modules/solc');
const wantVersion = '0.8.37';

const solc = require(solcDir);
const version = solc.version();
if (!version.startsWith(wantVersion + '+')) {
  console.error(`compile.js: solc ${version}, want ${wantVersion}`);
  process.exit(1);
}

const sources = {};
for (const f of fs.readdirSync(src).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(src, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

fs.mkdirSync(out, { recursive: true });
for (const file of Object.keys(output.contracts).sort()) {
  for (const name of Object.keys(output.contracts[file]).sort()) {
    const c = output.contracts[file][name];
    if (!c.evm.bytecode.object) continue; // interfaces
    fs.writeFileSync(path.join(out, name + '.abi.json'), JSON.stringify(c.abi, null, 2) + '\n');
    fs.writeFileSync(path.join(out, name + '.bin'), c.evm.bytecode.object);
  }
}
