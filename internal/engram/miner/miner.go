package miner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Log attribute keys.
const (
	attrRoute  = "route"
	attrStatus = "status"
	attrErr    = "err"
	attrCID    = "cid"
	attrCaller = "caller"
)

// Miner serves the Engram miner API.
type Miner struct {
	cfg      Config
	verifier *axon.Verifier
	batch    *batcher
	limits   map[string]*limiter
	stats    *stats
	m        *metrics
	started  time.Time
	mux      *http.ServeMux
}

// New returns a Miner for cfg. It starts the embedding batcher; call Close
// (Run does) to stop it.
func New(cfg Config) (*Miner, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Miner{
		cfg:     cfg,
		batch:   newBatcher(cfg.Embedder, cfg.EmbedBatch),
		stats:   newStats(),
		m:       newMetrics(cfg.Registerer),
		started: cfg.Now(),
		limits: map[string]*limiter{
			"ingest": newLimiter(cfg.RateLimit, cfg.RateWindow),
			"query":  newLimiter(cfg.RateLimit, cfg.RateWindow),
			"other":  newLimiter(cfg.RateLimit, cfg.RateWindow),
		},
	}
	validators := slices.Clone(cfg.AllowedValidators)
	m.verifier = axon.NewVerifier(axon.VerifierConfig{
		Hotkey:   cfg.Hotkey,
		Required: cfg.RequireHotkeySig,
		Now:      cfg.Now,
		Allowed: func(synapse string, caller keys.PublicKey) error {
			if synapse == "ChallengeSynapse" && len(validators) > 0 && !slices.Contains(validators, caller) {
				return errors.New("hotkey is not an allowed validator")
			}
			return nil
		},
	})
	mux := http.NewServeMux()
	mux.Handle("POST /IngestSynapse", m.adapt("IngestSynapse", m.ingest))
	mux.Handle("POST /QuerySynapse", m.adapt("QuerySynapse", m.query))
	mux.Handle("POST /ChallengeSynapse", m.adapt("ChallengeSynapse", m.challenge))
	mux.Handle("GET /health", m.adapt("health", m.health))
	mux.Handle("GET /stats", m.adapt("stats", m.statsHandler))
	mux.Handle("GET /retrieve/{cid}", m.adapt("retrieve", m.retrieve))
	mux.Handle("DELETE /retrieve/{cid}", m.adapt("delete", m.delete))
	if cfg.Gatherer != nil {
		prom := promhttp.HandlerFor(cfg.Gatherer, promhttp.HandlerOpts{})
		mux.Handle("GET /metrics", m.adapt("metrics", func(w http.ResponseWriter, r *http.Request) error {
			if !isLoopback(r) {
				return errStatus(http.StatusForbidden, "metrics are served to loopback clients only")
			}
			prom.ServeHTTP(w, r)
			return nil
		}))
	}
	allowed := map[string]string{
		"/IngestSynapse": "POST", "/QuerySynapse": "POST", "/ChallengeSynapse": "POST",
		"/health": "GET", "/stats": "GET", "/metrics": "GET",
	}
	mux.Handle("/", m.adapt("unknown", func(w http.ResponseWriter, r *http.Request) error {
		if allow, ok := allowed[r.URL.Path]; ok {
			w.Header().Set("Allow", allow)
			return errStatus(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use "+allow)
		}
		return errStatus(http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	}))
	m.mux = mux
	return m, nil
}

// Handler returns the miner's HTTP handler.
func (m *Miner) Handler() http.Handler { return m.mux }

// Close stops the miner's goroutines. It does not close the store.
func (m *Miner) Close() { m.batch.close() }

// Run serves on ln until ctx ends, then shuts down gracefully (in-flight
// requests get up to 10 s) and stops the batcher. The caller closes the
// store afterwards, which flushes its log.
func (m *Miner) Run(ctx context.Context, ln net.Listener) error {
	defer m.Close()
	srv := &http.Server{
		Handler:           m.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.cfg.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	m.cfg.Logger.Info("miner serving", "addr", ln.Addr().String(), "hotkey", m.cfg.Hotkey.SS58(),
		"embedder", m.cfg.Embedder.Info().Name, "require_hotkey_sig", m.cfg.RequireHotkeySig)
	select {
	case err := <-errc:
		return fmt.Errorf("miner: serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	m.cfg.Logger.Info("miner stopped", "cause", context.Cause(ctx))
	return err
}

// statusError is an error with an HTTP status for the client.
type statusError struct {
	code       int
	msg        string
	retryAfter time.Duration
}

func (e *statusError) Error() string { return e.msg }

func errStatus(code int, msg string) error { return &statusError{code: code, msg: msg} }

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a handler that returns an error into an http.Handler: a
// *statusError becomes its status and {"error": msg}; anything else is the
// miner's own fault: 500 {"error": "internal error"} with the cause logged.
// Panics are recovered the same way.
func (m *Miner) adapt(route string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := m.cfg.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				m.cfg.Logger.Error("handler panic", attrRoute, route, "panic", p, "stack", string(debug.Stack()))
				if !rec.wrote {
					writeJSON(rec, http.StatusInternalServerError, map[string]string{"error": "internal error"})
				}
			}
			m.m.observe(route, rec.code, m.cfg.Now().Sub(start))
			m.cfg.Logger.Debug("request", attrRoute, route, attrStatus, rec.code, "ms", m.cfg.Now().Sub(start).Milliseconds())
		}()
		err := h(rec, r)
		if err == nil {
			return
		}
		if se, ok := errors.AsType[*statusError](err); ok {
			if se.retryAfter > 0 {
				rec.Header().Set("Retry-After", strconv.Itoa(int((se.retryAfter+time.Second-1)/time.Second)))
			}
			writeJSON(rec, se.code, map[string]string{"error": se.msg})
			return
		}
		m.cfg.Logger.Error("request failed", attrRoute, route, attrErr, err)
		writeJSON(rec, http.StatusInternalServerError, map[string]string{"error": "internal error"})
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code, s.wrote = code, true
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // our own response types always encode
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

// readBody reads at most MaxBodyBytes; more is a 413.
func (m *Miner) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, m.cfg.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, errStatus(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", m.cfg.MaxBodyBytes))
		}
		return nil, errStatus(http.StatusBadRequest, "could not read request body")
	}
	return body, nil
}

// authorize verifies the request signature and applies the rate limit of
// bucket. It returns the verified caller hotkey ("" if anonymous).
func (m *Miner) authorize(w http.ResponseWriter, r *http.Request, synapse, bucket string, body []byte) (string, error) {
	caller, signed, err := m.verifier.Verify(r, synapse, body)
	if err != nil {
		m.m.authFailures.WithLabelValues(synapse).Inc()
		return "", errStatus(axon.StatusCode(err), err.Error())
	}
	if synapse == "ChallengeSynapse" && len(m.cfg.AllowedValidators) > 0 && !signed {
		return "", errStatus(http.StatusForbidden, "challenges must be signed by an allowed validator hotkey")
	}
	key, who := clientIP(r), ""
	if signed {
		who = caller.SS58()
		key = "hk:" + who
	}
	if ok, wait := m.limits[bucket].allow(key, m.cfg.Now()); !ok {
		m.m.rateLimited.WithLabelValues(bucket).Inc()
		kind := "per hotkey"
		if !signed {
			kind = "per client"
		}
		return "", &statusError{code: http.StatusTooManyRequests, retryAfter: wait,
			msg: fmt.Sprintf("Rate limit exceeded: max %d %s requests per %ds %s", m.cfg.RateLimit, bucket, int(m.cfg.RateWindow.Seconds()), kind)}
	}
	return who, nil
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func isLoopback(r *http.Request) bool {
	ip := net.ParseIP(clientIP(r))
	return ip != nil && ip.IsLoopback()
}

func strPtr(s string) *string { return &s }

// readSynapse reads, authorizes (signature and rate limit of bucket) and
// decodes a synapse request. A malformed body becomes a 400; a business
// error is answered through fail, and handled reports that the handler is
// done.
func readSynapse[T any](m *Miner, w http.ResponseWriter, r *http.Request, synapse, bucket string,
	decode func([]byte) (T, error), fail func(string) error) (req T, caller string, handled bool, err error) {
	body, err := m.readBody(w, r)
	if err != nil {
		return req, "", true, err
	}
	if caller, err = m.authorize(w, r, synapse, bucket, body); err != nil {
		return req, "", true, err
	}
	if req, err = decode(body); err != nil {
		if errors.Is(err, protocol.ErrMalformedJSON) {
			return req, "", true, errStatus(http.StatusBadRequest, "invalid JSON body")
		}
		return req, "", true, fail(err.Error())
	}
	return req, caller, false, nil
}

func (m *Miner) ingest(w http.ResponseWriter, r *http.Request) error {
	fail := func(msg string) error {
		m.m.ingests.WithLabelValues("rejected").Inc()
		writeJSON(w, http.StatusOK, protocol.IngestResponse{Error: strPtr(msg)})
		return nil
	}
	req, caller, handled, err := readSynapse(m, w, r, "IngestSynapse", "ingest", protocol.DecodeIngest, fail)
	if handled {
		return err
	}
	if req.Namespace != protocol.PublicNamespace {
		return fail("private namespaces are not served by this miner: omit namespace to use the public namespace")
	}
	vec := req.RawEmbedding
	if req.Text != "" {
		if vec, err = m.batch.embed(r.Context(), req.Text); err != nil {
			return m.embedFailure(err, fail)
		}
	}
	cid, err := protocol.CID(vec, req.Metadata, req.ModelVersion)
	if err != nil {
		return fail(err.Error())
	}
	res, err := m.cfg.Store.Put(r.Context(), vecstore.Record{
		Namespace: req.Namespace, CID: cid, Vector: vec, Metadata: req.Metadata, Ingester: caller,
	})
	if err != nil {
		return fmt.Errorf("store put: %w", err)
	}
	outcome := "stored"
	if res[0].Existed {
		outcome = "duplicate"
	}
	m.m.ingests.WithLabelValues(outcome).Inc()
	m.cfg.Logger.Debug("ingested", attrCID, cid, attrCaller, caller, "duplicate", res[0].Existed)
	writeJSON(w, http.StatusOK, protocol.IngestResponse{CID: &cid})
	return nil
}

// embedFailure reports an embedding error: an empty text is the client's,
// a full queue is a 503, anything else is the miner's fault.
func (m *Miner) embedFailure(err error, fail func(string) error) error {
	switch {
	case errors.Is(err, embed.ErrEmptyText):
		return fail("text has no words to embed")
	case errors.Is(err, errBusy):
		return errStatus(http.StatusServiceUnavailable, "miner is busy embedding; retry shortly")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return errStatus(http.StatusServiceUnavailable, "request cancelled while embedding")
	}
	return fmt.Errorf("embed: %w", err)
}

func (m *Miner) query(w http.ResponseWriter, r *http.Request) error {
	start := m.cfg.Now()
	fail := func(msg string) error {
		writeJSON(w, http.StatusOK, protocol.QueryResponse{Results: []protocol.QueryResult{}, Error: strPtr(msg)})
		return nil
	}
	req, _, handled, err := readSynapse(m, w, r, "QuerySynapse", "query", protocol.DecodeQuery, fail)
	if handled {
		return err
	}
	if req.Namespace != protocol.PublicNamespace {
		return fail("private namespaces are not served by this miner: omit namespace to query the public namespace")
	}
	q := req.QueryVector
	if req.QueryText != "" {
		if q, err = m.batch.embed(r.Context(), req.QueryText); err != nil {
			return m.embedFailure(err, fail)
		}
	}
	var filter func(json.RawMessage) bool
	if !req.Filter.IsZero() {
		filter = req.Filter.Match
	}
	hits := m.cfg.Store.Search(req.Namespace, protocol.Normalize(q), req.TopK, filter)
	results := make([]protocol.QueryResult, len(hits))
	for i, h := range hits {
		results[i] = protocol.QueryResult{CID: h.CID, Score: float64(h.Score), Metadata: h.Metadata, TrustTier: "anonymous"}
	}
	elapsed := m.cfg.Now().Sub(start)
	ms := float64(elapsed.Microseconds()) / 1000
	m.stats.query(m.cfg.Now(), ms)
	writeJSON(w, http.StatusOK, protocol.QueryResponse{Results: results, LatencyMS: &ms})
	return nil
}

func (m *Miner) challenge(w http.ResponseWriter, r *http.Request) error {
	fail := func(msg string) error {
		m.stats.challenge(false)
		m.m.challenges.WithLabelValues("error").Inc()
		writeJSON(w, http.StatusOK, protocol.ChallengeResponse{Error: strPtr(msg)})
		return nil
	}
	req, _, handled, err := readSynapse(m, w, r, "ChallengeSynapse", "other", protocol.DecodeChallenge, fail)
	if handled {
		return err
	}
	if req.Expired(m.cfg.Now()) {
		return fail("challenge expired: expires_at is in the past; request a fresh challenge")
	}
	rec, ok := m.cfg.Store.Get(protocol.PublicNamespace, req.CID)
	if !ok {
		return fail("unknown cid: this miner does not hold " + req.CID)
	}
	hash := protocol.EmbeddingHash(rec.Vector)
	proof := protocol.Proof(req.Nonce, hash)
	m.stats.challenge(true)
	m.m.challenges.WithLabelValues("proved").Inc()
	writeJSON(w, http.StatusOK, protocol.ChallengeResponse{EmbeddingHash: &hash, Proof: &proof})
	return nil
}

func (m *Miner) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"status":       "ok",
		"hotkey":       m.hotkey(),
		"spec_version": protocol.SpecVersion,
		"embedder":     m.cfg.Embedder.Info(),
	})
	return nil
}

func (m *Miner) hotkey() any {
	if m.cfg.Hotkey.IsZero() {
		return nil
	}
	return m.cfg.Hotkey.SS58()
}

func (m *Miner) statsHandler(w http.ResponseWriter, r *http.Request) error {
	now := m.cfg.Now()
	snap := m.stats.snapshot(now)
	uptime := min(1, now.Sub(m.started).Seconds()/86400)
	var index any
	if st, ok := m.cfg.Store.(interface{ Stats() vecstore.Stats }); ok {
		index = st.Stats()
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"index":          index,
		"status":         "ok",
		"vectors":        m.cfg.Store.Len(),
		"peers":          0,
		"uid":            nil,
		"queries_today":  snap.queriesToday,
		"p50_latency_ms": snap.p50,
		"proof_rate":     snap.proofRate,
		"challenges":     map[string]int{"received": snap.received, "proved": snap.proved, "failed": snap.received - snap.proved},
		"uptime_pct":     round(uptime, 4),
		"block":          nil,
		"avg_score":      snap.proofRate,
		"hotkey":         m.hotkey(),
		"embedder":       m.cfg.Embedder.Info(),
	})
	return nil
}

func (m *Miner) retrieve(w http.ResponseWriter, r *http.Request) error {
	cid := r.PathValue("cid")
	if err := protocol.ValidateCID(cid); err != nil {
		return errStatus(http.StatusBadRequest, err.Error())
	}
	rec, ok := m.cfg.Store.Get(protocol.PublicNamespace, cid)
	if !ok {
		return errStatus(http.StatusNotFound, "not found")
	}
	writeJSON(w, http.StatusOK, map[string]any{"cid": cid, "metadata": rec.Metadata})
	return nil
}

// delete removes a public record: allowed from loopback (the operator) or
// when signed (DeleteSynapse) by the hotkey that ingested it.
func (m *Miner) delete(w http.ResponseWriter, r *http.Request) error {
	cid := r.PathValue("cid")
	if err := protocol.ValidateCID(cid); err != nil {
		return errStatus(http.StatusBadRequest, err.Error())
	}
	body, err := m.readBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body, _ = json.Marshal(map[string]string{"cid": cid})
	}
	var b struct {
		CID string `json:"cid"`
	}
	if json.Unmarshal(body, &b) != nil || b.CID != cid {
		return errStatus(http.StatusBadRequest, `body must be {"cid": "<the cid in the path>"} or empty`)
	}
	caller := ""
	if !isLoopback(r) || r.Header.Get(axon.HeaderDendriteSig) != "" {
		if caller, err = m.authorize(w, r, "DeleteSynapse", "other", body); err != nil {
			return err
		}
	}
	rec, ok := m.cfg.Store.Get(protocol.PublicNamespace, cid)
	if !ok {
		return errStatus(http.StatusNotFound, "not found")
	}
	if !isLoopback(r) && (caller == "" || caller != rec.Ingester) {
		return errStatus(http.StatusForbidden, "only the operator (loopback) or the hotkey that ingested a record may delete it")
	}
	if _, err := m.cfg.Store.Delete(r.Context(), protocol.PublicNamespace, cid); err != nil {
		return fmt.Errorf("store delete: %w", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"deleted": true, "cid": cid})
	return nil
}
