package provider

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"sort"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

// ErrCorrupt reports a voucher log with a damaged record before its last
// line (a damaged last line is a torn write and is truncated on open).
var ErrCorrupt = errors.New("provider: voucher log corrupt")

// ErrStaleNonce reports a voucher whose nonce is not above the channel's
// last recorded nonce.
var ErrStaleNonce = errors.New("provider: voucher nonce not increasing")

// ChannelState is what the store knows about one channel.
type ChannelState struct {
	ID common.Hash
	// Latest is the last accepted voucher (highest nonce and amount).
	Latest voucher.Signed
	// Charged is the total cost of the requests served on the channel.
	Charged *big.Int
	// Claimed is the cumulative amount known to be claimed on chain.
	Claimed *big.Int
	// ClaimTx is the transaction of the last claim (zero when the claim was
	// settled without one).
	ClaimTx common.Hash
}

// Unclaimed returns Latest.Amount - Claimed (never negative).
func (c ChannelState) Unclaimed() *big.Int {
	if c.Latest.Amount == nil {
		return new(big.Int)
	}
	d := new(big.Int).Sub(c.Latest.Amount, c.Claimed)
	if d.Sign() < 0 {
		d.SetInt64(0)
	}
	return d
}

func (c ChannelState) clone() ChannelState {
	c.Charged = new(big.Int).Set(c.Charged)
	c.Claimed = new(big.Int).Set(c.Claimed)
	c.Latest.Signature = append([]byte(nil), c.Latest.Signature...)
	return c
}

// record is one line of the log. Voucher records carry the voucher and the
// channel's total charged after it; claim records the cumulative amount
// claimed and the transaction.
type record struct {
	Type      string `json:"type"` // "voucher" or "claimed"
	Channel   string `json:"channelId"`
	Amount    string `json:"amount"`
	Nonce     string `json:"nonce,omitempty"`
	Signature string `json:"signature,omitempty"`
	Charged   string `json:"charged,omitempty"`
	Tx        string `json:"tx,omitempty"`
}

// Store is the durable voucher log: an append-only JSON-lines file, one
// record per line, each appended with a single write and fsynced before the
// call returns. Opening replays the file; a last line without its newline
// or that does not parse (a write torn by a crash) is truncated away.
// A Store is safe for concurrent use.
type Store struct {
	mu    sync.Mutex
	f     vfs.File
	chans map[common.Hash]*ChannelState
}

// OpenStore opens (creating if needed) the log at path and replays it.
// It returns an error wrapping [ErrCorrupt] if a record other than the last
// is damaged.
func OpenStore(path string) (*Store, error) { return OpenStoreFS(vfs.OS{}, path) }

// OpenStoreFS is OpenStore on the given file system (tests pass a
// vfs.MemFS to simulate crashes).
func OpenStoreFS(fsys vfs.FS, path string) (*Store, error) {
	if !vfs.Exists(fsys, path) {
		c, err := fsys.Create(path)
		if err != nil {
			return nil, fmt.Errorf("create voucher log: %w", err)
		}
		if err := c.Close(); err != nil {
			return nil, fmt.Errorf("create voucher log: %w", err)
		}
		if err := fsys.SyncDir(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("create voucher log: %w", err)
		}
	}
	f, err := fsys.OpenAppend(path)
	if err != nil {
		return nil, fmt.Errorf("open voucher log: %w", err)
	}
	s := &Store{f: f, chans: map[common.Hash]*ChannelState{}}
	if err := s.replay(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) replay() error {
	r := bufio.NewReader(s.f)
	var good int64
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			if len(b) > 0 { // torn tail: no newline
				break
			}
			break
		}
		if err != nil {
			return fmt.Errorf("read voucher log: %w", err)
		}
		var rec record
		if jerr := json.Unmarshal(b, &rec); jerr != nil || s.apply(rec) != nil {
			if _, perr := r.Peek(1); perr == io.EOF {
				break // damaged last line: torn write
			}
			return fmt.Errorf("%w: line %d", ErrCorrupt, line)
		}
		good += int64(len(b))
	}
	if err := s.f.Truncate(good); err != nil {
		return fmt.Errorf("truncate voucher log: %w", err)
	}
	return s.f.Sync()
}

func parseBig(s string) (*big.Int, bool) {
	x, ok := new(big.Int).SetString(s, 10)
	return x, ok && x.Sign() >= 0
}

// apply folds one record into the in-memory state.
func (s *Store) apply(rec record) error {
	idb, err := hex.DecodeString(trim0x(rec.Channel))
	if err != nil || len(idb) != 32 {
		return ErrCorrupt
	}
	id := common.BytesToHash(idb)
	amount, ok := parseBig(rec.Amount)
	if !ok {
		return ErrCorrupt
	}
	st := s.state(id)
	switch rec.Type {
	case "voucher":
		nonce, ok1 := parseBig(rec.Nonce)
		charged, ok2 := parseBig(rec.Charged)
		sig, err := hex.DecodeString(trim0x(rec.Signature))
		if !ok1 || !ok2 || err != nil || len(sig) != 65 {
			return ErrCorrupt
		}
		st.Latest = voucher.Signed{Voucher: voucher.Voucher{ChannelID: id, Amount: amount, Nonce: nonce}, Signature: sig}
		st.Charged = charged
	case "claimed":
		if amount.Cmp(st.Claimed) > 0 {
			st.Claimed = amount
		}
		st.ClaimTx = common.HexToHash(rec.Tx)
	default:
		return ErrCorrupt
	}
	return nil
}

func trim0x(s string) string {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:]
	}
	return s
}

func (s *Store) state(id common.Hash) *ChannelState {
	st, ok := s.chans[id]
	if !ok {
		st = &ChannelState{ID: id, Charged: new(big.Int), Claimed: new(big.Int)}
		s.chans[id] = st
	}
	return st
}

func (s *Store) append(rec record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if _, err := s.f.Write(b); err != nil {
		return fmt.Errorf("append voucher log: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("sync voucher log: %w", err)
	}
	return nil
}

// Get returns a copy of the channel's state; ok is false for a channel
// with no records.
func (s *Store) Get(id common.Hash) (st ChannelState, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chans[id]
	if !ok {
		return ChannelState{ID: id, Charged: new(big.Int), Claimed: new(big.Int)}, false
	}
	return c.clone(), true
}

// Accept durably records v as the channel's latest voucher with the
// channel's new total charged. It returns [ErrStaleNonce] unless v's nonce
// is above the last recorded one.
func (s *Store) Accept(v voucher.Signed, charged *big.Int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chans[v.ChannelID]; ok && c.Latest.Nonce != nil && v.Nonce.Cmp(c.Latest.Nonce) <= 0 {
		return ErrStaleNonce
	}
	rec := record{
		Type: "voucher", Channel: v.ChannelID.Hex(), Amount: v.Amount.String(), Nonce: v.Nonce.String(),
		Signature: "0x" + hex.EncodeToString(v.Signature), Charged: charged.String(),
	}
	if err := s.append(rec); err != nil {
		return err
	}
	return s.apply(rec)
}

// MarkClaimed durably records that amount (cumulative) of the channel is
// claimed, by tx (zero when settled without a transaction).
func (s *Store) MarkClaimed(id common.Hash, amount *big.Int, tx common.Hash) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := record{Type: "claimed", Channel: id.Hex(), Amount: amount.String(), Tx: tx.Hex()}
	if err := s.append(rec); err != nil {
		return err
	}
	return s.apply(rec)
}

// Unclaimed returns copies of the channels whose latest voucher is above
// their claimed amount, sorted by channel id.
func (s *Store) Unclaimed() []ChannelState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChannelState
	for _, c := range s.chans {
		if c.Unclaimed().Sign() > 0 {
			out = append(out, c.clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].ID[:], out[j].ID[:]) < 0 })
	return out
}

// Close closes the log file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Close()
}
