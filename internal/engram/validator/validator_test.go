package validator

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/engram/corpus"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	engramminer "github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// network starts n real miners on loopback and a devchain with them and a
// staked validator registered.
func network(t *testing.T, n int) (*devchain.Chain, *keys.Keypair, []*httptest.Server) {
	t.Helper()
	ch, _ := devchain.New(devchain.Config{})
	ch.CreateSubnet(450, devchain.SubnetParams{WeightsSetRateLimit: 1})
	val, _ := keys.FromURI("//Alice")
	ch.Register(450, val.PublicKey(), val.PublicKey())
	ch.AddStake(450, val.PublicKey(), 1e12)
	var srvs []*httptest.Server
	for i := range n {
		kp, _ := keys.FromURI("//M" + string(rune('a'+i)))
		st, err := vecstore.Open(t.Context(), vecstore.Config{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		m, err := engramminer.New(engramminer.Config{Store: st, Embedder: embed.Lexical{}, Hotkey: kp.PublicKey(), RateLimit: -1, RequireHotkeySig: true})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(m.Handler())
		t.Cleanup(func() { srv.Close(); m.Close(); st.Close() })
		srvs = append(srvs, srv)
		ch.Register(450, kp.PublicKey(), kp.PublicKey())
		ch.ServeAxon(450, kp.PublicKey(), netip.MustParseAddrPort(srv.Listener.Addr().String()))
	}
	ch.Commit()
	return ch, val, srvs
}

func TestHonestMinersAndADownOne(t *testing.T) {
	ch, val, srvs := network(t, 4)
	// Miner 4 goes down: its listener answers nothing.
	down := srvs[3]
	down.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		c, _, _ := hj.Hijack()
		c.Close()
	})
	set, err := corpus.Build(t.Context(), embed.Lexical{}, corpus.Sample(), 60, 2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	v, err := New(Config{Chain: ch.Client(val), Signer: val, Corpus: set, AllowLoopback: true, DataDir: dir,
		ChallengesPerRound: 5, QueryTimeout: time.Second, ChallengeTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := v.Round(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.WeightsSet || len(rep.Miners) != 4 {
		t.Fatalf("report = %+v", rep)
	}
	for _, m := range rep.Miners {
		if m.UID == 4 {
			if m.Composite != 0 || m.Weight != 0 || m.LatencyKnown {
				t.Errorf("down miner = %+v, want score 0", m)
			}
			continue
		}
		if m.Recall != 1 || m.ProofRate != 1 || m.Held == 0 {
			t.Errorf("honest miner %d = %+v", m.UID, m)
		}
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("round took %v with a down miner", el)
	}
	if w := ch.Weights(450, 0); w[4] != 0 || w[1] == 0 {
		t.Errorf("chain weights = %v", w)
	}
	// A restarted validator keeps its state: no reseeding needed, same holdings.
	v2, err := New(Config{Chain: ch.Client(val), Signer: val, Corpus: set, AllowLoopback: true, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(v2.st.Held) != len(v.st.Held) || len(v2.st.Score.Miners) != 4 {
		t.Fatalf("restored state = %d holders, %d scored miners", len(v2.st.Held), len(v2.st.Score.Miners))
	}
}

func TestSSRFGuardSkipsLoopback(t *testing.T) {
	ch, val, _ := network(t, 2)
	set, _ := corpus.Build(t.Context(), embed.Lexical{}, corpus.Sample()[:12], 0, 1)
	v, _ := New(Config{Chain: ch.Client(val), Signer: val, Corpus: set})
	mg, _ := ch.Metagraph(450)
	if got := v.serving(mg); len(got) != 0 {
		t.Fatalf("loopback axons served without AllowLoopback: %v", got)
	}
}
