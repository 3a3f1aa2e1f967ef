package sidecar

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

func tinyModel(t *testing.T) *model.Model {
	t.Helper()
	m, err := model.New(model.Config{Vocab: data.ByteVocab, Context: 16, Layers: 1, Width: 16, Heads: 2, MLPRatio: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func batch(uid, window uint64) ([][]int32, error) {
	return data.Batch(data.Seed(uid, window), data.CorpusTokens(), 2, 17, data.ByteVocab)
}

func newServer(t *testing.T, frac float64) (*httptest.Server, *model.Model) {
	t.Helper()
	m := tinyModel(t)
	s, err := NewServer(ServerConfig{Model: m.Clone(), Batch: batch, Stage1Fraction: frac})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, m
}

func TestTrainMatchesModel(t *testing.T) {
	srv, ref := newServer(t, 1)
	c := &Client{URL: srv.URL}
	h, err := c.WaitHealthy(t.Context(), time.Millisecond)
	if err != nil || h.NumParams != ref.NumParams() || h.Model != ref.ID() || h.VocabSize != data.ByteVocab {
		t.Fatalf("Health = %+v, %v", h, err)
	}
	loss, g, err := c.Train(t.Context(), 3, 9)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := batch(3, 9)
	wantLoss, wantG, err := ref.Gradient(b)
	if err != nil {
		t.Fatal(err)
	}
	if loss != wantLoss || len(g) != len(wantG) {
		t.Fatalf("Train = %v (%d entries), want %v (%d)", loss, len(g), wantLoss, len(wantG))
	}
	for i := range g {
		if g[i] != wantG[i] {
			t.Fatalf("gradient[%d] = %v, want %v", i, g[i], wantG[i])
		}
	}
	// Training reports the gradient without changing the weights.
	if l, err := c.ForwardLoss(t.Context(), 3, 9); err != nil || l != wantLoss {
		t.Fatalf("ForwardLoss after Train = %v, %v; want %v", l, err, wantLoss)
	}
}

func TestStage1KeepsLargest(t *testing.T) {
	srv, ref := newServer(t, 0.01)
	_, g, err := (&Client{URL: srv.URL}).Train(t.Context(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	nz := 0
	for _, x := range g {
		if x != 0 {
			nz++
		}
	}
	want := (ref.NumParams() + 99) / 100
	if nz == 0 || nz > want {
		t.Fatalf("stage 1 kept %d entries, want ≤ %d and > 0", nz, want)
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	srv, ref := newServer(t, 1)
	c := &Client{URL: srv.URL}
	body := ref.CheckpointBody()
	body[0] ^= 0x40 // a different parameter value
	if err := c.LoadCheckpoint(t.Context(), body); err != nil {
		t.Fatal(err)
	}
	got, err := c.SaveCheckpoint(t.Context())
	if err != nil || string(got) != string(body) {
		t.Fatalf("SaveCheckpoint after Load differs (%v)", err)
	}
	if err := c.LoadCheckpoint(t.Context(), body[:8]); err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("LoadCheckpoint(short) err = %v, want HTTP 400", err)
	}
}

func TestBadRequests(t *testing.T) {
	srv, _ := newServer(t, 1)
	tests := []struct {
		name, method, path, body string
		code                     int
	}{
		{"missing uid", "POST", "/train", `{"window":1}`, 400},
		{"missing window", "POST", "/forward_loss", `{"uid":1}`, 400},
		{"not json", "POST", "/train", `{`, 400},
		{"unknown field", "POST", "/train", `{"uid":1,"window":1,"x":2}`, 400},
		{"bad format", "POST", "/load_checkpoint", `{"format":"bf16","data":""}`, 400},
		{"bad base64", "POST", "/load_checkpoint", `{"format":"f32le","data":"!!"}`, 400},
		{"unknown route", "POST", "/nope", `{}`, 404},
		{"get train", "GET", "/train", ``, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.code {
				t.Fatalf("%s %s %s = %d, want %d", tt.method, tt.path, tt.body, resp.StatusCode, tt.code)
			}
		})
	}
}
