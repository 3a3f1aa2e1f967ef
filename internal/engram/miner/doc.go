// Package miner is the Engram miner's HTTP service: the IngestSynapse,
// QuerySynapse and ChallengeSynapse endpoints, record retrieval and
// deletion, health, stats and Prometheus metrics, over a durable vector
// store and an embedder.
//
// Request handling follows engram.md §5: a body over the size limit is a
// 413, a body that is not a JSON object a 400, a bad or missing request
// signature (when required) a 401, a refused caller a 403, a rate-limited
// caller a 429; every validation problem is a business error answered with
// HTTP 200 and the message in "error". A 500 means the miner itself failed
// (its cause is logged, the client sees "internal error"). An ingest is
// acknowledged only after the store has synced it.
//
// Texts are embedded by a batcher goroutine that groups concurrent requests
// into one Embed call, outside every store lock. A Miner is safe for
// concurrent use; Close stops its goroutines.
package miner
