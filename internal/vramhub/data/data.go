package data

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// LCG constants (Knuth's MMIX multiplier and increment).
const (
	LCGMultiplier uint64 = 6364136223846793005
	LCGIncrement  uint64 = 1442695040888963407
)

// EvalUID is the reserved uid whose batch is a window's random evaluation
// batch.
const EvalUID uint64 = math.MaxUint64

// Errors returned by the batch builders.
var (
	ErrShape  = errors.New("data: invalid batch shape")
	ErrCorpus = errors.New("data: corpus too short for row length")
	ErrToken  = errors.New("data: token outside vocabulary")
	ErrFormat = errors.New("data: token file length not a multiple of 4")
	ErrKind   = errors.New("data: unknown dataset kind")
)

// Seed returns SHA-256(le64(uid) ‖ le64(window)).
func Seed(uid, window uint64) [32]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], uid)
	binary.LittleEndian.PutUint64(b[8:], window)
	return sha256.Sum256(b[:])
}

// Seed64 returns the first 8 bytes of seed as a little-endian u64, the
// initial LCG state.
func Seed64(seed [32]byte) uint64 { return binary.LittleEndian.Uint64(seed[:8]) }

// LCG is the 64-bit linear congruential generator of the batch derivation.
// The zero value starts at state 0; use NewLCG(Seed64(seed)). Not safe for
// concurrent use.
type LCG struct {
	// State is the current 64-bit state.
	State uint64
}

// NewLCG returns a generator whose first draw advances from state s.
func NewLCG(s uint64) *LCG { return &LCG{State: s} }

// Next advances the state and returns the full new state.
func (l *LCG) Next() uint64 {
	l.State = l.State*LCGMultiplier + LCGIncrement
	return l.State
}

// Draw advances the state and returns its high 32 bits.
func (l *LCG) Draw() uint32 { return uint32(l.Next() >> 32) }

// Synthetic returns rows×rowLen tokens, token = Draw() mod vocab, drawn row
// by row from the LCG started at Seed64(seed). Errors wrap ErrShape for
// rows < 1, rowLen < 2 or vocab outside [1, 2^31).
func Synthetic(seed [32]byte, rows, rowLen, vocab int) ([][]int32, error) {
	if err := checkShape(rows, rowLen); err != nil {
		return nil, err
	}
	if vocab < 1 || int64(vocab) > math.MaxInt32 {
		return nil, fmt.Errorf("%w: vocab %d", ErrShape, vocab)
	}
	l := NewLCG(Seed64(seed))
	out := make([][]int32, rows)
	for b := range out {
		row := make([]int32, rowLen)
		for i := range row {
			row[i] = int32(uint64(l.Draw()) % uint64(vocab))
		}
		out[b] = row
	}
	return out, nil
}

// FromCorpus returns rows windows of rowLen consecutive corpus tokens; row b
// starts at Next() mod (len(corpus) − rowLen + 1) with the LCG started at
// Seed64(seed). Rows are copies. Errors wrap ErrShape or ErrCorpus when
// len(corpus) < rowLen.
func FromCorpus(seed [32]byte, corpus []int32, rows, rowLen int) ([][]int32, error) {
	if err := checkShape(rows, rowLen); err != nil {
		return nil, err
	}
	if len(corpus) < rowLen {
		return nil, fmt.Errorf("%w: %d tokens, row length %d", ErrCorpus, len(corpus), rowLen)
	}
	span := uint64(len(corpus) - rowLen + 1)
	l := NewLCG(Seed64(seed))
	out := make([][]int32, rows)
	for b := range out {
		off := l.Next() % span
		out[b] = append([]int32(nil), corpus[off:off+uint64(rowLen)]...)
	}
	return out, nil
}

// Batch builds the batch for seed: from corpus when it is non-nil (every
// token must lie in [0, vocab), else ErrToken), otherwise synthetic tokens
// over vocab. Errors are those of [Synthetic] and [FromCorpus].
func Batch(seed [32]byte, corpus []int32, rows, rowLen, vocab int) ([][]int32, error) {
	if corpus == nil {
		return Synthetic(seed, rows, rowLen, vocab)
	}
	if vocab < 1 {
		return nil, fmt.Errorf("%w: vocab %d", ErrShape, vocab)
	}
	out, err := FromCorpus(seed, corpus, rows, rowLen)
	if err != nil {
		return nil, err
	}
	for _, row := range out {
		for _, t := range row {
			if t < 0 || int64(t) >= int64(vocab) {
				return nil, fmt.Errorf("%w: %d, vocab %d", ErrToken, t, vocab)
			}
		}
	}
	return out, nil
}

// Kind selects the batch source of a [Spec].
type Kind uint8

// Dataset kinds.
const (
	KindSynthetic Kind = 1
	KindCorpus    Kind = 2
)

// Spec is the ledger's dataset description.
type Spec struct {
	// Kind is KindSynthetic or KindCorpus.
	Kind Kind
	// Vocab is V, the vocabulary size.
	Vocab int
	// Rows is B, the rows per batch.
	Rows int
	// RowLen is L, the row length including the final target.
	RowLen int
	// CorpusHash is the SHA-256 of the corpus token file (KindCorpus only).
	CorpusHash [32]byte
}

// Toy and sidecar defaults (§4): the toy bigram model uses B = 1, L = 32,
// V = 10; the sidecar uses B = 4, L = 257.
const (
	ToyRows       = 1
	ToyRowLen     = 32
	ToyVocab      = 10
	SidecarRows   = 4
	SidecarRowLen = 257
)

// Assign builds the batch of (uid, window) under spec. For KindCorpus the
// corpus must hash to spec.CorpusHash under [TokensHash] (else ErrCorpus).
// Errors also wrap ErrKind, ErrShape or ErrToken.
func Assign(uid, window uint64, spec Spec, corpus []int32) ([][]int32, error) {
	seed := Seed(uid, window)
	switch spec.Kind {
	case KindSynthetic:
		return Synthetic(seed, spec.Rows, spec.RowLen, spec.Vocab)
	case KindCorpus:
		if corpus == nil {
			return nil, fmt.Errorf("%w: no corpus", ErrCorpus)
		}
		if TokensHash(corpus) != spec.CorpusHash {
			return nil, fmt.Errorf("%w: hash mismatch", ErrCorpus)
		}
		return Batch(seed, corpus, spec.Rows, spec.RowLen, spec.Vocab)
	}
	return nil, fmt.Errorf("%w: %d", ErrKind, spec.Kind)
}

// Split returns the inputs row[0:L−1] and targets row[1:L] of every row; the
// returned slices alias batch.
func Split(batch [][]int32) (inputs, targets [][]int32) {
	inputs = make([][]int32, len(batch))
	targets = make([][]int32, len(batch))
	for i, row := range batch {
		if len(row) == 0 {
			continue
		}
		inputs[i] = row[:len(row)-1]
		targets[i] = row[1:]
	}
	return inputs, targets
}

func checkShape(rows, rowLen int) error {
	if rows < 1 || rowLen < 2 {
		return fmt.Errorf("%w: rows %d, row length %d", ErrShape, rows, rowLen)
	}
	return nil
}

// EncodeTokens serialises tokens as u32 little-endian, the corpus file
// format. Negative tokens are written as their two's-complement u32.
func EncodeTokens(tokens []int32) []byte {
	b := make([]byte, 4*len(tokens))
	for i, t := range tokens {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(t))
	}
	return b
}

// DecodeTokens parses a u32 little-endian token file. Errors wrap ErrFormat
// for a length not divisible by 4, or ErrToken for a value ≥ 2^31.
func DecodeTokens(b []byte) ([]int32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("%w: %d bytes", ErrFormat, len(b))
	}
	out := make([]int32, len(b)/4)
	for i := range out {
		v := binary.LittleEndian.Uint32(b[4*i:])
		if v > math.MaxInt32 {
			return nil, fmt.Errorf("%w: %d at %d", ErrToken, v, i)
		}
		out[i] = int32(v)
	}
	return out, nil
}

// TokensHash returns SHA-256 of EncodeTokens(tokens), the corpus pin.
func TokensHash(tokens []int32) [32]byte { return sha256.Sum256(EncodeTokens(tokens)) }
