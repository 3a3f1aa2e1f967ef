package minilm

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Tokenizer is a BERT WordPiece tokenizer loaded from a Hugging Face
// tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece). It is safe
// for concurrent use.
type Tokenizer struct {
	vocab        map[string]int32
	unk          int32
	cls, sep     int32
	prefix       string
	maxWordChars int
	lowercase    bool
	stripAccents bool
	cleanText    bool
	chineseChars bool
}

// Special token ids the model uses.
const (
	padID = 0
)

type tokenizerJSON struct {
	Normalizer struct {
		Type               string `json:"type"`
		CleanText          bool   `json:"clean_text"`
		HandleChineseChars bool   `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          bool   `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	Model struct {
		Type                    string           `json:"type"`
		UnkToken                string           `json:"unk_token"`
		ContinuingSubwordPrefix string           `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    int              `json:"max_input_chars_per_word"`
		Vocab                   map[string]int32 `json:"vocab"`
	} `json:"model"`
}

// LoadTokenizer reads a tokenizer.json file.
func LoadTokenizer(path string) (*Tokenizer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("minilm: read tokenizer: %w", err)
	}
	var tj tokenizerJSON
	if err := json.Unmarshal(b, &tj); err != nil {
		return nil, fmt.Errorf("minilm: parse tokenizer: %w", err)
	}
	if tj.Model.Type != "WordPiece" || tj.Normalizer.Type != "BertNormalizer" || tj.PreTokenizer.Type != "BertPreTokenizer" {
		return nil, fmt.Errorf("minilm: tokenizer is %s/%s/%s, want WordPiece/BertNormalizer/BertPreTokenizer",
			tj.Model.Type, tj.Normalizer.Type, tj.PreTokenizer.Type)
	}
	t := &Tokenizer{
		vocab: tj.Model.Vocab, prefix: tj.Model.ContinuingSubwordPrefix, maxWordChars: tj.Model.MaxInputCharsPerWord,
		lowercase: tj.Normalizer.Lowercase, cleanText: tj.Normalizer.CleanText, chineseChars: tj.Normalizer.HandleChineseChars,
	}
	// BERT strips accents when strip_accents is unset and lowercasing is on.
	t.stripAccents = t.lowercase
	if tj.Normalizer.StripAccents != nil {
		t.stripAccents = *tj.Normalizer.StripAccents
	}
	if t.maxWordChars <= 0 {
		t.maxWordChars = 100
	}
	var ok [3]bool
	t.unk, ok[0] = t.vocab[tj.Model.UnkToken]
	t.cls, ok[1] = t.vocab["[CLS]"]
	t.sep, ok[2] = t.vocab["[SEP]"]
	if !ok[0] || !ok[1] || !ok[2] {
		return nil, errors.New("minilm: tokenizer vocabulary lacks [UNK], [CLS] or [SEP]")
	}
	return t, nil
}

// VocabSize returns the number of entries in the vocabulary.
func (t *Tokenizer) VocabSize() int { return len(t.vocab) }

// Encode returns [CLS] tokens… [SEP], truncated to at most maxLen ids.
func (t *Tokenizer) Encode(text string, maxLen int) []int32 {
	ids := []int32{t.cls}
	for _, w := range t.words(text) {
		ids = t.wordPiece(ids, w)
		if len(ids) >= maxLen-1 {
			ids = ids[:maxLen-1]
			break
		}
	}
	return append(ids, t.sep)
}

// words runs the BertNormalizer and BertPreTokenizer steps.
func (t *Tokenizer) words(text string) []string {
	var b strings.Builder
	for _, r := range text {
		switch {
		case t.cleanText && (r == 0 || r == 0xfffd || isControl(r)):
			continue
		case t.cleanText && isWhitespace(r):
			b.WriteByte(' ')
		case t.chineseChars && isCJK(r):
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if t.lowercase {
		s = strings.ToLower(s)
	}
	if t.stripAccents {
		s = norm.NFD.String(s)
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, s)
	}
	var out []string
	for _, f := range strings.FieldsFunc(s, isWhitespace) {
		start := 0
		rs := []rune(f)
		for i, r := range rs {
			if isPunct(r) {
				if i > start {
					out = append(out, string(rs[start:i]))
				}
				out = append(out, string(r))
				start = i + 1
			}
		}
		if start < len(rs) {
			out = append(out, string(rs[start:]))
		}
	}
	return out
}

// wordPiece appends the greedy longest-match pieces of w (or [UNK]).
func (t *Tokenizer) wordPiece(ids []int32, w string) []int32 {
	rs := []rune(w)
	if len(rs) > t.maxWordChars {
		return append(ids, t.unk)
	}
	var pieces []int32
	for start := 0; start < len(rs); {
		end := len(rs)
		found := int32(-1)
		for end > start {
			sub := string(rs[start:end])
			if start > 0 {
				sub = t.prefix + sub
			}
			if id, ok := t.vocab[sub]; ok {
				found = id
				break
			}
			end--
		}
		if found < 0 {
			return append(ids, t.unk)
		}
		pieces = append(pieces, found)
		start = end
	}
	return append(ids, pieces...)
}

func isWhitespace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r)
}

func isControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

func isPunct(r rune) bool {
	if (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126) {
		return true
	}
	return unicode.IsPunct(r)
}

func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || (r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) || (r >= 0x2B740 && r <= 0x2B81F) || (r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}
