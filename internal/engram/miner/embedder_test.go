package miner

import (
	"context"
	"sync/atomic"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
)

type countingEmbedder struct {
	calls, texts atomic.Int64
}

func (c *countingEmbedder) Info() embed.Info { return embed.Lexical{}.Info() }
func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.calls.Add(1)
	c.texts.Add(int64(len(texts)))
	return embed.Lexical{}.Embed(ctx, texts)
}
