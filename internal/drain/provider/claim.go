package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/drain/contracts"
)

// ClaimResult reports one channel handled by a claim pass.
type ClaimResult struct {
	Channel common.Hash
	// Amount is the cumulative voucher amount claimed.
	Amount *big.Int
	// Tx is the claim transaction; zero when nothing was sent (the channel
	// had no balance left, or the claim can never succeed).
	Tx common.Hash
	// Err is a permanent failure that settled the voucher without payment,
	// or a transient one to be retried on the next pass (Settled false).
	Err     error
	Settled bool
}

// Run claims at once and then every ClaimInterval until ctx ends; it
// returns ctx's cause. Claim failures are logged and retried next pass.
func (p *Provider) Run(ctx context.Context) error {
	t := time.NewTicker(p.cfg.ClaimInterval)
	defer t.Stop()
	for {
		if _, err := p.ClaimOnce(ctx, false); err != nil && ctx.Err() == nil {
			p.log.Warn("claim pass", "err", err)
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
		}
	}
}

// ClaimOnce claims, for every channel with an unclaimed voucher, the
// highest voucher when force is set, the unclaimed amount reaches
// ClaimThreshold, or the channel expires within ExpiryBuffer. A channel is
// marked claimed only after a successful receipt; a channel with nothing
// left on chain is marked without a transaction; a permanent revert
// ([contracts.Permanent]) settles the voucher with a zero tx. Claims are
// sent one after another. The error is a chain read failure that stopped
// the pass; per-channel failures are in the results.
func (p *Provider) ClaimOnce(ctx context.Context, force bool) ([]ClaimResult, error) {
	p.claimM.Lock()
	defer p.claimM.Unlock()
	now, err := p.chainTime(ctx)
	if err != nil {
		return nil, fmt.Errorf("read chain time: %w", err)
	}
	buffer := uint64(p.cfg.ExpiryBuffer / time.Second)
	var out []ClaimResult
	for _, st := range p.store.Unclaimed() {
		id, amount := st.ID, st.Latest.Amount
		ch, err := p.chain.Channel(ctx, id)
		if err != nil {
			return out, err
		}
		if !ch.Exists() || ch.Claimed.Cmp(amount) >= 0 || ch.Balance().Sign() == 0 {
			// Closed, already claimed this far, or emptied: nothing to send.
			if err := p.store.MarkClaimed(id, amount, common.Hash{}); err != nil {
				return out, err
			}
			out = append(out, ClaimResult{Channel: id, Amount: amount, Settled: true})
			continue
		}
		unclaimed := new(big.Int).Sub(amount, ch.Claimed)
		due := force || unclaimed.Cmp(p.cfg.ClaimThreshold) >= 0 || now+buffer >= ch.Expiry
		if !due {
			continue
		}
		r, err := p.chain.Claim(ctx, p.cfg.Key, st.Latest)
		switch {
		case err == nil:
			if err := p.store.MarkClaimed(id, amount, r.TxHash); err != nil {
				return out, err
			}
			p.log.Info("claimed", "channel", id.Hex(), "amount", amount.String(), "tx", r.TxHash.Hex())
			out = append(out, ClaimResult{Channel: id, Amount: amount, Tx: r.TxHash, Settled: true})
		case contracts.Permanent(err):
			if err := p.store.MarkClaimed(id, amount, common.Hash{}); err != nil {
				return out, err
			}
			p.log.Warn("claim rejected for good", "channel", id.Hex(), "err", err)
			out = append(out, ClaimResult{Channel: id, Amount: amount, Err: err, Settled: true})
		default:
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			p.log.Warn("claim failed, will retry", "channel", id.Hex(), "err", err)
			out = append(out, ClaimResult{Channel: id, Amount: amount, Err: err})
		}
	}
	return out, nil
}
