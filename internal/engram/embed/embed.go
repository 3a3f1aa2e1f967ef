// Package embed turns text into the 384-dimensional, L2-normalised vectors
// Engram stores. An [Embedder] is chosen at start-up:
//
//   - lexical: deterministic feature hashing of words and character
//     trigrams. It needs no model and no network and is NOT semantic: it is
//     for offline development and tests, and says so in [Info].
//   - openai: any OpenAI-compatible /v1/embeddings endpoint.
//   - minilm: all-MiniLM-L6-v2 in pure Go, from a local model directory.
//
// Every Embedder is safe for concurrent use. Callers should batch texts;
// implementations split batches as their backend requires.
package embed

import (
	"context"
	"errors"
)

// Dim is the embedding dimension of the canonical model (all-MiniLM-L6-v2).
const Dim = 384

// Embedder embeds texts.
type Embedder interface {
	// Embed returns one L2-normalised vector of length Info().Dim per text,
	// in input order. The returned slices belong to the caller.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Info describes the embedder for logs, /health and metrics.
	Info() Info
}

// Info describes an embedder.
type Info struct {
	// Name is the backend: "lexical", "openai" or "minilm".
	Name string `json:"name"`
	// Model names the model the vectors come from.
	Model string `json:"model"`
	// Dim is the vector length.
	Dim int `json:"dim"`
	// Semantic is false for embedders whose vectors do not capture meaning
	// (the lexical one); operators must not serve such a miner on a real
	// network.
	Semantic bool `json:"semantic"`
}

// ErrEmptyText is returned for an empty or whitespace-only input text.
var ErrEmptyText = errors.New("text is empty")
