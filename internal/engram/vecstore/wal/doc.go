// Package wal is the vector store's write-ahead log: an append-only sequence
// of segment files of checksummed records, with group commit.
//
// # On-disk format
//
// A log is a directory of segments named wal-<id>.log, where <id> is a
// 16-digit zero-padded decimal that increases by one per segment. Each
// segment starts with an 8-byte header and holds whole records:
//
//	segment:  | magic "EGRMWAL1" (8 bytes) | record | record | ... |
//
//	record:   +-----------+-----------+--------+----------------+
//	          | length    | crc       | type   | payload        |
//	          | u32 LE    | u32 LE    | u8     | length bytes   |
//	          +-----------+-----------+--------+----------------+
//
// length counts the payload only (at most MaxRecord). crc is CRC-32C
// (Castagnoli) over the type byte and the payload. Types are the caller's
// (any byte but 0, which marks zeroed, preallocated space).
//
// # Recovery
//
// [Open] replays every segment in id order. In the last segment, the first
// record that is incomplete, fails its checksum or has type 0 marks a torn
// or damaged tail: the segment is truncated at that record's offset (and
// synced) and appending resumes there. The same damage in an older segment
// cannot come from a crash during append and is reported as a
// *[CorruptError] instead of being skipped.
//
// # Group commit
//
// [WAL.Append] hands records to one committer goroutine, which writes
// everything queued since its last write in one write call, syncs once, and
// then, in log order, runs each request's apply callback and wakes its
// caller. A caller is therefore acknowledged only after its records are
// durable, and callbacks observe the exact log order, which is what makes
// replay reproduce the in-memory state.
//
// A WAL is safe for concurrent use.
package wal
