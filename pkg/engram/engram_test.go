package engram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

type testMiner struct {
	srv   *httptest.Server
	store *vecstore.Store
	hk    string
}

func startMiners(t *testing.T, n int) []testMiner {
	t.Helper()
	var out []testMiner
	for i := range n {
		kp, _ := keys.FromURI("//SDK" + string(rune('A'+i)))
		st, err := vecstore.Open(t.Context(), vecstore.Config{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		m, err := miner.New(miner.Config{Store: st, Embedder: embed.Lexical{}, Hotkey: kp.PublicKey(), RateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(m.Handler())
		t.Cleanup(func() { srv.Close(); m.Close(); st.Close() })
		out = append(out, testMiner{srv, st, kp.SS58()})
	}
	return out
}

func unitVec(i int) []float32 {
	v := make([]float32, protocol.EmbeddingDim)
	v[i%384] = 1
	v[(i*13+5)%384] = 0.5
	return protocol.Normalize(v)
}

func TestIngestLandsOnReplicasAndQueryMerges(t *testing.T) {
	ms := startMiners(t, 5)
	var opts Options
	for _, m := range ms {
		opts.Miners = append(opts.Miners, Miner{URL: m.srv.URL, Hotkey: m.hk})
	}
	alice, _ := keys.FromURI("//Alice")
	opts.Signer = alice
	c, err := New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var cids []string
	for i := range 20 {
		res, err := c.IngestVector(t.Context(), unitVec(i), map[string]any{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replicas) != 3 {
			t.Fatalf("ingest %d acknowledged by %v, want 3 replicas", i, res.Replicas)
		}
		want := map[string]bool{}
		for _, r := range c.replicas(res.CID) {
			want[r.URL] = true
		}
		for _, m := range ms {
			_, held := m.store.Get(protocol.PublicNamespace, res.CID)
			if held != want[m.srv.URL] {
				t.Fatalf("cid %s held by %s = %v, want %v", res.CID, m.srv.URL, held, want[m.srv.URL])
			}
		}
		cids = append(cids, res.CID)
	}
	res, err := c.QueryVector(t.Context(), unitVec(7), 5)
	if err != nil || len(res) != 5 || res[0].CID != cids[7] || len(res[0].Miners) != 3 {
		t.Fatalf("QueryVector = %+v, %v", res, err)
	}
	proofs, err := c.Challenge(t.Context(), cids[7], unitVec(7))
	if err != nil || len(proofs) != 3 {
		t.Fatalf("Challenge = %v, %v", proofs, err)
	}
	for u, ok := range proofs {
		if !ok {
			t.Errorf("replica %s failed its proof", u)
		}
	}
	rec, err := c.Retrieve(t.Context(), cids[7])
	if err != nil || rec.CID != cids[7] {
		t.Fatalf("Retrieve = %+v, %v", rec, err)
	}
	// One miner down: queries still answer from the others.
	ms[0].srv.Close()
	if res, err := c.QueryVector(t.Context(), unitVec(3), 3); err != nil || len(res) == 0 {
		t.Fatalf("query with a miner down = %v, %v", res, err)
	}
}

func TestTypedErrors(t *testing.T) {
	limited := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		http.Error(w, `{"error":"Rate limit exceeded"}`, http.StatusTooManyRequests)
	}))
	defer limited.Close()
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"cid":"v1::` + "00000000000000000000000000000000000000000000000000000000000000aa" + `","error":null}`))
	}))
	defer liar.Close()
	c, _ := New(t.Context(), Options{Miners: []Miner{{URL: limited.URL}}})
	_, err := c.IngestVector(t.Context(), unitVec(1), nil)
	if rl, ok := errors.AsType[*RateLimitedError](err); !ok || rl.RetryAfter.Seconds() != 7 {
		t.Fatalf("429: err = %v, want RateLimitedError with 7s", err)
	}
	c, _ = New(t.Context(), Options{Miners: []Miner{{URL: liar.URL}}})
	if _, err := c.IngestVector(t.Context(), unitVec(1), nil); !errors.Is(err, ErrInvalidCID) {
		t.Fatalf("wrong CID: err = %v, want ErrInvalidCID", err)
	}
	c, _ = New(t.Context(), Options{Miners: []Miner{{URL: "http://127.0.0.1:1"}}})
	if _, err := c.QueryVector(t.Context(), unitVec(1), 3); !isOffline(err) {
		t.Fatalf("unreachable: err = %v, want MinerOfflineError", err)
	}
	if _, err := New(t.Context(), Options{}); !errors.Is(err, ErrNoMiners) {
		t.Fatalf("no miners: %v", err)
	}
}

func isOffline(err error) bool { _, ok := errors.AsType[*MinerOfflineError](err); return ok }

func TestDiscoveryFromChain(t *testing.T) {
	ms := startMiners(t, 2)
	ch, _ := devchain.New(devchain.Config{})
	ch.CreateSubnet(450, devchain.SubnetParams{})
	for _, m := range ms {
		pk, _ := keys.ParseSS58(m.hk)
		ch.Register(450, pk, pk)
		ch.ServeAxon(450, pk, netip.MustParseAddrPort(m.srv.Listener.Addr().String()))
	}
	alice, _ := keys.FromURI("//Alice")
	c, err := New(context.Background(), Options{Chain: ch.Client(alice)})
	if err != nil || len(c.Miners()) != 2 {
		t.Fatalf("discovered %v, %v", c.Miners(), err)
	}
}
