package enclavehttp

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// DefaultMaxBodyBytes bounds a /process_data body unless configured: a
// checkpoint plus the miners' gradients, base64-encoded.
const DefaultMaxBodyBytes = 256 << 20

// Attester produces a Nitro attestation document naming publicKey (the
// enclave's raw 32-byte key) in its public_key field.
type Attester interface {
	Attest(publicKey []byte) ([]byte, error)
}

// ServerConfig configures [NewServer]. The zero value of a field means its
// default.
type ServerConfig struct {
	// Scorer evaluates requests; required.
	Scorer *enclave.Scorer
	// Mode is enclave.ModeDev (default) or enclave.ModeNitro; a simulated
	// validator runs no server.
	Mode enclave.Mode
	// Rand is the source of the ephemeral key seed; nil means crypto/rand.
	Rand io.Reader
	// PCRs are the measurements the dev attestation document reports; all
	// nil means enclave.DevPCRs(). Ignored in nitro mode.
	PCRs [3][]byte
	// Attester makes nitro attestation documents; required in nitro mode.
	Attester Attester
	// MaxBodyBytes bounds a request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxConcurrent bounds evaluations running at once; 0 means 1.
	MaxConcurrent int
	// Logger receives lifecycle messages and internal errors; nil discards.
	Logger *slog.Logger
}

// Server is the enclave's HTTP API, an http.Handler. It is safe for
// concurrent use.
type Server struct {
	cfg  ServerConfig
	key  ed25519.PrivateKey
	pub  ed25519.PublicKey
	doc  []byte // dev document; nil in nitro mode
	sem  chan struct{}
	log  *slog.Logger
	mux  *http.ServeMux
	mode enclave.Mode
}

// Log attribute keys.
const (
	attrPath   = "path"
	attrStatus = "status"
	attrErr    = "err"
	attrMode   = "mode"
	attrKey    = "public_key"
	attrMiners = "miners"
)

// NewServer draws the ephemeral key and returns the server. It returns an
// error wrapping enclave.ErrConfig for a missing scorer or a simulated mode,
// enclave.ErrNitroAttestationUnsupported for nitro mode without an
// Attester, or the error of reading the key seed.
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.Scorer == nil {
		return nil, fmt.Errorf("%w: no scorer", enclave.ErrConfig)
	}
	mode := cfg.Mode
	if mode == "" {
		mode = enclave.ModeDev
	}
	switch mode {
	case enclave.ModeDev:
	case enclave.ModeNitro:
		if cfg.Attester == nil {
			return nil, enclave.ErrNitroAttestationUnsupported
		}
	default:
		return nil, fmt.Errorf("%w: server mode %q", enclave.ErrConfig, mode)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 1
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	key, err := enclave.GenerateKey(cfg.Rand)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:  cfg,
		key:  key,
		pub:  key.Public().(ed25519.PublicKey),
		sem:  make(chan struct{}, cfg.MaxConcurrent),
		log:  log.With("component", "enclave"),
		mode: mode,
	}
	if mode == enclave.ModeDev {
		pcrs := cfg.PCRs
		if pcrs[0] == nil && pcrs[1] == nil && pcrs[2] == nil {
			pcrs = enclave.DevPCRs()
		}
		s.doc = ledger.DevDocument(pcrs, s.pub)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /health", s.adapt(s.health))
	s.mux.HandleFunc("GET /health_check", s.adapt(s.health))
	s.mux.HandleFunc("GET /get_attestation", s.adapt(s.attestation))
	s.mux.HandleFunc("POST /process_data", s.adapt(s.processData))
	s.log.Info("enclave key generated", attrMode, string(mode), attrKey, hex.EncodeToString(s.pub))
	return s, nil
}

// PublicKey returns the server's ephemeral public key.
func (s *Server) PublicKey() ed25519.PublicKey { return s.pub }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// httpError is an error with the status and public message to answer.
type httpError struct {
	status int
	msg    string
	cause  error
}

func (e *httpError) Error() string { return e.msg }

// adapt writes a handler's value as JSON with 200, or its error as an
// enclave.ErrorResponse.
func (s *Server) adapt(fn func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(w, r)
		status := http.StatusOK
		if err != nil {
			he := classify(err)
			if he.status >= 500 {
				s.log.Error("request failed", attrPath, r.URL.Path, attrStatus, he.status, attrErr, he.cause)
			} else {
				s.log.Debug("request rejected", attrPath, r.URL.Path, attrStatus, he.status, attrErr, he.cause)
			}
			status, v = he.status, enclave.ErrorResponse{Error: he.msg}
		}
		body, err := json.Marshal(v)
		if err != nil {
			s.log.Error("encode response", attrPath, r.URL.Path, attrErr, err)
			status, body = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if _, err := w.Write(append(body, '\n')); err != nil {
			s.log.Debug("write response", attrPath, r.URL.Path, attrErr, err)
		}
	}
}

// classify maps an error to its status; internal causes are not echoed.
func classify(err error) *httpError {
	if he, ok := errors.AsType[*httpError](err); ok {
		return he
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &httpError{status: http.StatusRequestEntityTooLarge, msg: "request body too large", cause: err}
	}
	switch {
	case errors.Is(err, enclave.ErrBadRequest):
		return &httpError{status: http.StatusBadRequest, msg: err.Error(), cause: err}
	case errors.Is(err, enclave.ErrNothingScored):
		return &httpError{status: http.StatusUnprocessableEntity, msg: err.Error(), cause: err}
	}
	return &httpError{status: http.StatusInternalServerError, msg: "internal error", cause: err}
}

func (s *Server) health(http.ResponseWriter, *http.Request) (any, error) {
	return enclave.HealthResponse{Status: "ok", PublicKey: ledger.HexBytes(s.pub)}, nil
}

func (s *Server) attestation(http.ResponseWriter, *http.Request) (any, error) {
	doc := s.doc
	if s.mode == enclave.ModeNitro {
		var err error
		if doc, err = s.cfg.Attester.Attest(s.pub); err != nil {
			return nil, fmt.Errorf("attest: %w", err)
		}
	}
	return enclave.AttestationResponse{AttestationDocument: doc, PublicKey: ledger.HexBytes(s.pub), Mode: s.mode}, nil
}

func (s *Server) processData(w http.ResponseWriter, r *http.Request) (any, error) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	dec.DisallowUnknownFields()
	var req enclave.ProcessRequest
	if err := dec.Decode(&req); err != nil {
		return nil, decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		if err == nil {
			err = errors.New("trailing data after the request")
		}
		return nil, decodeError(err)
	}
	select {
	case s.sem <- struct{}{}:
	case <-r.Context().Done():
		return nil, &httpError{status: http.StatusServiceUnavailable, msg: "enclave busy", cause: r.Context().Err()}
	}
	defer func() { <-s.sem }()
	s.log.Debug("evaluating", attrMiners, len(req.PeerGradients))
	return s.cfg.Scorer.Process(&req, s.key)
}

func decodeError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return err
	}
	return &httpError{status: http.StatusBadRequest, msg: "decode request: " + err.Error(), cause: err}
}
