package data

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"testing"
)

type vectorCase struct {
	UID      string    `json:"uid"`
	Window   string    `json:"window"`
	Seed     string    `json:"seed"`
	Seed64   string    `json:"seed64"`
	States   []string  `json:"states"`
	Synth10  [][]int32 `json:"synthetic_b2_l8_v10"`
	Synth50k [][]int32 `json:"synthetic_b1_l5_v50257"`
	CorpusB3 [][]int32 `json:"corpus_b3_l6"`
}

type vectorFile struct {
	Corpus []int32      `json:"corpus"`
	Cases  []vectorCase `json:"cases"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 {
		t.Fatal("no vectors")
	}
	return v
}

func mustU64(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVectors checks against testdata/vectors.json, written by
// testdata/gen_vectors.py with Python's hashlib and integer arithmetic.
func TestVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		t.Run(c.UID+"/"+c.Window, func(t *testing.T) {
			uid, w := mustU64(t, c.UID), mustU64(t, c.Window)
			seed := Seed(uid, w)
			if got := hex.EncodeToString(seed[:]); got != c.Seed {
				t.Fatalf("Seed(%d, %d) = %s, want %s", uid, w, got, c.Seed)
			}
			s64 := Seed64(seed)
			if want := mustU64(t, c.Seed64); s64 != want {
				t.Fatalf("Seed64 = %d, want %d", s64, want)
			}
			l := NewLCG(s64)
			for i, ws := range c.States {
				if got, want := l.Next(), mustU64(t, ws); got != want {
					t.Fatalf("Next() #%d = %d, want %d", i, got, want)
				}
			}
			check := func(name string, got [][]int32, err error, want [][]int32) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s error %v", name, err)
				}
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			got, err := Synthetic(seed, 2, 8, 10)
			check("Synthetic(2, 8, 10)", got, err, c.Synth10)
			got, err = Synthetic(seed, 1, 5, 50257)
			check("Synthetic(1, 5, 50257)", got, err, c.Synth50k)
			got, err = FromCorpus(seed, v.Corpus, 3, 6)
			check("FromCorpus(3, 6)", got, err, c.CorpusB3)
			got, err = Batch(seed, v.Corpus, 3, 6, 1009)
			check("Batch(corpus)", got, err, c.CorpusB3)
			got, err = Batch(seed, nil, 2, 8, 10)
			check("Batch(nil)", got, err, c.Synth10)
		})
	}
}

func TestSeedNoCollision(t *testing.T) {
	// uid XOR window collides here; the hash does not.
	if Seed(3, 1042) == Seed(1, 1040) {
		t.Error("Seed(3, 1042) == Seed(1, 1040)")
	}
	if Seed(1, 2) == Seed(2, 1) {
		t.Error("Seed(1, 2) == Seed(2, 1)")
	}
}

func TestAssign(t *testing.T) {
	corpus := CorpusTokens()
	spec := Spec{Kind: KindCorpus, Vocab: ByteVocab, Rows: SidecarRows, RowLen: SidecarRowLen, CorpusHash: TokensHash(corpus)}
	got, err := Assign(7, 9, spec, corpus)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := FromCorpus(Seed(7, 9), corpus, SidecarRows, SidecarRowLen)
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Error("Assign(corpus) differs from FromCorpus")
	}
	if len(got) != SidecarRows || len(got[0]) != SidecarRowLen {
		t.Errorf("shape = %d×%d, want %d×%d", len(got), len(got[0]), SidecarRows, SidecarRowLen)
	}
	syn := Spec{Kind: KindSynthetic, Vocab: ToyVocab, Rows: ToyRows, RowLen: ToyRowLen}
	got, err = Assign(EvalUID, 9, syn, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ = Synthetic(Seed(EvalUID, 9), ToyRows, ToyRowLen, ToyVocab)
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Error("Assign(synthetic) differs from Synthetic")
	}

	bad := spec
	bad.CorpusHash[0] ^= 1
	tests := []struct {
		name   string
		spec   Spec
		corpus []int32
		want   error
	}{
		{"hash mismatch", bad, corpus, ErrCorpus},
		{"no corpus", spec, nil, ErrCorpus},
		{"unknown kind", Spec{Kind: 9}, nil, ErrKind},
		{"zero rows", Spec{Kind: KindSynthetic, Vocab: 10, Rows: 0, RowLen: 4}, nil, ErrShape},
		{"row length 1", Spec{Kind: KindSynthetic, Vocab: 10, Rows: 1, RowLen: 1}, nil, ErrShape},
		{"zero vocab", Spec{Kind: KindSynthetic, Vocab: 0, Rows: 1, RowLen: 4}, nil, ErrShape},
		{"token beyond vocab", Spec{Kind: KindCorpus, Vocab: 10, Rows: 1, RowLen: 4, CorpusHash: TokensHash([]int32{1, 2, 30, 4})}, []int32{1, 2, 30, 4}, ErrToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Assign(1, 1, tt.spec, tt.corpus); !errors.Is(err, tt.want) {
				t.Errorf("Assign(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	if _, err := FromCorpus(Seed(1, 1), []int32{1, 2}, 1, 3); !errors.Is(err, ErrCorpus) {
		t.Errorf("FromCorpus(short) = %v, want %v", err, ErrCorpus)
	}
}

func TestCorpusExactFit(t *testing.T) {
	// N = L leaves one possible offset.
	c := []int32{5, 6, 7}
	got, err := FromCorpus(Seed(2, 3), c, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range got {
		if !slices.Equal(row, c) {
			t.Errorf("row = %v, want %v", row, c)
		}
	}
	got[0][0] = 99
	if c[0] != 5 {
		t.Error("FromCorpus rows alias the corpus")
	}
}

func TestSplit(t *testing.T) {
	in, tgt := Split([][]int32{{1, 2, 3, 4}})
	if !slices.Equal(in[0], []int32{1, 2, 3}) || !slices.Equal(tgt[0], []int32{2, 3, 4}) {
		t.Errorf("Split = %v, %v, want [1 2 3], [2 3 4]", in, tgt)
	}
}

func TestTokenFile(t *testing.T) {
	toks := []int32{0, 1, 256, 50256, 1 << 30}
	b := EncodeTokens(toks)
	if want := "00000000" + "01000000" + "00010000" + "50c40000" + "00000040"; hex.EncodeToString(b) != want {
		t.Errorf("EncodeTokens = %x, want %s", b, want)
	}
	got, err := DecodeTokens(b)
	if err != nil || !slices.Equal(got, toks) {
		t.Errorf("DecodeTokens(EncodeTokens(%v)) = %v, %v", toks, got, err)
	}
	if _, err := DecodeTokens(b[:5]); !errors.Is(err, ErrFormat) {
		t.Errorf("DecodeTokens(5 bytes) = %v, want %v", err, ErrFormat)
	}
	if _, err := DecodeTokens([]byte{0, 0, 0, 0x80}); !errors.Is(err, ErrToken) {
		t.Errorf("DecodeTokens(2^31) = %v, want %v", err, ErrToken)
	}
}

func TestTokenizer(t *testing.T) {
	s := "GPU µ-batch\n"
	toks := EncodeText(s)
	if len(toks) != len(s) {
		t.Fatalf("len(EncodeText(%q)) = %d, want %d", s, len(toks), len(s))
	}
	if got := DecodeText(append(toks, EndOfText)); got != s {
		t.Errorf("DecodeText(EncodeText(%q)) = %q", s, got)
	}
}
