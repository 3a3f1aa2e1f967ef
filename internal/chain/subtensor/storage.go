package subtensor

import (
	"encoding/binary"
	"fmt"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/crypto/blake2b"
)

// twox appends the n-byte xxHash64 digest of b (n/8 rounds with seeds 0, 1,
// ...), as Substrate's twox_64/128/256 compute it.
func twox(dst, b []byte, n int) []byte {
	for seed := range uint64(n / 8) {
		h := xxhash.NewWithSeed(seed)
		_, _ = h.Write(b)
		dst = binary.LittleEndian.AppendUint64(dst, h.Sum64())
	}
	return dst
}

func blake2(dst, b []byte, size int) []byte {
	h, err := blake2b.New(size, nil)
	if err != nil {
		panic(err) // sizes are constants 16 and 32
	}
	_, _ = h.Write(b)
	return h.Sum(dst)
}

// hashKey appends one hashed storage key part.
func hashKey(dst []byte, h Hasher, key []byte) []byte {
	switch h {
	case HasherBlake2_128:
		return blake2(dst, key, 16)
	case HasherBlake2_256:
		return blake2(dst, key, 32)
	case HasherBlake2_128Concat:
		return append(blake2(dst, key, 16), key...)
	case HasherTwox128:
		return twox(dst, key, 16)
	case HasherTwox256:
		return twox(dst, key, 32)
	case HasherTwox64Concat:
		return append(twox(dst, key, 8), key...)
	default: // HasherIdentity
		return append(dst, key...)
	}
}

// StorageKey builds the raw key of pallet.item for the given SCALE-encoded
// map keys, using the hashers the metadata declares.
func (m *Metadata) StorageKey(pallet, item string, keys ...[]byte) ([]byte, *StorageEntry, error) {
	p, ok := m.Pallet(pallet)
	if !ok || p.Storage == nil {
		return nil, nil, fmt.Errorf("subtensor: runtime has no storage for pallet %s", pallet)
	}
	e, ok := p.Storage[item]
	if !ok {
		return nil, nil, fmt.Errorf("subtensor: runtime has no storage item %s.%s", pallet, item)
	}
	if len(keys) != len(e.Hashers) {
		return nil, nil, fmt.Errorf("subtensor: storage %s.%s takes %d keys, got %d", pallet, item, len(e.Hashers), len(keys))
	}
	out := twox(nil, []byte(p.StoragePrefix), 16)
	out = twox(out, []byte(item), 16)
	for i, k := range keys {
		out = hashKey(out, e.Hashers[i], k)
	}
	return out, &e, nil
}
