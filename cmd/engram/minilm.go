package main

import (
	"errors"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
)

// newMiniLM loads the pure-Go all-MiniLM-L6-v2 embedder from dir.
func newMiniLM(dir string) (embed.Embedder, error) {
	if dir == "" {
		return nil, errors.New("--embedder minilm needs --model-dir")
	}
	return nil, errors.New("--embedder minilm: the pure-Go MiniLM embedder is not part of this build yet; use --embedder openai with any OpenAI-compatible server that serves all-MiniLM-L6-v2")
}
