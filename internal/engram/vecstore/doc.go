// Package vecstore is the Engram miner's durable vector store: records keyed
// by (namespace, CID), a write-ahead log that is synced before a write is
// acknowledged, snapshots that compact the log, and per-namespace
// nearest-neighbour indexes.
//
// # Durability
//
// [Store.Put] and [Store.Delete] append to the log (package wal) and return
// only after the log is synced; the log's committer applies each write to
// memory in log order, so replaying the log after a crash rebuilds exactly
// the acknowledged state. A snapshot is taken at a rotation barrier of the
// log: it holds every record of the segments below a segment id and is
// written to a temporary file, synced, renamed and made durable with a
// directory sync before those segments are removed. Recovery loads the
// newest complete snapshot and replays the segments from its id, cutting a
// torn tail off the last one. Files on disk:
//
//	DIR/wal/wal-<id>.log           log segments (format in package wal)
//	DIR/snapshot-<id>.snap         "EGRMSNP1" ‖ put records ‖ end record
//	                               (type 'E', payload u64 count ‖ u64 next seq)
//
// Put and delete payloads are documented on encodePut and encodeDelete.
//
// # Indexes
//
// Each namespace starts with an exact index (package flat). Once it holds
// more than Config.ExactMax vectors an HNSW graph (package hnsw) is created
// and a background indexer moves vectors into it; vectors not yet in the
// graph stay in the exact index and every search merges both, so a write
// is searchable the moment Put returns. A background tuner compares graph
// results with exact ones on sample queries and sets the graph's efSearch
// to the smallest value meeting Config.TargetRecall.
//
// A Store is safe for concurrent use. Searches never wait for a sync.
package vecstore
