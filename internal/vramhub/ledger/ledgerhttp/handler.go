package ledgerhttp

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// maxBody bounds a request body.
const maxBody = 4 << 20

// HandlerConfig configures [NewHandler].
type HandlerConfig struct {
	// Now is the ledger clock; nil means time.Now.
	Now func() time.Time
	// TrustClientTime uses a request's non-zero now_ms instead of the
	// server clock (tests and simulations only).
	TrustClientTime bool
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// ErrorBody is the JSON body of every non-2xx answer.
type ErrorBody struct {
	Error  string `json:"error"`
	Code   uint16 `json:"code,omitempty"`
	Name   string `json:"name,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Clock is the body of GET /v1/clock.
type Clock struct {
	NowMs   uint64 `json:"now_ms"`
	Window  uint64 `json:"window"`
	Started bool   `json:"started"`
}

type httpError struct {
	status int
	body   ErrorBody
	cause  error
}

func (e *httpError) Error() string { return e.body.Error }

type handler struct {
	s   *Store
	cfg HandlerConfig
	log *slog.Logger
}

// NewHandler serves s over HTTP (routes in the package doc).
func NewHandler(s *Store, cfg HandlerConfig) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &handler{s: s, cfg: cfg, log: cfg.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.log = h.log.With("component", "ledgerhttp")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/ops/{type}", h.adapt(h.op))
	mux.HandleFunc("GET /v1/state", h.adapt(h.state))
	mux.HandleFunc("GET /v1/events", h.adapt(h.events))
	mux.HandleFunc("GET /v1/clock", h.adapt(h.clock))
	return mux
}

func (h *handler) nowMs() uint64 { return uint64(h.cfg.Now().UnixMilli()) }

// adapt writes a handler's value as JSON, or its error as an ErrorBody.
func (h *handler) adapt(fn func(r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		status := http.StatusOK
		if err != nil {
			he, ok := errors.AsType[*httpError](err)
			if !ok {
				he = &httpError{status: http.StatusInternalServerError, body: ErrorBody{Error: "internal error"}, cause: err}
			}
			if he.status >= 500 {
				h.log.Error("request failed", "path", r.URL.Path, "err", he.cause)
			}
			status, v = he.status, he.body
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
}

func badRequest(msg string) error {
	return &httpError{status: http.StatusBadRequest, body: ErrorBody{Error: msg}}
}

func (h *handler) op(r *http.Request) (any, error) {
	var op ledger.Op
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&op); err != nil {
		return nil, badRequest("decode op: " + err.Error())
	}
	op.Type = ledger.OpType(r.PathValue("type"))
	if !h.cfg.TrustClientTime || op.NowMs == 0 {
		op.NowMs = h.nowMs()
	}
	res, err := h.s.Apply(op)
	if re, ok := errors.AsType[*ledger.RejectError](err); ok {
		return nil, &httpError{status: rejectStatus(re.Code), body: ErrorBody{
			Error: re.Error(), Code: uint16(re.Code), Name: re.Code.String(), Detail: re.Detail,
		}}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// rejectStatus maps a rejection to an HTTP status: 403 for authority, 409
// for conflicts with existing state, 422 for the rest.
func rejectStatus(c ledger.Code) int {
	switch c {
	case ledger.CodeNotAdmin, ledger.CodeNotAggregator, ledger.CodeNotOwner:
		return http.StatusForbidden
	case ledger.CodeAlreadyRegistered, ledger.CodeDuplicateGradient, ledger.CodeDuplicateContent,
		ledger.CodeDuplicateSubmission, ledger.CodeEnclaveKeyInUse, ledger.CodeAlreadyFinalized,
		ledger.CodeAlreadyPreminted:
		return http.StatusConflict
	case ledger.CodeUnknownPeer:
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

func (h *handler) state(*http.Request) (any, error) {
	b, err := h.s.Snapshot()
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

func (h *handler) events(r *http.Request) (any, error) {
	var since uint64
	if q := r.URL.Query().Get("since"); q != "" {
		var err error
		if since, err = strconv.ParseUint(q, 10, 64); err != nil {
			return nil, badRequest("since: " + err.Error())
		}
	}
	var evs []ledger.Event
	h.s.View(func(l *ledger.Ledger) { evs = l.Events(since) })
	if evs == nil {
		evs = []ledger.Event{}
	}
	return evs, nil
}

func (h *handler) clock(*http.Request) (any, error) {
	c := Clock{NowMs: h.nowMs()}
	h.s.View(func(l *ledger.Ledger) { c.Window, c.Started = l.Window(c.NowMs) })
	return c, nil
}
