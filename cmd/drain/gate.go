package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// permitGate admits ProviderCheck callers that hold a validator permit on
// the subnet, from a metagraph refreshed periodically.
type permitGate struct {
	ch     chain.MetagraphReader
	netuid uint16
	log    *slog.Logger

	mu      sync.RWMutex
	permits map[keys.PublicKey]bool
	loaded  bool
}

func newPermitGate(ch chain.MetagraphReader, netuid uint16, log *slog.Logger) *permitGate {
	return &permitGate{ch: ch, netuid: netuid, log: log}
}

var (
	errMetagraphUnknown = errors.New("metagraph not loaded yet")
	errNoPermit         = errors.New("caller has no validator permit on the subnet")
)

func (g *permitGate) allowed(caller keys.PublicKey) error {
	g.mu.RLock()
	defer g.mu.RUnlock()
	switch {
	case !g.loaded:
		return errMetagraphUnknown
	case !g.permits[caller]:
		return errNoPermit
	}
	return nil
}

func (g *permitGate) refresh(ctx context.Context) error {
	mg, err := g.ch.Metagraph(ctx, g.netuid)
	if err != nil {
		return err
	}
	permits := map[keys.PublicKey]bool{}
	for _, n := range mg.Neurons {
		if n.ValidatorPermit {
			permits[n.Hotkey] = true
		}
	}
	g.mu.Lock()
	g.permits, g.loaded = permits, true
	g.mu.Unlock()
	return nil
}

// run refreshes now and then every interval until ctx ends; a failed
// refresh keeps the previous set.
func (g *permitGate) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := g.refresh(ctx); err != nil && ctx.Err() == nil {
			g.log.Warn("metagraph refresh failed; keeping the previous validator set", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
