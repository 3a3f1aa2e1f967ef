package miner

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Config configures a [Server]. Zero fields take the defaults.
type Config struct {
	// Hotkey is the miner's own hotkey (required): the proof is signed over
	// its SS58 address and request signatures are checked against it.
	Hotkey keys.PublicKey
	// WalletKey is the Polygon key of the provider wallet (required). Load
	// it from a file or the environment, never from a flag.
	WalletKey *ecdsa.PrivateKey
	// Wallet, if set (POLYGON_WALLET), must be WalletKey's address.
	Wallet common.Address
	// APIURL is the provider's base URL, http or https (required).
	APIURL string
	// Allowed, if set, is asked for every verified caller; an error refuses
	// it with 403 (callers not in the metagraph, or without a validator
	// permit when that is enforced). Unsigned callers are always refused
	// with 403.
	Allowed func(caller keys.PublicKey) error
	// Now is the clock for nonce freshness (default time.Now).
	Now func() time.Time
	// Logger receives logs (default: discard).
	Logger *slog.Logger
	// Registerer registers the server's metrics (nil: none).
	Registerer prometheus.Registerer
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Hotkey.IsZero():
		return errors.New("miner: Config.Hotkey is required")
	case c.WalletKey == nil:
		return errors.New("miner: Config.WalletKey is required")
	case c.Wallet != (common.Address{}) && c.Wallet != crypto.PubkeyToAddress(c.WalletKey.PublicKey):
		return fmt.Errorf("miner: wallet %s is not the address of the wallet key", c.Wallet)
	}
	return validateAPIURL(c.APIURL)
}

func validateAPIURL(s string) error {
	u, err := url.Parse(s)
	if s == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("miner: API URL %q is not an absolute http(s) URL", s)
	}
	return nil
}

// Server answers ProviderCheck requests. It is safe for concurrent use.
type Server struct {
	cfg      Config
	resp     Response
	body     []byte
	verifier *axon.Verifier
	requests *prometheus.CounterVec
	mux      *http.ServeMux
}

// Log attribute keys.
const (
	attrStatus = "status"
	attrCaller = "caller"
	attrErr    = "err"
)

// New signs the wallet proof and returns a Server. It returns an error for
// an invalid Config or metrics that cannot be registered.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	proof, err := Proof(cfg.WalletKey, cfg.Hotkey.SS58())
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg,
		resp: Response{
			PolygonWallet: crypto.PubkeyToAddress(cfg.WalletKey.PublicKey).Hex(),
			WalletProof:   proof,
			APIURL:        cfg.APIURL,
		},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "drain_miner_provider_check_requests_total",
			Help: "ProviderCheck requests by HTTP status.",
		}, []string{"status"}),
	}
	if cfg.Registerer != nil {
		if err := cfg.Registerer.Register(s.requests); err != nil {
			return nil, fmt.Errorf("miner: register metrics: %w", err)
		}
	}
	s.body, _ = json.Marshal(s.resp) // a struct of strings always encodes
	s.cfg.Logger = cfg.Logger.With("component", "drain-miner")
	s.verifier = axon.NewVerifier(axon.VerifierConfig{
		Hotkey:   cfg.Hotkey,
		Required: true,
		Now:      cfg.Now,
		Allowed: func(_ string, caller keys.PublicKey) error {
			if cfg.Allowed == nil {
				return nil
			}
			return cfg.Allowed(caller)
		},
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /"+SynapseName, s.providerCheck)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/"+SynapseName {
			w.Header().Set("Allow", http.MethodPost)
			s.fail(w, http.StatusMethodNotAllowed, "use POST", 0)
			return
		}
		s.fail(w, http.StatusNotFound, "synapse not found", 0)
	})
	s.mux = mux
	return s, nil
}

// Response returns what the server answers: the wallet, the proof signed
// in [New] and the API URL.
func (s *Server) Response() Response { return s.resp }

// Handler returns the axon HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Run serves on ln until ctx ends, then shuts down, giving in-flight
// requests up to 10 s.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.cfg.Logger.Info("axon serving", "addr", ln.Addr().String(), "hotkey", s.cfg.Hotkey.SS58(), "wallet", s.resp.PolygonWallet)
	select {
	case err := <-errc:
		return fmt.Errorf("miner: serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	<-errc
	return err
}

func (s *Server) providerCheck(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		s.fail(w, http.StatusRequestEntityTooLarge, "request body too large", time.Since(start))
		return
	}
	caller, _, err := s.verifier.Verify(r, SynapseName, body)
	if err != nil {
		code := axon.StatusCode(err)
		if errors.Is(err, axon.ErrUnsigned) {
			code = http.StatusForbidden // no hotkey: blacklisted
		}
		s.cfg.Logger.Debug("provider check refused", attrStatus, code, attrErr, err)
		s.fail(w, code, err.Error(), time.Since(start))
		return
	}
	s.cfg.Logger.Debug("provider check", attrCaller, caller.SS58())
	s.requests.WithLabelValues("200").Inc()
	axon.SetResponseHeaders(w, http.StatusOK, "Success", time.Since(start))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(s.body)
}

// fail writes an axon error: status headers and {"message": msg}, the
// shape the Python axon sends.
func (s *Server) fail(w http.ResponseWriter, code int, msg string, took time.Duration) {
	s.requests.WithLabelValues(strconv.Itoa(code)).Inc()
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(map[string]string{"message": msg})
	axon.SetResponseHeaders(w, code, msg, took)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}
