package enclave

import (
	"bytes"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/model"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

// FuzzParseCheckpoint feeds untrusted checkpoint bytes to the parser: no
// panic, and whatever loads re-encodes to the same bytes.
func FuzzParseCheckpoint(f *testing.F) {
	tmpl, err := model.New(tinyModel, 3)
	if err != nil {
		f.Fatal(err)
	}
	good := EncodeCheckpoint(tmpl, 9)
	var saved bytes.Buffer
	if err := tmpl.Save(&saved); err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(saved.Bytes())
	f.Add(good[:30])
	f.Add([]byte("VHCK"))
	f.Add([]byte("VHTM\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseCheckpoint(b, tmpl)
		if err != nil {
			return
		}
		if m.ID() != tmpl.ID() {
			t.Fatalf("ParseCheckpoint loaded model %q, want %q", m.ID(), tmpl.ID())
		}
		if bytes.HasPrefix(b, []byte(CheckpointMagic)) {
			w := uint64(0)
			if h, err := parseCheckpointHeader(b); err == nil {
				w = leUint64(b[h.body-16:])
			}
			if again := EncodeCheckpoint(m, w); !bytes.Equal(again, b) {
				t.Fatalf("EncodeCheckpoint(ParseCheckpoint(b)) differs from b")
			}
		}
	})
}

func leUint64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// FuzzSimulate runs the model-free path on arbitrary gradient bytes: no
// panic, and every answer passes VerifyResponse.
func FuzzSimulate(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.honestGradient(f, 1))
	f.Add(fx.noiseGradient(f, 2, 1))
	f.Add([]byte("VHGD\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, g []byte) {
		req := fx.request(map[uint64][]byte{1: g, 2: g})
		resp, err := Simulate(req, openskill.Options{})
		if err != nil {
			t.Fatalf("Simulate = %v", err)
		}
		if _, err := VerifyResponse(req, resp, nil); err != nil {
			t.Fatalf("VerifyResponse = %v", err)
		}
	})
}
