// Package protocol is the Engram wire protocol: the request and response
// bodies of the miner's synapse endpoints, their validation, the content
// identifier (CID) scheme and the storage-proof scheme, exactly as
// engram.md §4–§6 specify.
//
// It is a pure core: no I/O, clock, logging or randomness. Servers decode
// with [DecodeIngest], [DecodeQuery] and [DecodeChallenge]; an error that
// wraps [ErrMalformedJSON] is a 400, any other error is a business error
// answered with HTTP 200 and its message in the "error" field. Clients
// marshal the request types with encoding/json. All functions are safe for
// concurrent use.
package protocol

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"time"
)

// Protocol constants (engram.md §3).
const (
	SpecVersion      = 100
	EmbeddingDim     = 384
	CanonicalModel   = "all-MiniLM-L6-v2"
	ModelVersion     = "v1" // CANONICAL_MODEL_VERSION: the default model_version
	MaxTextChars     = 8192 // code points
	MaxMetadataBytes = 4096 // compact JSON encoding
	DefaultTopK      = 10
	MaxTopK          = 100
	PublicNamespace  = "__public__"
	MaxBodyBytes     = 10 << 20 // MINER_MAX_BODY_BYTES: 413 above
	NonceBytes       = 32
	ChallengeTimeout = 10 * time.Second
	maxModelVersion  = 64
	cidPrefix        = "v1::"
)

// ErrMalformedJSON means the body is not JSON or not a JSON object; servers
// answer 400 {"error": "invalid JSON body"}.
var ErrMalformedJSON = errors.New("invalid JSON body")

// ErrInvalidCID is returned by [ValidateCID].
var ErrInvalidCID = errors.New(`invalid cid: want "v1::" followed by 64 lowercase hex characters`)

// CID returns the Engram CID of a vector, its metadata (a JSON object; nil
// or empty means {}) and a model version (§4.2):
//
//	emb_hash = hex SHA-256(float32 LE bytes of vec)
//	meta_str = ";".join(k + "=" + str(v) for k, v in sorted(metadata.items()))
//	cid      = "v1::" + hex SHA-256(emb_hash + "|" + meta_str + "|" + model_version)
//
// It returns an error if metadata is not a JSON object Python could decode.
func CID(vec []float32, metadata []byte, modelVersion string) (string, error) {
	meta, err := metaString(metadata)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(EmbeddingHash(vec)))
	h.Write([]byte{'|'})
	h.Write([]byte(meta))
	h.Write([]byte{'|'})
	h.Write([]byte(modelVersion))
	return cidPrefix + hex.EncodeToString(h.Sum(nil)), nil
}

// metaString renders the sorted k=v list of a metadata object.
func metaString(metadata []byte) (string, error) {
	if len(strings.TrimSpace(string(metadata))) == 0 {
		return "", nil
	}
	v, err := parseValue(metadata)
	if err != nil {
		return "", err
	}
	if v.kind == 'n' {
		return "", nil
	}
	if v.kind != 'o' {
		return "", errors.New("metadata must be a JSON object")
	}
	order := make([]int, len(v.keys))
	for i := range order {
		order[i] = i
	}
	// Sorting UTF-8 strings bytewise equals sorting by code point.
	sortIdx(order, func(a, b int) bool { return v.keys[a] < v.keys[b] })
	var b strings.Builder
	for n, i := range order {
		if n > 0 {
			b.WriteByte(';')
		}
		b.WriteString(v.keys[i])
		b.WriteByte('=')
		if v.vals[i].kind == 's' {
			b.WriteString(v.vals[i].str)
		} else {
			renderRepr(&b, v.vals[i])
		}
	}
	return b.String(), nil
}

func sortIdx(idx []int, less func(a, b int) bool) {
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && less(idx[j], idx[j-1]); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

// ValidateCID reports whether s is a well-formed CID: "v1::" and exactly 64
// lowercase hex characters. It returns [ErrInvalidCID] otherwise.
func ValidateCID(s string) error {
	prefix, h, ok := strings.Cut(s, "::")
	if !ok || prefix != "v1" || len(h) != 64 {
		return ErrInvalidCID
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return ErrInvalidCID
		}
	}
	return nil
}

// VectorBytes returns the little-endian float32 encoding of vec.
func VectorBytes(vec []float32) []byte {
	b := make([]byte, 4*len(vec))
	for i, f := range vec {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

// EmbeddingHash returns hex SHA-256 of the vector's float32 LE bytes.
func EmbeddingHash(vec []float32) string {
	sum := sha256.Sum256(VectorBytes(vec))
	return hex.EncodeToString(sum[:])
}

// Proof returns hex HMAC-SHA256 keyed by the 32 nonce bytes over the ASCII
// of the hex embedding hash (§6).
func Proof(nonce [NonceBytes]byte, embeddingHash string) string {
	m := hmac.New(sha256.New, nonce[:])
	m.Write([]byte(embeddingHash))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyProof reports whether a miner's answer (gotHash, gotProof) proves
// it holds expected for nonce. Both values are compared in constant time.
func VerifyProof(expected []float32, nonce [NonceBytes]byte, gotHash, gotProof string) bool {
	wantHash := EmbeddingHash(expected)
	wantProof := Proof(nonce, wantHash)
	okHash := hmac.Equal([]byte(wantHash), []byte(strings.ToLower(gotHash)))
	okProof := hmac.Equal([]byte(wantProof), []byte(strings.ToLower(gotProof)))
	return okHash && okProof
}

// Normalize returns vec scaled to unit L2 norm (a new slice). A zero vector
// is returned as a copy unchanged.
func Normalize(vec []float32) []float32 {
	var s float64
	for _, x := range vec {
		s += float64(x) * float64(x)
	}
	out := make([]float32, len(vec))
	if s == 0 {
		copy(out, vec)
		return out
	}
	n := math.Sqrt(s)
	for i, x := range vec {
		out[i] = float32(float64(x) / n)
	}
	return out
}
