// Package ledgerhttp is the shell around the pure [ledger.Ledger]: it makes
// the ledger durable in a data directory and serves it over HTTP so that
// miners, validators and the aggregator in separate processes share one
// ledger.
//
// # Data directory
//
//	genesis.json   ledger.Genesis, written once when the directory is created
//	snapshot.json  {"seq": N, "state": <ledger.Snapshot>}: the state after op N
//	ops.jsonl      one accepted op per line: {"seq": N, "op": <ledger.Op>}\n
//
// Only accepted operations are logged; sequence numbers count from 1 and
// grow by one per line. Open restores the snapshot (or starts from genesis),
// replays the log lines with seq above the snapshot's, and truncates a torn
// final line (one without its newline, or one that does not decode). A bad
// line before the last one is corruption and fails Open with *CorruptError.
// Compaction writes snapshot.json through a temporary file, fsync and
// rename, then empties the log; a crash between the two leaves lines that
// replay skips by their seq.
//
// # Order of effects
//
// [Store.Apply] applies an operation to the in-memory ledger (a rejection
// changes nothing and is returned as is), appends the op to the log and
// fsyncs it, and only then returns: persist, then acknowledge. If the append
// fails the in-memory state is ahead of the disk, so the store refuses every
// later operation until it is reopened from disk.
//
// # HTTP
//
//	POST /v1/ops/{type}      ledger.Op (type from the path; now_ms stamped by the server)
//	                         → 200 ledger.Result, or 4xx {"error", "code", "name", "detail"}
//	GET  /v1/state           the ledger snapshot (JSON)
//	GET  /v1/events?since=N  []ledger.Event with seq ≥ N
//	GET  /v1/clock           {"now_ms", "window", "started"}
//
// The handler trusts the sender field: it is meant for a local multi-process
// network, not for an open port. [Client] speaks this API and turns rejection
// bodies back into *ledger.RejectError values that match the ledger's
// sentinels under errors.Is. Store, Handler and Client are safe for
// concurrent use.
package ledgerhttp
