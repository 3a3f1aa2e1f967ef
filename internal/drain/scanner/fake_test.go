package scanner

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/subnetkit/subnetkit/internal/evm"
)

var _ Reader = evm.LogReader(nil)

var contract = common.HexToAddress("0x1C1918C99b6DcE977392E4131C91654d8aB71e64")

func provider(b byte) common.Address { return common.Address{0: 0xaa, 19: b} }

// claimLog builds a ChannelClaimed log as a node returns it.
func claimLog(block uint64, index uint, prov common.Address, amount int64) types.Log {
	var ch common.Hash
	ch[0], ch[31] = byte(block), byte(index)
	return types.Log{
		Address:     contract,
		Topics:      []common.Hash{ClaimedTopic, ch, common.BytesToHash(prov.Bytes())},
		Data:        common.LeftPadBytes(big.NewInt(amount).Bytes(), 32),
		BlockNumber: block,
		BlockHash:   common.Hash{0: 0xbb, 31: byte(block)},
		TxHash:      common.Hash{0: 0xcc, 30: byte(block), 31: byte(index)},
		Index:       index,
	}
}

// chain is a fake chain: a head and every log ever emitted.
type chain struct {
	mu   sync.Mutex
	head uint64
	logs []types.Log
}

func (c *chain) setHead(h uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.head = h
}

func (c *chain) add(ls ...types.Log) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.logs = append(c.logs, ls...)
}

// replace swaps the log at (block, index) for l (a reorg).
func (c *chain) replace(block uint64, index uint, l *types.Log) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.logs {
		if x.BlockNumber == block && x.Index == index {
			if l == nil {
				c.logs = slices.Delete(c.logs, i, i+1)
			} else {
				c.logs[i] = *l
			}
			return
		}
	}
	panic("no such log")
}

// want totals the claims in [from, to] naively.
func (c *chain) want(from, to uint64) map[common.Address]*big.Int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[common.Address]*big.Int{}
	for _, l := range c.logs {
		if l.Removed || l.Address != contract || l.Topics[0] != ClaimedTopic || l.BlockNumber < from || l.BlockNumber > to {
			continue
		}
		p := common.BytesToAddress(l.Topics[2][12:])
		if out[p] == nil {
			out[p] = new(big.Int)
		}
		out[p].Add(out[p], new(big.Int).SetBytes(l.Data))
	}
	return out
}

var errRPC = errors.New("rpc: 503 service unavailable")

// reader is a fake endpoint over a chain. fail decides, per call, whether
// to fail; tamper rewrites a successful getLogs answer.
type reader struct {
	c      *chain
	mu     sync.Mutex
	fail   func(method string, lo, hi uint64, call int) bool
	tamper func([]types.Log) []types.Log
	calls  int
	ranges [][2]uint64 // every getLogs range asked, answered or not
	heads  int
}

func (r *reader) BlockNumber(ctx context.Context) (uint64, error) {
	r.mu.Lock()
	r.calls++
	r.heads++
	n := r.calls
	r.mu.Unlock()
	if r.fail != nil && r.fail("head", 0, 0, n) {
		return 0, errRPC
	}
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.head, ctx.Err()
}

func (r *reader) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	lo, hi := q.FromBlock.Uint64(), q.ToBlock.Uint64()
	r.mu.Lock()
	r.calls++
	n := r.calls
	r.ranges = append(r.ranges, [2]uint64{lo, hi})
	r.mu.Unlock()
	if r.fail != nil && r.fail("logs", lo, hi, n) {
		return nil, errRPC
	}
	r.c.mu.Lock()
	var out []types.Log
	for _, l := range r.c.logs {
		if l.BlockNumber < lo || l.BlockNumber > hi || !slices.Contains(q.Addresses, l.Address) {
			continue
		}
		if len(q.Topics) > 0 && len(l.Topics) > 0 && !slices.Contains(q.Topics[0], l.Topics[0]) {
			continue
		}
		l.Topics = slices.Clone(l.Topics)
		l.Data = slices.Clone(l.Data)
		out = append(out, l)
	}
	r.c.mu.Unlock()
	if r.tamper != nil {
		out = r.tamper(out)
	}
	return out, ctx.Err()
}

func (r *reader) getRanges() [][2]uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.ranges)
	r.ranges = nil
	return out
}

// sleeper records requested pauses without sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return context.Cause(ctx)
}

func always(string, uint64, uint64, int) bool { return true }
