// Package scanner totals the USDC each provider address claimed from a
// DRAIN channel contract over a rolling block window, by reading the
// contract's ChannelClaimed events over JSON-RPC (drain.md §6.2).
//
// A round ([Scanner.Scan]) reads the head, confirms it (head −
// Confirmations, default 32) and walks the window [max(0, to − WindowBlocks),
// to] (302 400 blocks = 7 days at 43 200 blocks a day) with one eth_getLogs
// per chunk of ChunkSize blocks (default 2000), filtered on the contract
// address and topic0 = keccak256("ChannelClaimed(bytes32,address,uint256)").
//
// Robustness beyond the reference scanner:
//
//   - Each request goes to the endpoints in priority order; a failing one
//     falls over to the next at once, and after a full pass every endpoint
//     is retried after an exponential backoff, up to Attempts passes.
//   - A chunk that no endpoint can read fails the whole round with a
//     [*ChunkError] and leaves the cache untouched: a round never
//     under-counts silently, and the caller keeps its previous scores.
//   - Logs that do not decode, come from another address or lie outside
//     the requested range are treated as a broken endpoint
//     ([ErrMalformedLog]) rather than skipped.
//   - Rounds are incremental: per-log records are cached, only blocks after
//     the last scanned one are requested, plus the last ReorgMargin blocks
//     again, whose records are replaced wholesale (a log that changed in a
//     reorg replaces the old one, a vanished log disappears). Records that
//     fall out of the window are evicted.
//
// # Cache file
//
// With a DataDir, the cache persists as DataDir/claims.json, written
// atomically (temporary file, fsync, rename, fsync of the directory):
//
//	{
//	  "version": 1,
//	  "contract": "0x…",          // records belong to this contract only
//	  "from": 123, "through": 456, // block range the records cover, inclusive
//	  "records": [                // ordered by (block, index)
//	    {"block": 130, "index": 2, "block_hash": "0x…", "tx": "0x…",
//	     "channel": "0x…32 bytes", "provider": "0x…20 bytes", "amount": "1500000"}
//	  ]
//	}
//
// A missing, unreadable or foreign cache file is ignored (logged) and the
// next round rescans the whole window, which is always correct.
//
// A Scanner is safe for concurrent use; rounds are serialised.
package scanner
