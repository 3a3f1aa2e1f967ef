package ledgerhttp

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

type server struct {
	store *Store
	srv   *httptest.Server
	now   atomic.Uint64
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{store: open(t, t.TempDir(), 5)}
	s.now.Store(genesisMs - 1)
	h := NewHandler(s.store, HandlerConfig{Now: func() time.Time { return time.UnixMilli(int64(s.now.Load())) }})
	s.srv = httptest.NewServer(h)
	t.Cleanup(func() {
		s.srv.Close()
		s.store.Close()
	})
	return s
}

func TestHandlerFlow(t *testing.T) {
	s := newServer(t)
	ctx := t.Context()
	client := func(sender string) *Client { return NewClient(s.srv.URL, sender, s.srv.Client()) }
	admin, m0, v0, agg := client("admin"), client("m0"), client("v0"), client("agg")

	if err := admin.Premint(ctx, []ledger.Allocation{{Address: "m0", Amount: 10 * vram}, {Address: "v0", Amount: 5_000 * vram}}); err != nil {
		t.Fatal(err)
	}
	uid, err := m0.RegisterPeer(ctx, vram, ledger.Credentials{Bucket: "b0"})
	if err != nil || uid != 0 {
		t.Fatalf("RegisterPeer = %d, %v, want 0, nil", uid, err)
	}
	vuid, ticket, err := v0.RegisterValidator(ctx, 10*vram)
	if err != nil || vuid != 1 || ticket.Slot != 1 || ticket.Burned != 2_100*vram {
		t.Fatalf("RegisterValidator = %d, %+v, %v", vuid, ticket, err)
	}
	pub := encl.Public().(ed25519.PublicKey)
	if err := v0.RegisterEnclave(ctx, vuid, pub, ledger.DevDocument([3][]byte{pcrs[0], pcrs[1], pcrs[2]}, pub)); err != nil {
		t.Fatal(err)
	}

	// Window 0 upload phase: the server stamps the time.
	s.now.Store(at(0, 10))
	g := ledger.GradientUpload{Key: ledger.GradientKey(0, 0), ContentHash: ledger.Hash{9}, Size: 10, Checkpoint: ckpt0}
	if err := m0.SubmitGradient(ctx, 0, 0, g); err != nil {
		t.Fatal(err)
	}
	scores := []ledger.UIDScore{{UID: 0, Score: 42}}
	msg, _ := ledger.ScoreMessage("vramhub-dev", vuid, 0, ckpt0, scores)
	sub := ledger.ScoreSubmission{Checkpoint: ckpt0, Scores: scores, EnclaveKey: ledger.HexBytes(pub), Signature: ed25519.Sign(encl, msg)}
	if err := v0.SubmitScores(ctx, vuid, 0, sub); !errors.Is(err, ledger.ErrScoresTooEarly) {
		t.Fatalf("SubmitScores(upload phase) = %v, want ErrScoresTooEarly", err)
	}
	s.now.Store(at(0, putMs))
	if err := v0.SubmitScores(ctx, vuid, 0, sub); err != nil {
		t.Fatal(err)
	}
	if err := v0.SubmitScores(ctx, vuid, 0, sub); !errors.Is(err, ledger.ErrDuplicateSubmission) {
		t.Fatalf("SubmitScores(again) = %v, want ErrDuplicateSubmission", err)
	}
	if _, err := agg.Finalize(ctx, 0); !errors.Is(err, ledger.ErrWindowNotClosed) {
		t.Fatalf("Finalize(open window) = %v, want ErrWindowNotClosed", err)
	}
	s.now.Store(at(1, 0))
	if err := v0.SubmitScores(ctx, vuid, 0, sub); !errors.Is(err, ledger.ErrWindowClosed) {
		t.Fatalf("SubmitScores(late) = %v, want ErrWindowClosed", err)
	}
	rec, err := agg.Finalize(ctx, 0)
	if err != nil || rec.Emission != 70*vram || rec.Miners[0].Amount != 50_001_000_000 {
		t.Fatalf("Finalize = %+v, %v", rec, err)
	}
	if err := agg.RecordAggregation(ctx, 0, ledger.Hash{1}, "aggregation-0.pt"); err != nil {
		t.Fatal(err)
	}
	if err := agg.AnchorCheckpoint(ctx, 2, ledger.Hash{2}, "checkpoint-2-v1.pt"); err != nil {
		t.Fatal(err)
	}

	l, err := m0.Ledger(ctx, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.store.Snapshot()
	if got, _ := l.Snapshot(); !bytes.Equal(got, want) {
		t.Error("client ledger copy differs from the server state")
	}
	if b := l.Balance("m0"); b != 9*vram+50_001_000_000 {
		t.Errorf("Balance(m0) = %d, want %d", b, 9*vram+50_001_000_000)
	}
	evs, err := m0.Events(ctx, 0)
	if err != nil || len(evs) == 0 {
		t.Fatalf("Events = %d, %v", len(evs), err)
	}
	last, err := m0.Events(ctx, evs[len(evs)-1].Seq)
	if err != nil || len(last) != 1 {
		t.Errorf("Events(last) = %v, %v, want one event", last, err)
	}
	ck, err := m0.Clock(ctx)
	if err != nil || ck.Window != 1 || !ck.Started || ck.NowMs != at(1, 0) {
		t.Errorf("Clock = %+v, %v", ck, err)
	}
}

func TestHandlerErrors(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		code   ledger.Code
	}{
		{"not admin", "POST", "/v1/ops/premint", `{"sender":"eve"}`, http.StatusForbidden, ledger.CodeNotAdmin},
		{"insufficient", "POST", "/v1/ops/transfer", `{"sender":"eve","to":"bob","amount":1}`, http.StatusUnprocessableEntity, ledger.CodeInsufficientBalance},
		{"unknown peer", "POST", "/v1/ops/slash", `{"sender":"admin","uid":7}`, http.StatusNotFound, ledger.CodeUnknownPeer},
		{"unknown op", "POST", "/v1/ops/mint", `{"sender":"admin"}`, http.StatusUnprocessableEntity, ledger.CodeBadParams},
		{"bad json", "POST", "/v1/ops/transfer", `{"sender":`, http.StatusBadRequest, 0},
		{"unknown field", "POST", "/v1/ops/transfer", `{"sendr":"x"}`, http.StatusBadRequest, 0},
		{"bad hex", "POST", "/v1/ops/anchor_checkpoint", `{"sender":"agg","hash":"zz"}`, http.StatusBadRequest, 0},
		{"bad since", "GET", "/v1/events?since=-1", ``, http.StatusBadRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, s.srv.URL+tt.path, strings.NewReader(tt.body))
			resp, err := s.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var eb ErrorBody
			if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
				t.Fatalf("decode error body: %v", err)
			}
			if resp.StatusCode != tt.status || eb.Error == "" || ledger.Code(eb.Code) != tt.code {
				t.Errorf("%s %s = %d %+v, want %d code %v", tt.method, tt.path, resp.StatusCode, eb, tt.status, tt.code)
			}
		})
	}
	if s.store.Seq() != 0 {
		t.Errorf("Seq() = %d after only rejected ops, want 0", s.store.Seq())
	}
}

func TestHandlerTrustClientTime(t *testing.T) {
	st := open(t, t.TempDir(), -1)
	defer st.Close()
	srv := httptest.NewServer(NewHandler(st, HandlerConfig{TrustClientTime: true, Now: func() time.Time { return time.UnixMilli(1) }}))
	defer srv.Close()
	c := NewClient(srv.URL, "", srv.Client())
	for _, op := range ops(1) {
		c.Apply(context.Background(), op)
	}
	var next uint64
	st.View(func(l *ledger.Ledger) { next = l.NextFinalize() })
	if next != 1 {
		t.Errorf("NextFinalize() = %d after a replayed window with client times, want 1", next)
	}
}
