// Package replica decides which miners hold a CID: the deterministic
// assignment that the validator (seeding ground truth), miners (pushing
// replicas) and the SDK (writing to REPLICATION_FACTOR miners) all share,
// so they agree without talking.
//
// Distances follow engram.md §13: a node's id is SHA-256 of its hotkey's
// SS58 string, a CID's key is SHA-256 of the ASCII of its 64-hex part, and
// distance is their XOR read as a big-endian integer. The package is pure
// and safe for concurrent use.
package replica

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"strings"
)

// Factor is REPLICATION_FACTOR: how many miners hold each CID.
const Factor = 3

// NodeID returns the DHT id of a hotkey given as its SS58 address.
func NodeID(hotkeySS58 string) [32]byte { return sha256.Sum256([]byte(hotkeySS58)) }

// Key returns the DHT key of a CID ("v1::<hex>"; a bare hex hash works too).
func Key(cid string) [32]byte {
	_, h, ok := strings.Cut(cid, "::")
	if !ok {
		h = cid
	}
	return sha256.Sum256([]byte(h))
}

// Distance returns a XOR b.
func Distance(a, b [32]byte) [32]byte {
	var d [32]byte
	for i := range d {
		d[i] = a[i] ^ b[i]
	}
	return d
}

// Assign returns the indexes into hotkeys (SS58 addresses) of the n nodes
// closest to cid, closest first. Ties (equal hotkeys) keep input order.
// It returns fewer than n when there are fewer hotkeys.
func Assign(cid string, hotkeys []string, n int) []int {
	key := Key(cid)
	type cand struct {
		i int
		d [32]byte
	}
	cs := make([]cand, len(hotkeys))
	for i, hk := range hotkeys {
		cs[i] = cand{i, Distance(NodeID(hk), key)}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return bytes.Compare(a.d[:], b.d[:]) })
	out := make([]int, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.i)
	}
	return out
}
