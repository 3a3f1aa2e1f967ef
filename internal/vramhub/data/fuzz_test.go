package data

import (
	"bytes"
	"testing"
)

// FuzzDecodeTokens checks that token-file decoding never panics and that
// accepted files re-encode to the same bytes.
func FuzzDecodeTokens(f *testing.F) {
	f.Add(EncodeTokens(ToyCorpus()[:64]))
	f.Add(EncodeTokens(CorpusTokens()[:64]))
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{0, 0, 0, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		toks, err := DecodeTokens(b)
		if err != nil {
			return
		}
		if re := EncodeTokens(toks); !bytes.Equal(re, b) {
			t.Fatalf("EncodeTokens(DecodeTokens(%x)) = %x", b, re)
		}
	})
}
