package scanner

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/vfs"
)

// cacheFile is the name of the cache inside DataDir.
const cacheFile = "claims.json"

const cacheVersion = 1

// cache holds the records of the blocks [from, through] once valid.
type cache struct {
	valid         bool
	from, through uint64
	records       []Claim // ordered by (Block, Index)
}

type diskRecord struct {
	Block     uint64         `json:"block"`
	Index     uint           `json:"index"`
	BlockHash common.Hash    `json:"block_hash"`
	TxHash    common.Hash    `json:"tx"`
	Channel   common.Hash    `json:"channel"`
	Provider  common.Address `json:"provider"`
	Amount    string         `json:"amount"`
}

type diskCache struct {
	Version  int            `json:"version"`
	Contract common.Address `json:"contract"`
	From     uint64         `json:"from"`
	Through  uint64         `json:"through"`
	Records  []diskRecord   `json:"records"`
}

func sortClaims(cs []Claim) {
	slices.SortFunc(cs, func(a, b Claim) int {
		if c := cmp.Compare(a.Block, b.Block); c != 0 {
			return c
		}
		return cmp.Compare(a.Index, b.Index)
	})
}

// encodeCache renders c for contract as the documented JSON file.
func encodeCache(c *cache, contract common.Address) ([]byte, error) {
	d := diskCache{Version: cacheVersion, Contract: contract, From: c.from, Through: c.through, Records: make([]diskRecord, len(c.records))}
	for i, r := range c.records {
		d.Records[i] = diskRecord{Block: r.Block, Index: r.Index, BlockHash: r.BlockHash, TxHash: r.TxHash,
			Channel: r.Channel, Provider: r.Provider, Amount: r.Amount.String()}
	}
	return json.MarshalIndent(d, "", " ")
}

// decodeCache parses a cache file, checking it belongs to contract and is
// internally consistent.
func decodeCache(b []byte, contract common.Address) (*cache, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d diskCache
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	switch {
	case d.Version != cacheVersion:
		return nil, fmt.Errorf("version %d, want %d", d.Version, cacheVersion)
	case d.Contract != contract:
		return nil, fmt.Errorf("records of contract %s, scanning %s", d.Contract, contract)
	case d.From > d.Through:
		return nil, fmt.Errorf("range [%d, %d] is empty", d.From, d.Through)
	}
	c := &cache{valid: true, from: d.From, through: d.Through, records: make([]Claim, len(d.Records))}
	for i, r := range d.Records {
		amt, ok := new(big.Int).SetString(r.Amount, 10)
		if !ok || amt.Sign() < 0 || amt.BitLen() > 256 {
			return nil, fmt.Errorf("record %d: bad amount %q", i, r.Amount)
		}
		if r.Block < d.From || r.Block > d.Through {
			return nil, fmt.Errorf("record %d: block %d outside [%d, %d]", i, r.Block, d.From, d.Through)
		}
		c.records[i] = Claim{Block: r.Block, Index: r.Index, BlockHash: r.BlockHash, TxHash: r.TxHash,
			Channel: r.Channel, Provider: r.Provider, Amount: amt}
	}
	sortClaims(c.records)
	for i := 1; i < len(c.records); i++ {
		if c.records[i].Block == c.records[i-1].Block && c.records[i].Index == c.records[i-1].Index {
			return nil, fmt.Errorf("duplicate record at block %d index %d", c.records[i].Block, c.records[i].Index)
		}
	}
	return c, nil
}

// loadCache reads dir/claims.json. A missing file is an empty cache and no
// error.
func loadCache(dir string, contract common.Address) (*cache, error) {
	b, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if errors.Is(err, os.ErrNotExist) {
		return &cache{}, nil
	}
	if err != nil {
		return &cache{}, err
	}
	c, err := decodeCache(b, contract)
	if err != nil {
		return &cache{}, err
	}
	return c, nil
}

// writeAtomic replaces dir/name with data so that a crash leaves either
// the old file or the new one.
func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return vfs.WriteFileAtomic(vfs.OS{}, filepath.Join(dir, name), data)
}
