package validator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/engram/corpus"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	engramminer "github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// memTransport routes requests to in-process handlers by host, so a test
// can run miners and the validator inside a synctest bubble without
// sockets.
type memTransport map[string]http.Handler

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h, ok := m[r.URL.Host]
	if !ok {
		return nil, &netError{host: r.URL.Host}
	}
	sr := r.Clone(r.Context())
	sr.RemoteAddr = "192.0.2.1:40000"
	sr.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, sr)
	return rec.Result(), nil
}

type netError struct{ host string }

func (e *netError) Error() string { return "dial " + e.host + ": connection refused" }

// recordingChain reads the metagraph from a devchain and records when
// weights are set.
type recordingChain struct {
	c  *devchain.Chain
	mu sync.Mutex
	at []time.Time
}

func (r *recordingChain) Metagraph(_ context.Context, netuid uint16) (*chain.Metagraph, error) {
	return r.c.Metagraph(netuid)
}

func (r *recordingChain) SetWeights(_ context.Context, _ uint16, uids, _ []uint16, _ uint64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at = append(r.at, time.Now())
	return nil
}

func TestRunCadence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dc, _ := devchain.New(devchain.Config{})
		dc.CreateSubnet(450, devchain.SubnetParams{})
		val, _ := keys.FromURI("//Alice")
		dc.Register(450, val.PublicKey(), val.PublicKey())
		tr := memTransport{}
		for i := range 3 {
			kp, _ := keys.FromURI("//Run" + string(rune('a'+i)))
			st, err := vecstore.Open(t.Context(), vecstore.Config{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			m, err := engramminer.New(engramminer.Config{Store: st, Embedder: embed.Lexical{}, Hotkey: kp.PublicKey(), RateLimit: -1, RequireHotkeySig: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close(); st.Close() })
			addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 51, 100, byte(10 + i)}), 8091)
			tr[addr.String()] = m.Handler()
			dc.Register(450, kp.PublicKey(), kp.PublicKey())
			dc.ServeAxon(450, kp.PublicKey(), addr)
		}
		dc.Commit()
		set, err := corpus.Build(t.Context(), embed.Lexical{}, corpus.Sample()[:20], 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		rc := &recordingChain{c: dc}
		reg := prometheus.NewRegistry()
		v, err := New(Config{Chain: rc, Signer: val, Corpus: set, HTTP: &http.Client{Transport: tr},
			EvalInterval: 2 * time.Minute, ChallengeInterval: 5 * time.Minute, WeightsInterval: 5 * time.Minute, Registerer: reg, DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithCancel(t.Context())
		var reports []Report
		done := make(chan error)
		go func() { done <- v.Run(ctx, func(r Report) { reports = append(reports, r) }) }()
		time.Sleep(10*time.Minute + time.Second)
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run = %v", err)
		}
		// Rounds at 0, 2, 4, 6, 8 and 10 minutes; weights at 0 and 6 (the
		// first round at least WeightsInterval after the last weights).
		if len(reports) != 6 {
			t.Fatalf("Run made %d rounds in 10 minutes, want 6", len(reports))
		}
		var got []time.Duration
		for _, at := range rc.at {
			got = append(got, at.Sub(start))
		}
		if len(got) != 2 || got[0] != 0 || got[1] != 6*time.Minute {
			t.Fatalf("weights set at %v, want [0s 6m0s]", got)
		}
		for _, m := range reports[len(reports)-1].Miners {
			if m.Recall != 1 || m.ProofRate != 1 {
				t.Errorf("miner %d after 6 rounds = %+v, want full recall and proofs", m.UID, m)
			}
		}
		if n := testutil.ToFloat64(v.metrics.rounds.WithLabelValues("ok")); n != 6 {
			t.Errorf("engram_validator_rounds_total{result=ok} = %v, want 6", n)
		}
		if n := testutil.ToFloat64(v.metrics.weights.WithLabelValues("set")); n != 2 {
			t.Errorf("engram_validator_weights_total{result=set} = %v, want 2", n)
		}
		// Challenges in the rounds at 0 and 6 minutes: 3 miners × 1 each.
		if n := testutil.ToFloat64(v.metrics.requests.WithLabelValues("ChallengeSynapse", "ok")); n != 6 {
			t.Errorf("challenge requests = %v, want 6 (two challenged rounds)", n)
		}
		if n := testutil.ToFloat64(v.metrics.serving); n != 3 {
			t.Errorf("engram_validator_miners_serving = %v, want 3", n)
		}
		if n := testutil.CollectAndCount(v.metrics.minerWeight); n != 3 {
			t.Errorf("engram_validator_miner_weight has %d series, want 3", n)
		}
		if n, err := testutil.GatherAndCount(reg, "engram_validator_requests_total"); err != nil || n == 0 {
			t.Errorf("engram_validator_requests_total not registered: %d, %v", n, err)
		}
	})
}
