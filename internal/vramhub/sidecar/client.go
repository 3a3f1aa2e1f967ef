package sidecar

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client talks to a sidecar (this package's Server or a PyTorch one).
type Client struct {
	// URL is the sidecar's base URL (default http://127.0.0.1:7070).
	URL string
	// HTTP defaults to a client with the protocol's 600 s timeout.
	HTTP *http.Client
}

func (c *Client) base() string {
	if c.URL == "" {
		return "http://127.0.0.1:7070"
	}
	return c.URL
}

func (c *Client) hc() *http.Client {
	if c.HTTP == nil {
		return &http.Client{Timeout: 600 * time.Second}
	}
	return c.HTTP
}

// maxAnswer bounds answers (a dense gradient of 2^26 f32 in base64).
const maxAnswer = 360 << 20

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base()+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc().Do(req)
	if err != nil {
		return fmt.Errorf("sidecar %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("sidecar %s: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(raw, &e)
		return fmt.Errorf("sidecar %s: HTTP %d: %s", path, resp.StatusCode, e.Error)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("sidecar %s: decode answer: %w", path, err)
	}
	return nil
}

// Health calls GET /health.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	err := c.do(ctx, http.MethodGet, "/health", nil, &h)
	return h, err
}

// WaitHealthy polls /health every interval until it answers or ctx ends
// (the protocol polls every 3 s for up to 60 s).
func (c *Client) WaitHealthy(ctx context.Context, interval time.Duration) (Health, error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		h, err := c.Health(ctx)
		if err == nil && h.Status == "ok" {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return Health{}, fmt.Errorf("sidecar not healthy: %w (last error: %v)", context.Cause(ctx), err)
		case <-t.C:
		}
	}
}

// Train calls POST /train and returns the loss and the stage-1 gradient.
func (c *Client) Train(ctx context.Context, uid, window uint64) (float64, []float32, error) {
	var r TrainResponse
	if err := c.do(ctx, http.MethodPost, "/train", WindowRequest{UID: &uid, Window: &window}, &r); err != nil {
		return 0, nil, err
	}
	if r.GradientB64 != "" {
		b, err := base64.StdEncoding.DecodeString(r.GradientB64)
		if err != nil {
			return 0, nil, fmt.Errorf("sidecar /train: gradient_b64: %w", err)
		}
		g, err := fromF32le(b)
		return r.Loss, g, err
	}
	return r.Loss, r.Gradient, nil
}

// ForwardLoss calls POST /forward_loss.
func (c *Client) ForwardLoss(ctx context.Context, uid, window uint64) (float64, error) {
	var r struct {
		Loss float64 `json:"loss"`
	}
	err := c.do(ctx, http.MethodPost, "/forward_loss", WindowRequest{UID: &uid, Window: &window}, &r)
	return r.Loss, err
}

// LoadCheckpoint calls POST /load_checkpoint with a checkpoint body (N f32 LE).
func (c *Client) LoadCheckpoint(ctx context.Context, body []byte) error {
	var r struct {
		OK bool `json:"ok"`
	}
	if err := c.do(ctx, http.MethodPost, "/load_checkpoint", Checkpoint{Format: "f32le", Data: base64.StdEncoding.EncodeToString(body)}, &r); err != nil {
		return err
	}
	if !r.OK {
		return fmt.Errorf("sidecar /load_checkpoint: not ok")
	}
	return nil
}

// SaveCheckpoint calls POST /save_checkpoint and returns the body.
func (c *Client) SaveCheckpoint(ctx context.Context) ([]byte, error) {
	var r Checkpoint
	if err := c.do(ctx, http.MethodPost, "/save_checkpoint", struct{}{}, &r); err != nil {
		return nil, err
	}
	if r.Format != "f32le" {
		return nil, fmt.Errorf("sidecar /save_checkpoint: format %q", r.Format)
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
