package axon

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"golang.org/x/crypto/sha3"
)

// fieldKind says how a hash field is coerced before Python's str().
type fieldKind int

const (
	kindValue     fieldKind = iota // rendered as Python str() of the decoded JSON value
	kindFloatList                  // list[float]: every element rendered as a float
)

type hashField struct {
	name string
	kind fieldKind
}

// SynapseFields lists, per synapse, the fields covered by the body hash in
// the order the hash concatenates them (the Python classes'
// required_hash_fields).
var SynapseFields = map[string][]string{
	"IngestSynapse":    {"text", "raw_embedding", "metadata", "model_version", "namespace"},
	"QuerySynapse":     {"query_text", "query_vector", "top_k", "namespace", "filter"},
	"ChallengeSynapse": {"cid", "nonce_hex", "expires_at"},
	"RepairSynapse":    {"cid"},
	"DeleteSynapse":    {"cid"},
	// DRAIN (subnet 58): ProviderCheck hashes no fields.
	"ProviderCheck": {},
}

var floatLists = map[string]bool{"raw_embedding": true, "query_vector": true}

// ErrUnknownSynapse is returned for a synapse name with no hash fields entry.
var ErrUnknownSynapse = errors.New("unknown synapse")

// BodyHash returns the hex body hash of body for synapse. Absent and null
// fields render as None; float lists render each element as a Python float
// parsed from the JSON token as sent (so 1 hashes as "1.0"); every other
// value renders as Python's str() of the decoded JSON. It returns an error
// for a body that is not a JSON object or a float list that holds
// something other than numbers.
func BodyHash(synapse string, body []byte) (string, error) {
	names, ok := SynapseFields[synapse]
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownSynapse, synapse)
	}
	var fields map[string]json.RawMessage
	if len(names) > 0 {
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&fields); err != nil || fields == nil {
			return "", errors.New("body hash: body is not a JSON object")
		}
	}
	outer := sha3.New256()
	for _, name := range names {
		s, err := renderField(fields[name], floatLists[name])
		if err != nil {
			return "", fmt.Errorf("body hash: field %s: %w", name, err)
		}
		h := sha3.Sum256([]byte(s))
		outer.Write([]byte(hex.EncodeToString(h[:])))
	}
	return hex.EncodeToString(outer.Sum(nil)), nil
}

func renderField(raw json.RawMessage, floatList bool) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "None", nil
	}
	if !floatList {
		return protocol.RenderPython(raw)
	}
	var nums []json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&nums); err != nil {
		return "", errors.New("not a list of numbers")
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range nums {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return "", fmt.Errorf("element %d: %w", i, err)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(protocol.PyFloatRepr(f))
	}
	b.WriteByte(']')
	return b.String(), nil
}
