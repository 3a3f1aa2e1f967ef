package subtensor

import (
	"testing"

	"github.com/subnetkit/subnetkit/internal/keys"
)

func FuzzDecodeNeuronsLite(f *testing.F) {
	f.Add([]byte{0})
	f.Add(encodeNeuronsLite(1, []testNeuron{{uid: 3, stakes: []uint64{1, 2}, permit: true,
		axon: AxonInfo{IPLo: 0x0a000001, Port: 1, IPType: 4}}}))
	f.Add([]byte{0xfe, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		ns, err := DecodeNeuronsLite(b)
		if err == nil && len(ns)*minNeuronLiteSize > len(b) {
			t.Fatalf("decoded %d neurons from %d bytes", len(ns), len(b))
		}
	})
}

func FuzzDecodeSignedExtrinsic(f *testing.F) {
	md, err := ParseMetadata(loadMetadataBytes(f, "finney-spec219"))
	if err != nil {
		f.Fatal(err)
	}
	alice, err := keys.FromURI("//Alice")
	if err != nil {
		f.Fatal(err)
	}
	ext, err := md.signedExtrinsic(alice, []byte{7, 0, 1, 0, 4, 0, 0, 4, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0},
		signingParams{Era: MortalEra(64, 9), Nonce: 5})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ext)
	f.Add([]byte{0x04, 0x84})
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := md.DecodeSignedExtrinsic(b)
		if err != nil {
			return
		}
		if len(x.Signature) != 64 {
			t.Fatalf("decoded signature of %d bytes", len(x.Signature))
		}
	})
}

func FuzzExtrinsicResult(f *testing.F) {
	node, _ := newFakeNode(f, "finney-spec219")
	md := node.md
	_, entry, err := md.StorageKey("System", "Events")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(node.encodeEvents([]fakeEvent{{idx: 0}, {idx: 1, failPallet: pallet, failErr: "SettingWeightsTooFast"}}))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = md.ExtrinsicResult(b, entry.Value, 1)
	})
}

func FuzzParseMetadata(f *testing.F) {
	full := loadMetadataBytes(f, "finney-spec219")
	f.Add(full[:4096])
	f.Add([]byte("meta\x0e\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseMetadata(b)
	})
}
