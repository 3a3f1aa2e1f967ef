package data

import (
	"encoding/hex"
	"strings"
	"testing"
)

// Pinned hashes (checked independently with Python hashlib): changing the embedded corpus or the toy grammar changes the
// training data every node derives, so it must be a deliberate edit here.
const (
	corpusTokensHash = "61e757e47f583a64b809322541cafe1efec62c21a3cbb785cb9c0764ed3dba0a"
	toyCorpusHash    = "0996a141a3ea4dd72085752ac3dc0af4d5d640ef683562b6bfa76a31f35e28b8"
)

func TestCorpusPinned(t *testing.T) {
	toks := CorpusTokens()
	if n := len(CorpusText()); n < 20_000 || n > 50_000 {
		t.Errorf("len(CorpusText()) = %d, want 20–50 KB", n)
	}
	for i, tk := range toks {
		if tk < 0 || tk >= ByteVocab {
			t.Fatalf("CorpusTokens()[%d] = %d, want < %d", i, tk, ByteVocab)
		}
	}
	h := TokensHash(toks)
	if got := hex.EncodeToString(h[:]); got != corpusTokensHash {
		t.Errorf("TokensHash(CorpusTokens()) = %s, want %s", got, corpusTokensHash)
	}
	if got := strings.Count(DecodeText(toks), "training"); got < 10 {
		t.Errorf("corpus mentions training %d times, want ≥ 10", got)
	}
}

func TestToyCorpus(t *testing.T) {
	toks := ToyCorpus()
	h := TokensHash(toks)
	if got := hex.EncodeToString(h[:]); got != toyCorpusHash {
		t.Errorf("TokensHash(ToyCorpus()) = %s, want %s", got, toyCorpusHash)
	}
	var seen [ToyVocab]int
	for _, tk := range toks {
		seen[tk]++
	}
	for i, n := range seen {
		if n == 0 {
			t.Errorf("toy word %q never used", ToyWords[i])
		}
	}
	if toks[0] != toyThe {
		t.Errorf("ToyCorpus()[0] = %d, want %d (the)", toks[0], toyThe)
	}
	b, err := Assign(1, 1, Spec{Kind: KindCorpus, Vocab: ToyVocab, Rows: ToyRows, RowLen: ToyRowLen, CorpusHash: h}, toks)
	if err != nil || len(b) != 1 || len(b[0]) != ToyRowLen {
		t.Errorf("Assign(toy) = %v, %v", b, err)
	}
}
