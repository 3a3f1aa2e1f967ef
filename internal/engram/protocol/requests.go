package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IngestRequest is a validated POST /IngestSynapse body.
type IngestRequest struct {
	// Text to embed; empty when RawEmbedding is set.
	Text string
	// RawEmbedding is the vector to store as is (exactly EmbeddingDim
	// values, each rounded to float32 from the JSON number).
	RawEmbedding []float32
	// Metadata is the compact JSON object to store ("{}" when absent).
	Metadata json.RawMessage
	// ModelVersion defaults to [ModelVersion].
	ModelVersion string
	// Namespace is PublicNamespace or a private namespace name.
	Namespace string
	// Namespace auth fields, carried for the namespace layer to verify.
	NamespaceHotkey      string
	NamespaceSig         string
	NamespaceTimestampMS int64
}

// QueryRequest is a validated POST /QuerySynapse body.
type QueryRequest struct {
	QueryText   string
	QueryVector []float32
	// TopK is 1..MaxTopK (DefaultTopK when absent).
	TopK      int
	Namespace string
	// Filter restricts results; the zero Filter matches everything.
	Filter               Filter
	NamespaceHotkey      string
	NamespaceSig         string
	NamespaceTimestampMS int64
}

// ChallengeRequest is a validated POST /ChallengeSynapse body.
type ChallengeRequest struct {
	CID       string
	Nonce     [NonceBytes]byte
	ExpiresAt int64 // unix seconds
}

// Expired reports whether the challenge is past its deadline: now >
// expires_at (a reply at exactly expires_at is still valid).
func (c ChallengeRequest) Expired(now time.Time) bool { return now.Unix() > c.ExpiresAt }

// MarshalJSON encodes the request with its wire field names.
func (c ChallengeRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		CID       string `json:"cid"`
		NonceHex  string `json:"nonce_hex"`
		ExpiresAt int64  `json:"expires_at"`
	}{c.CID, hex.EncodeToString(c.Nonce[:]), c.ExpiresAt})
}

// MarshalJSON encodes the request with its wire field names; absent fields
// are sent as null (a model_version is always sent).
func (r IngestRequest) MarshalJSON() ([]byte, error) {
	w := struct {
		Text         *string         `json:"text"`
		RawEmbedding []float32       `json:"raw_embedding"`
		Metadata     json.RawMessage `json:"metadata"`
		ModelVersion string          `json:"model_version"`
		Namespace    *string         `json:"namespace"`
		NSHotkey     string          `json:"namespace_hotkey,omitempty"`
		NSSig        string          `json:"namespace_sig,omitempty"`
		NSTimestamp  int64           `json:"namespace_timestamp_ms,omitempty"`
	}{RawEmbedding: r.RawEmbedding, Metadata: r.Metadata, ModelVersion: r.ModelVersion,
		NSHotkey: r.NamespaceHotkey, NSSig: r.NamespaceSig, NSTimestamp: r.NamespaceTimestampMS}
	if r.Text != "" {
		w.Text = &r.Text
	}
	if len(w.Metadata) == 0 {
		w.Metadata = json.RawMessage("{}")
	}
	if w.ModelVersion == "" {
		w.ModelVersion = ModelVersion
	}
	if r.Namespace != "" && r.Namespace != PublicNamespace {
		w.Namespace = &r.Namespace
	}
	return marshalNoHTML(w)
}

// MarshalJSON encodes the request with its wire field names.
func (r QueryRequest) MarshalJSON() ([]byte, error) {
	w := struct {
		QueryText   *string         `json:"query_text"`
		QueryVector []float32       `json:"query_vector"`
		TopK        int             `json:"top_k"`
		Namespace   *string         `json:"namespace"`
		Filter      json.RawMessage `json:"filter"`
		NSHotkey    string          `json:"namespace_hotkey,omitempty"`
		NSSig       string          `json:"namespace_sig,omitempty"`
		NSTimestamp int64           `json:"namespace_timestamp_ms,omitempty"`
	}{QueryVector: r.QueryVector, TopK: r.TopK, Filter: r.Filter.raw,
		NSHotkey: r.NamespaceHotkey, NSSig: r.NamespaceSig, NSTimestamp: r.NamespaceTimestampMS}
	if r.QueryText != "" {
		w.QueryText = &r.QueryText
	}
	if w.TopK == 0 {
		w.TopK = DefaultTopK
	}
	if len(w.Filter) == 0 {
		w.Filter = json.RawMessage("null")
	}
	if r.Namespace != "" && r.Namespace != PublicNamespace {
		w.Namespace = &r.Namespace
	}
	return marshalNoHTML(w)
}

func marshalNoHTML(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// IngestResponse is the /IngestSynapse reply.
type IngestResponse struct {
	CID   *string `json:"cid"`
	Error *string `json:"error"`
}

// QueryResult is one query hit.
type QueryResult struct {
	CID       string          `json:"cid"`
	Score     float64         `json:"score"`
	Metadata  json.RawMessage `json:"metadata"`
	TrustTier string          `json:"trust_tier"`
}

// QueryResponse is the /QuerySynapse reply. Results is [] (never null) on
// error.
type QueryResponse struct {
	Results   []QueryResult `json:"results"`
	LatencyMS *float64      `json:"latency_ms"`
	Error     *string       `json:"error"`
}

// ChallengeResponse is the /ChallengeSynapse reply.
type ChallengeResponse struct {
	EmbeddingHash *string `json:"embedding_hash"`
	Proof         *string `json:"proof"`
	Error         *string `json:"error"`
}

// fields decodes a body into its top-level members with exact,
// case-sensitive names (the last duplicate wins, as in Python). Matching
// names exactly matters: the signed body hash covers exact names, so a
// case-folded "Text" must not sneak past it.
func fields(body []byte) (map[string]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, ErrMalformedJSON
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, ErrMalformedJSON
	}
	return m, nil
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

func stringField(m map[string]json.RawMessage, name string) (string, error) {
	raw := m[name]
	if isNull(raw) {
		return "", nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", fmt.Errorf("%s must be a string", name)
	}
	if !validUnicode(s) {
		return "", fmt.Errorf("%s is not valid Unicode", name)
	}
	return s, nil
}

// vectorField parses a JSON array of numbers into float32s (each rounded to
// nearest from float64). Empty arrays count as absent.
func vectorField(m map[string]json.RawMessage, name string) ([]float32, error) {
	raw := bytes.TrimSpace(m[name])
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '[' || raw[len(raw)-1] != ']' {
		return nil, fmt.Errorf("%s must be an array of %d numbers", name, EmbeddingDim)
	}
	inner := bytes.TrimSpace(raw[1 : len(raw)-1])
	if len(inner) == 0 {
		return nil, nil
	}
	vec := make([]float32, 0, EmbeddingDim)
	for len(inner) > 0 {
		var tok []byte
		if i := bytes.IndexByte(inner, ','); i >= 0 {
			tok, inner = inner[:i], inner[i+1:]
		} else {
			tok, inner = inner, nil
		}
		// The body already parsed as JSON, so a token that ParseFloat
		// accepts is a JSON number (non-numbers start with " [ { t f n).
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(tok)), 64)
		if err != nil {
			return nil, fmt.Errorf("%s must contain only finite numbers", name)
		}
		f32 := float32(f)
		if math.IsInf(float64(f32), 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%s must contain only finite numbers (float32 range)", name)
		}
		vec = append(vec, f32)
	}
	if len(vec) != EmbeddingDim {
		return nil, fmt.Errorf("%s must have %d numbers, got %d", name, EmbeddingDim, len(vec))
	}
	return vec, nil
}

func intField(m map[string]json.RawMessage, name string) (int64, bool, error) {
	raw := m[name]
	if isNull(raw) {
		return 0, false, nil
	}
	s := string(bytes.TrimSpace(raw))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true, nil
	}
	// Python's pydantic accepts an integral float such as 10.0.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 && s[0] != '"' {
		return int64(f), true, nil
	}
	return 0, true, fmt.Errorf("%s must be an integer", name)
}

func namespaceField(m map[string]json.RawMessage) (string, error) {
	ns, err := stringField(m, "namespace")
	if err != nil {
		return "", err
	}
	if ns == "" || ns == PublicNamespace {
		return PublicNamespace, nil
	}
	if !ValidNamespace(ns) {
		return "", errors.New("namespace must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ (or be null for the public namespace)")
	}
	return ns, nil
}

// ValidNamespace reports whether ns is a valid private namespace name.
func ValidNamespace(ns string) bool {
	if len(ns) == 0 || len(ns) > 64 {
		return false
	}
	for i := 0; i < len(ns); i++ {
		c := ns[i]
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func nsAuth(m map[string]json.RawMessage) (hk, sig string, ts int64, err error) {
	if hk, err = stringField(m, "namespace_hotkey"); err != nil {
		return
	}
	if sig, err = stringField(m, "namespace_sig"); err != nil {
		return
	}
	ts, _, err = intField(m, "namespace_timestamp_ms")
	return
}

// DecodeIngest parses and validates an /IngestSynapse body (§5.3).
func DecodeIngest(body []byte) (IngestRequest, error) {
	var r IngestRequest
	m, err := fields(body)
	if err != nil {
		return r, err
	}
	if _, ok := m["namespace_key"]; ok {
		return r, errors.New("namespace_key is not supported; sign namespace requests with namespace_hotkey and namespace_sig")
	}
	if r.Text, err = stringField(m, "text"); err != nil {
		return r, err
	}
	if r.RawEmbedding, err = vectorField(m, "raw_embedding"); err != nil {
		return r, err
	}
	switch {
	case r.Text != "" && r.RawEmbedding != nil:
		return r, errors.New("send either text or raw_embedding, not both")
	case r.Text == "" && r.RawEmbedding == nil:
		return r, errors.New("send text or raw_embedding")
	case r.Text != "" && strings.TrimSpace(r.Text) == "":
		return r, errors.New("text is only whitespace; send some content")
	case r.Text != "" && utf8.RuneCountInString(r.Text) > MaxTextChars:
		return r, fmt.Errorf("text has %d characters, the limit is %d; split it into smaller pieces", utf8.RuneCountInString(r.Text), MaxTextChars)
	}
	if r.Metadata, err = metadataField(m["metadata"]); err != nil {
		return r, err
	}
	if r.ModelVersion, err = stringField(m, "model_version"); err != nil {
		return r, err
	}
	if _, present := m["model_version"]; !present || isNull(m["model_version"]) {
		r.ModelVersion = ModelVersion
	}
	if n := utf8.RuneCountInString(r.ModelVersion); n < 1 || n > maxModelVersion {
		return r, fmt.Errorf("model_version must be 1 to %d characters", maxModelVersion)
	}
	if r.Text != "" && r.ModelVersion != ModelVersion {
		return r, fmt.Errorf("model_version %q cannot be used with text: this miner embeds with %s (%s); omit model_version or send raw_embedding", r.ModelVersion, CanonicalModel, ModelVersion)
	}
	if r.Namespace, err = namespaceField(m); err != nil {
		return r, err
	}
	r.NamespaceHotkey, r.NamespaceSig, r.NamespaceTimestampMS, err = nsAuth(m)
	return r, err
}

// metadataField validates metadata and returns its compact encoding.
func metadataField(raw json.RawMessage) (json.RawMessage, error) {
	if isNull(raw) {
		return json.RawMessage("{}"), nil
	}
	v, err := parseValue(raw)
	if err != nil {
		return nil, ErrInvalidMetadata
	}
	if v.kind != 'o' {
		return nil, errors.New("metadata must be a JSON object")
	}
	var b bytes.Buffer
	encodeCompact(&b, v)
	if b.Len() > MaxMetadataBytes {
		return nil, fmt.Errorf("metadata is %d bytes as compact JSON, the limit is %d; store large content elsewhere and reference it", b.Len(), MaxMetadataBytes)
	}
	return json.RawMessage(b.Bytes()), nil
}

// CompactMetadata validates a metadata object and returns its compact
// encoding as the miner stores it (for clients computing CIDs locally).
func CompactMetadata(raw json.RawMessage) (json.RawMessage, error) { return metadataField(raw) }

// encodeCompact writes v without whitespace, members in received order,
// strings minimally escaped with raw UTF-8, numbers as received.
func encodeCompact(b *bytes.Buffer, v value) {
	switch v.kind {
	case 's':
		encodeString(b, v.str)
	case 'i', 'f':
		b.WriteString(v.num)
	case 'b':
		if v.boolean {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case 'n':
		b.WriteString("null")
	case 'o':
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeString(b, k)
			b.WriteByte(':')
			encodeCompact(b, v.vals[i])
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, item := range v.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeCompact(b, item)
		}
		b.WriteByte(']')
	}
}

func encodeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// DecodeQuery parses and validates a /QuerySynapse body (§5.4).
func DecodeQuery(body []byte) (QueryRequest, error) {
	var r QueryRequest
	m, err := fields(body)
	if err != nil {
		return r, err
	}
	if r.QueryText, err = stringField(m, "query_text"); err != nil {
		return r, err
	}
	if r.QueryVector, err = vectorField(m, "query_vector"); err != nil {
		return r, err
	}
	switch {
	case r.QueryText != "" && r.QueryVector != nil:
		return r, errors.New("send either query_text or query_vector, not both")
	case r.QueryText == "" && r.QueryVector == nil:
		return r, errors.New("send query_text or query_vector")
	case r.QueryText != "" && strings.TrimSpace(r.QueryText) == "":
		return r, errors.New("query_text is only whitespace; send some content")
	case utf8.RuneCountInString(r.QueryText) > MaxTextChars:
		return r, fmt.Errorf("query_text is longer than %d characters", MaxTextChars)
	}
	k, present, err := intField(m, "top_k")
	if err != nil || (present && (k < 1 || k > MaxTopK)) {
		return r, fmt.Errorf("top_k must be an integer from 1 to %d", MaxTopK)
	}
	r.TopK = DefaultTopK
	if present {
		r.TopK = int(k)
	}
	if r.Namespace, err = namespaceField(m); err != nil {
		return r, err
	}
	if r.Filter, err = ParseFilter(m["filter"]); err != nil {
		return r, err
	}
	r.NamespaceHotkey, r.NamespaceSig, r.NamespaceTimestampMS, err = nsAuth(m)
	return r, err
}

// DecodeChallenge parses and validates a /ChallengeSynapse body (§5.5).
// Expiry is the caller's to check with [ChallengeRequest.Expired].
func DecodeChallenge(body []byte) (ChallengeRequest, error) {
	var r ChallengeRequest
	m, err := fields(body)
	if err != nil {
		return r, err
	}
	if r.CID, err = stringField(m, "cid"); err != nil {
		return r, err
	}
	if err := ValidateCID(r.CID); err != nil {
		return r, err
	}
	nonce, err := stringField(m, "nonce_hex")
	if err != nil {
		return r, err
	}
	b, err := hex.DecodeString(nonce)
	if err != nil || len(b) != NonceBytes {
		return r, fmt.Errorf("nonce_hex must be %d hex characters (%d bytes)", 2*NonceBytes, NonceBytes)
	}
	copy(r.Nonce[:], b)
	exp, present, err := intField(m, "expires_at")
	if err != nil || !present {
		return r, errors.New("expires_at must be an integer unix time in seconds")
	}
	r.ExpiresAt = exp
	return r, nil
}

// Filter is a parsed query filter: a record matches when every filter key
// is present in its metadata with an equal JSON value (numbers compared by
// value, so 1 equals 1.0). The zero Filter matches everything.
type Filter struct {
	raw  json.RawMessage
	keys []string
	vals []value
}

// ParseFilter parses a filter object; null or absent gives the zero Filter.
func ParseFilter(raw json.RawMessage) (Filter, error) {
	if isNull(bytes.TrimSpace(raw)) {
		return Filter{}, nil
	}
	v, err := parseValue(raw)
	if err != nil || v.kind != 'o' {
		return Filter{}, errors.New("filter must be a JSON object of metadata key/value pairs")
	}
	var b bytes.Buffer
	encodeCompact(&b, v)
	return Filter{raw: b.Bytes(), keys: v.keys, vals: v.vals}, nil
}

// IsZero reports whether f matches everything.
func (f Filter) IsZero() bool { return len(f.keys) == 0 }

// Raw returns the filter's compact JSON (nil for the zero Filter).
func (f Filter) Raw() json.RawMessage { return f.raw }

// Match reports whether metadata (a JSON object) satisfies f.
func (f Filter) Match(metadata json.RawMessage) bool {
	if f.IsZero() {
		return true
	}
	v, err := parseValue(metadata)
	if err != nil || v.kind != 'o' {
		return false
	}
	for i, k := range f.keys {
		j := indexOf(v.keys, k)
		if j < 0 || !equalValue(f.vals[i], v.vals[j]) {
			return false
		}
	}
	return true
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}

func equalValue(a, b value) bool {
	num := func(k byte) bool { return k == 'i' || k == 'f' }
	if num(a.kind) && num(b.kind) {
		x, okx := new(big.Rat).SetString(a.num)
		y, oky := new(big.Rat).SetString(b.num)
		return okx && oky && x.Cmp(y) == 0
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case 's':
		return a.str == b.str
	case 'b':
		return a.boolean == b.boolean
	case 'n':
		return true
	case 'a':
		if len(a.vals) != len(b.vals) {
			return false
		}
		for i := range a.vals {
			if !equalValue(a.vals[i], b.vals[i]) {
				return false
			}
		}
		return true
	case 'o':
		if len(a.keys) != len(b.keys) {
			return false
		}
		for i, k := range a.keys {
			j := indexOf(b.keys, k)
			if j < 0 || !equalValue(a.vals[i], b.vals[j]) {
				return false
			}
		}
		return true
	}
	return false
}
