package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// ErrUnknownModel reports a request for a model the pricer has no price for.
var ErrUnknownModel = errors.New("provider: unknown model")

// Usage is the token usage an OpenAI-compatible response reports.
type Usage struct {
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
}

// Pricer prices requests in token base units. Implementations must be safe
// for concurrent use.
type Pricer interface {
	// Estimate returns the cost to require before serving a request with
	// this body (the amount the voucher must cover up front).
	Estimate(body []byte) (*big.Int, error)
	// Cost returns the cost of a served request from its reported usage.
	Cost(body []byte, u Usage) (*big.Int, error)
}

// ModelPrice is a model's price in token base units per 1000 tokens.
type ModelPrice struct {
	InputPer1k  *big.Int
	OutputPer1k *big.Int
}

// TokenPricer prices OpenAI chat requests per token:
// cost = ⌊(input·InputPer1k + output·OutputPer1k) / 1000⌋. The estimate
// takes ⌈len(messages JSON)/4⌉ input tokens and max_tokens (or
// max_completion_tokens, else DefaultOutputTokens) output tokens.
type TokenPricer struct {
	// Models maps model ids to prices.
	Models map[string]ModelPrice
	// Default prices models missing from Models; nil rejects them with
	// [ErrUnknownModel].
	Default *ModelPrice
	// DefaultOutputTokens is the output estimate when the request sets no
	// limit; 0 means 50.
	DefaultOutputTokens int64
}

type chatRequest struct {
	Model               string          `json:"model"`
	Messages            json.RawMessage `json:"messages"`
	MaxTokens           int64           `json:"max_tokens"`
	MaxCompletionTokens int64           `json:"max_completion_tokens"`
	Stream              bool            `json:"stream"`
}

func (p TokenPricer) price(model string) (ModelPrice, error) {
	if m, ok := p.Models[model]; ok {
		return m, nil
	}
	if p.Default != nil {
		return *p.Default, nil
	}
	return ModelPrice{}, fmt.Errorf("%w: %q", ErrUnknownModel, model)
}

func cost(m ModelPrice, in, out int64) *big.Int {
	c := new(big.Int).Mul(big.NewInt(in), m.InputPer1k)
	c.Add(c, new(big.Int).Mul(big.NewInt(out), m.OutputPer1k))
	return c.Quo(c, big.NewInt(1000))
}

// Estimate implements [Pricer].
func (p TokenPricer) Estimate(body []byte) (*big.Int, error) {
	var r chatRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("parse request: %w", err)
	}
	m, err := p.price(r.Model)
	if err != nil {
		return nil, err
	}
	var compact bytes.Buffer
	if len(r.Messages) > 0 {
		if err := json.Compact(&compact, r.Messages); err != nil {
			return nil, fmt.Errorf("parse messages: %w", err)
		}
	}
	in := (int64(compact.Len()) + 3) / 4
	out := p.DefaultOutputTokens
	if out == 0 {
		out = 50
	}
	if r.MaxCompletionTokens > 0 {
		out = r.MaxCompletionTokens
	} else if r.MaxTokens > 0 {
		out = r.MaxTokens
	}
	return cost(m, in, out), nil
}

// Cost implements [Pricer].
func (p TokenPricer) Cost(body []byte, u Usage) (*big.Int, error) {
	var r chatRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("parse request: %w", err)
	}
	m, err := p.price(r.Model)
	if err != nil {
		return nil, err
	}
	if u.PromptTokens < 0 || u.CompletionTokens < 0 {
		return nil, fmt.Errorf("negative usage %+v", u)
	}
	return cost(m, u.PromptTokens, u.CompletionTokens), nil
}
