package devchain

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/subnetkit/subnetkit/internal/keys"
)

func TestHTTPRoundTrip(t *testing.T) {
	c, _ := New(Config{})
	c.CreateSubnet(450, SubnetParams{WeightsSetRateLimit: 1})
	srv := httptest.NewServer(c.Handler(HandlerConfig{Faucet: true}))
	defer srv.Close()
	alice, _ := keys.FromURI("//Alice")
	rc, err := Dial(t.Context(), srv.URL, alice, nil)
	if err != nil {
		t.Fatal(err)
	}
	if uid, err := rc.Register(t.Context(), 450); err != nil || uid != 0 {
		t.Fatalf("Register = %d, %v", uid, err)
	}
	body, _ := json.Marshal(faucetArgs{NetUID: 450, Hotkey: alice.PublicKey(), Stake: 1e12})
	if resp, err := http.Post(srv.URL+"/v1/faucet", "application/json", bytes.NewReader(body)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("faucet = %v %v", resp, err)
	}
	if err := rc.ServeAxon(t.Context(), 450, netip.MustParseAddrPort("127.0.0.1:8091")); err != nil {
		t.Fatal(err)
	}
	c.Commit()
	if err := rc.SetWeights(t.Context(), 450, []uint16{0}, []uint16{1}, 100); err != nil {
		t.Fatal(err)
	}
	if err := rc.SetWeights(t.Context(), 450, []uint16{0}, []uint16{1}, 100); txName(err) != "SettingWeightsTooFast" {
		t.Fatalf("second set in one block = %v, want SettingWeightsTooFast over HTTP", err)
	}
	mg, err := rc.Metagraph(t.Context(), 450)
	if err != nil || mg.Neurons[0].Axon.Port() != 8091 || mg.Neurons[0].Stake != 1e12 {
		t.Fatalf("metagraph = %+v, %v", mg, err)
	}
	if h, _ := rc.BlockNumber(t.Context()); h != 1 {
		t.Fatalf("BlockNumber = %d", h)
	}
}

// TestHTTPRefusesForgedAndReplayed tries to act for another hotkey, to
// replay a transaction and to send a lower nonce.
func TestHTTPRefusesForgedAndReplayed(t *testing.T) {
	c, _ := New(Config{})
	c.CreateSubnet(450, SubnetParams{})
	srv := httptest.NewServer(c.Handler(HandlerConfig{}))
	defer srv.Close()
	alice, _ := keys.FromURI("//Alice")
	eve, _ := keys.FromURI("//Eve")
	post := func(tx Tx) int {
		b, _ := json.Marshal(tx)
		resp, err := http.Post(srv.URL+"/v1/tx", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	sign := func(tx Tx, by *keys.Keypair) Tx {
		s, _ := by.Sign(tx.SigningMessage(c.st.Genesis))
		tx.Signature = hex.EncodeToString(s)
		return tx
	}
	good := sign(Tx{Call: "register", NetUID: 450, Signer: alice.PublicKey(), Nonce: 5, Args: json.RawMessage(`{}`)}, alice)
	if code := post(good); code != 200 {
		t.Fatalf("valid tx = %d", code)
	}
	if code := post(good); code != 401 {
		t.Errorf("replayed tx = %d, want 401", code)
	}
	lower := sign(Tx{Call: "register", NetUID: 450, Signer: alice.PublicKey(), Nonce: 4, Args: json.RawMessage(`{}`)}, alice)
	if code := post(lower); code != 401 {
		t.Errorf("lower nonce = %d, want 401", code)
	}
	forged := sign(Tx{Call: "register", NetUID: 450, Signer: alice.PublicKey(), Nonce: 9, Args: json.RawMessage(`{}`)}, eve)
	if code := post(forged); code != 401 {
		t.Errorf("tx for alice signed by eve = %d, want 401", code)
	}
	tampered := good
	tampered.Nonce, tampered.NetUID = 10, 7
	if code := post(tampered); code != 401 {
		t.Errorf("tampered tx = %d, want 401", code)
	}
	if resp, _ := http.Post(srv.URL+"/v1/faucet", "application/json", bytes.NewReader([]byte(`{}`))); resp.StatusCode != 404 && resp.StatusCode != 405 {
		t.Errorf("faucet without Faucet = %d, want it absent", resp.StatusCode)
	}
	if resp, _ := http.Post(srv.URL+"/v1/tx", "application/json", bytes.NewReader([]byte(`nope`))); resp.StatusCode != 400 {
		t.Errorf("garbage tx = %d, want 400", resp.StatusCode)
	}
}
