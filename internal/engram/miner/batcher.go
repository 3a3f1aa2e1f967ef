package miner

import (
	"context"
	"errors"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
)

// errBusy is returned when a request's context ends before the embedding
// queue had room for it.
var errBusy = errors.New("miner: embedding queue full")

type embedReq struct {
	ctx  context.Context
	text string
	done chan embedResult
}

type embedResult struct {
	vec []float32
	err error
}

// batcher groups concurrent embedding requests: it takes everything queued
// (up to max) as one batch, so under load one Embed call serves many
// requests and an idle miner adds no delay.
type batcher struct {
	e    embed.Embedder
	max  int
	in   chan embedReq
	stop chan struct{}
	done chan struct{}
}

func newBatcher(e embed.Embedder, max int) *batcher {
	b := &batcher{e: e, max: max, in: make(chan embedReq, 4*max), stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

func (b *batcher) embed(ctx context.Context, text string) ([]float32, error) {
	req := embedReq{ctx: ctx, text: text, done: make(chan embedResult, 1)}
	select {
	case b.in <- req:
	case <-ctx.Done():
		// Waiting for a queue slot is back-pressure; a caller that gives
		// up is told the miner was busy.
		return nil, errBusy
	}
	select {
	case r := <-req.done:
		return r.vec, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (b *batcher) run() {
	defer close(b.done)
	for {
		var batch []embedReq
		select {
		case <-b.stop:
			return
		case r := <-b.in:
			batch = append(batch, r)
		}
	fill:
		for len(batch) < b.max {
			select {
			case r := <-b.in:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		live := batch[:0]
		for _, r := range batch {
			if r.ctx.Err() == nil {
				live = append(live, r)
			}
		}
		if len(live) == 0 {
			continue
		}
		texts := make([]string, len(live))
		for i, r := range live {
			texts[i] = r.text
		}
		vecs, err := b.e.Embed(context.Background(), texts)
		if err == nil && len(vecs) != len(live) {
			err = errors.New("miner: embedder returned the wrong number of vectors")
		}
		if err != nil && len(live) > 1 {
			// One bad text must not fail its neighbours: retry one by one.
			for _, r := range live {
				v, err := b.e.Embed(context.Background(), []string{r.text})
				if err == nil {
					r.done <- embedResult{vec: v[0]}
				} else {
					r.done <- embedResult{err: err}
				}
			}
			continue
		}
		for i, r := range live {
			if err != nil {
				r.done <- embedResult{err: err}
			} else {
				r.done <- embedResult{vec: vecs[i]}
			}
		}
	}
}

func (b *batcher) close() {
	close(b.stop)
	<-b.done
}
