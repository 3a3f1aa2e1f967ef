package checkpoint

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"testing"
)

func TestRoundTripAndLayout(t *testing.T) {
	f := File{Kind: KindWeights, ModelID: "toy", Window: 7, Params: []float32{1, -2.5, float32(math.Inf(1))}}
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := "5648434b" + "0100" + "01" + "01" + "0300" + hex.EncodeToString([]byte("toy")) +
		"0700000000000000" + "0300000000000000" + "0000803f" + "000020c0" + "0000807f"
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("Encode = %s\nwant     %s", got, want)
	}
	g, err := Decode(b)
	if err != nil || g.Kind != f.Kind || g.ModelID != f.ModelID || g.Window != 7 || len(g.Params) != 3 || g.Params[1] != -2.5 {
		t.Fatalf("Decode = %+v, %v", g, err)
	}
	if h := Hash(b); h == Hash(append(bytes.Clone(b[:len(b)-1]), 0)) {
		t.Fatal("hash ignores the body")
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := Encode(File{Kind: KindAggregation, ModelID: "m", Window: 1, Params: []float32{1, 2}})
	mut := func(i int, v byte) []byte { b := bytes.Clone(good); b[i] = v; return b }
	tests := map[string][]byte{
		"empty":         nil,
		"bad magic":     mut(0, 'X'),
		"bad version":   mut(4, 2),
		"bad kind":      mut(6, 3),
		"bad dtype":     mut(7, 2),
		"zero id":       mut(8, 0),
		"short body":    good[:len(good)-1],
		"trailing byte": append(bytes.Clone(good), 0),
		"huge count":    mut(len(good)-8-1, 0xff),
	}
	for name, b := range tests {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("Decode(%s) err = %v, want ErrFormat", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := Encode(File{Kind: KindWeights, ModelID: "gpt", Window: 3, Params: []float32{0.5}})
	f.Add(good)
	f.Add([]byte("VHCK"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Encode(file)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Decode/Encode not a round trip: %x vs %x (%v)", b, again, err)
		}
	})
}
