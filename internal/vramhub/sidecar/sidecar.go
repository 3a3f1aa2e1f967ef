// Package sidecar implements the miner ↔ trainer HTTP protocol of VRAM HUB
// (loopback JSON, one request at a time): a Go [Server] that trains the
// pure-Go model, and the [Client] a miner uses, so a PyTorch sidecar that
// speaks the same protocol can replace the server.
//
//	GET  /health           {"status":"ok","model":ID,"device":"cpu","num_params":N,"vocab_size":V}
//	POST /train            {"uid","window"} → {"loss","gradient_b64"} (N f32 LE; or "gradient": [N])
//	POST /forward_loss     {"uid","window"} → {"loss"}, parameters unchanged
//	POST /save_checkpoint  {} → {"format":"f32le","data":base64}
//	POST /load_checkpoint  {"format":"f32le","data":base64} → {"ok":true}; 400 if the length ≠ 4N
//
// /train computes the loss and the gradient of the loaded weights on the
// batch assigned to (uid, window) and applies stage 1 of the compression
// (keep the largest entries by magnitude); the reported gradient is always
// the gradient of the loaded weights, never of updated ones. Errors are
// non-2xx answers with {"error": "..."}; a missing uid or window is 400.
package sidecar

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"sync"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// BatchFunc returns the batch assigned to (uid, window).
type BatchFunc func(uid, window uint64) ([][]int32, error)

// ServerConfig configures a Server.
type ServerConfig struct {
	// Model is trained and evaluated (required); the server owns it.
	Model *model.Model
	// Batch derives batches (required).
	Batch BatchFunc
	// Stage1Fraction is the share of gradient entries /train keeps
	// (default compress.Stage1Fraction, 0.1%); 1 keeps all.
	Stage1Fraction float64
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// Server is the Go trainer.
type Server struct {
	cfg  ServerConfig
	mu   sync.Mutex // one request at a time, as the protocol says
	grad []float32
}

// NewServer returns a Server.
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.Model == nil || cfg.Batch == nil {
		return nil, errors.New("sidecar: Model and Batch are required")
	}
	if cfg.Stage1Fraction == 0 {
		cfg.Stage1Fraction = compress.Stage1Fraction
	}
	if !(cfg.Stage1Fraction > 0 && cfg.Stage1Fraction <= 1) {
		return nil, fmt.Errorf("sidecar: stage-1 fraction %v not in (0, 1]", cfg.Stage1Fraction)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, grad: make([]float32, cfg.Model.NumParams())}, nil
}

// Health is the /health answer.
type Health struct {
	Status    string `json:"status"`
	Model     string `json:"model"`
	Device    string `json:"device"`
	NumParams int    `json:"num_params"`
	VocabSize int    `json:"vocab_size"`
}

// WindowRequest names the batch of a /train or /forward_loss call.
type WindowRequest struct {
	UID    *uint64 `json:"uid"`
	Window *uint64 `json:"window"`
}

// TrainResponse is the /train answer.
type TrainResponse struct {
	Loss        float64   `json:"loss"`
	GradientB64 string    `json:"gradient_b64,omitempty"`
	Gradient    []float32 `json:"gradient,omitempty"`
}

// Checkpoint is the body of /save_checkpoint's answer and /load_checkpoint's
// request.
type Checkpoint struct {
	Format string `json:"format"`
	Data   string `json:"data"`
}

type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// maxRequest bounds request bodies: a checkpoint of 2^26 parameters in
// base64.
const maxRequest = 360 << 20

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.route(r)
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		code := http.StatusInternalServerError
		if he, ok := errors.AsType[*httpError](err); ok {
			code = he.code
		} else {
			s.cfg.Logger.Error("sidecar request failed", "path", r.URL.Path, "err", err)
		}
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("invalid JSON body: %v", err)
	}
	return nil
}

func (s *Server) route(r *http.Request) (any, error) {
	m := s.cfg.Model
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/health":
		return Health{Status: "ok", Model: m.ID(), Device: "cpu", NumParams: m.NumParams(), VocabSize: m.Config().Vocab}, nil
	case r.Method != http.MethodPost:
		return nil, &httpError{http.StatusNotFound, "no route " + r.Method + " " + r.URL.Path}
	case r.URL.Path == "/train", r.URL.Path == "/forward_loss":
		var req WindowRequest
		if err := decodeBody(r, &req); err != nil {
			return nil, err
		}
		if req.UID == nil || req.Window == nil {
			return nil, badRequest("uid and window are required")
		}
		batch, err := s.cfg.Batch(*req.UID, *req.Window)
		if err != nil {
			return nil, badRequest("batch: %v", err)
		}
		if r.URL.Path == "/forward_loss" {
			loss, err := m.Loss(batch)
			if err != nil {
				return nil, err
			}
			return map[string]float64{"loss": loss}, nil
		}
		loss, err := m.LossAndGrad(batch, s.grad)
		if err != nil {
			return nil, err
		}
		k := max(1, int(math.Ceil(s.cfg.Stage1Fraction*float64(len(s.grad)))))
		sparse := compress.SparsifyTopK(s.grad, min(k, len(s.grad)))
		return TrainResponse{Loss: loss, GradientB64: base64.StdEncoding.EncodeToString(f32le(sparse))}, nil
	case r.URL.Path == "/save_checkpoint":
		return Checkpoint{Format: "f32le", Data: base64.StdEncoding.EncodeToString(m.CheckpointBody())}, nil
	case r.URL.Path == "/load_checkpoint":
		var c Checkpoint
		if err := decodeBody(r, &c); err != nil {
			return nil, err
		}
		if c.Format != "f32le" {
			return nil, badRequest("format %q, want f32le", c.Format)
		}
		b, err := base64.StdEncoding.DecodeString(c.Data)
		if err != nil {
			return nil, badRequest("data: %v", err)
		}
		if err := m.LoadCheckpointBody(b); err != nil {
			return nil, badRequest("checkpoint: %v (want %d bytes)", err, 4*m.NumParams())
		}
		return map[string]bool{"ok": true}, nil
	}
	return nil, &httpError{http.StatusNotFound, "no route " + r.URL.Path}
}

func f32le(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func fromF32le(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("sidecar: %d bytes is not a whole number of f32", len(b))
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out, nil
}
