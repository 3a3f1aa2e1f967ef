package keys

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestDevURIs(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"//Alice", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
		{"//Bob", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"},
		{"caution juice atom organ advance problem want pledge someone senior holiday very", "5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR"},
	}
	for _, tt := range tests {
		kp, err := FromURI(tt.uri)
		if err != nil {
			t.Fatalf("FromURI(%q): %v", tt.uri, err)
		}
		if got := kp.SS58(); got != tt.want {
			t.Errorf("FromURI(%q).SS58() = %s, want %s", tt.uri, got, tt.want)
		}
	}
}

func TestSignVerify(t *testing.T) {
	alice, _ := FromURI("//Alice")
	bob, _ := FromURI("//Bob")
	msg := []byte("engram")
	sig, err := alice.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !alice.PublicKey().Verify(msg, sig) {
		t.Fatal("valid signature rejected")
	}
	flipped := bytes.Clone(sig)
	flipped[10] ^= 1
	cases := map[string]bool{
		"other key":     bob.PublicKey().Verify(msg, sig),
		"other message": alice.PublicKey().Verify([]byte("engrav"), sig),
		"flipped sig":   alice.PublicKey().Verify(msg, flipped),
		"short sig":     alice.PublicKey().Verify(msg, sig[:63]),
	}
	for name, ok := range cases {
		if ok {
			t.Errorf("%s: Verify = true, want false", name)
		}
	}
	wrapped, _ := alice.Sign([]byte("<Bytes>engram</Bytes>"))
	if !alice.PublicKey().Verify(msg, wrapped) {
		t.Error("<Bytes>-wrapped signature rejected")
	}
}

func TestSS58RoundTripAndErrors(t *testing.T) {
	alice, _ := FromURI("//Alice")
	p, err := ParseSS58(alice.SS58())
	if err != nil || p != alice.PublicKey() {
		t.Fatalf("ParseSS58 round trip = %v, %v", p, err)
	}
	addr := alice.SS58()
	bad := addr[:len(addr)-1] + string("ABCDEFGH"[strings.IndexByte("ABCDEFGH", addr[len(addr)-1])+1&7])
	for _, s := range []string{"", "5Grw", bad, "0x1234", "4jS", "1", "11111111111111111111111111111111111111111111111111"} {
		if _, err := ParseSS58(s); err == nil {
			t.Errorf("ParseSS58(%q) accepted", s)
		}
	}
}

func TestSecretsRedacted(t *testing.T) {
	kp, _ := FromURI("caution juice atom organ advance problem want pledge someone senior holiday very")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "key", kp)
	out := fmt.Sprint(kp) + fmt.Sprintf("%v %+v %#v", kp, kp, kp) + buf.String()
	for _, secret := range []string{"caution", "c8fa0353", "C8FA0353"} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q printed: %s", secret, out)
		}
	}
}

func FuzzParseSS58(f *testing.F) {
	f.Add("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	f.Add("0x" + strings.Repeat("ab", 32))
	f.Add("4jS") // once panicked inside the SS58 decoder
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParseSS58(s); err == nil {
			if q, err := ParseSS58(p.SS58()); err != nil || q != p {
				t.Fatalf("round trip of %q failed", s)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	alice, _ := FromURI("//Alice")
	sig, _ := alice.Sign([]byte("m"))
	f.Add([]byte("m"), sig)
	f.Fuzz(func(t *testing.T, msg, sig []byte) {
		alice.PublicKey().Verify(msg, sig)
	})
}
