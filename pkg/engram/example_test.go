package engram_test

import (
	"context"
	"fmt"

	"github.com/subnetkit/subnetkit/pkg/engram"
)

// Write a vector to its replicas, then query.
func Example() {
	ctx := context.Background()
	c, err := engram.New(ctx, engram.Options{Miners: []engram.Miner{{URL: "http://127.0.0.1:8091"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	vec := make([]float32, 384)
	vec[0] = 1
	if res, err := c.IngestVector(ctx, vec, map[string]any{"source": "example"}); err == nil {
		fmt.Println("stored", res.CID, "on", res.Replicas)
	}
	if hits, err := c.QueryVector(ctx, vec, 3); err == nil {
		for _, h := range hits {
			fmt.Println(h.CID, h.Score)
		}
	}
}
