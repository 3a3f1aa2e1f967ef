package embed

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// OpenAIConfig configures an OpenAI-compatible embeddings client.
type OpenAIConfig struct {
	// BaseURL is the API root; "/v1/embeddings" is appended unless the URL
	// already ends in it.
	BaseURL string
	// APIKey is sent as a bearer token (may be empty for local servers).
	APIKey string
	// Model is the model name sent with each request.
	Model string
	// Dim is the expected dimension (default 384); when the model is a
	// text-embedding-3 model, it is also sent as "dimensions".
	Dim int
	// Encoding is "float" (default) or "base64"; responses in either form
	// are accepted whatever is asked.
	Encoding string
	// BatchSize is the most inputs per request (default 64, at most 2048).
	BatchSize int
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// MaxRetries is the number of retries after 429, 5xx or transport
	// errors (default 3).
	MaxRetries int
	// HTTPClient is the client (default a new http.Client).
	HTTPClient *http.Client
	// Logger receives retry warnings (default: discard).
	Logger *slog.Logger
	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// OpenAI embeds texts through an OpenAI-compatible /v1/embeddings API. It
// is safe for concurrent use.
type OpenAI struct {
	cfg OpenAIConfig
	url string
}

var _ Embedder = (*OpenAI)(nil)

// NewOpenAI returns a client for cfg.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("embed: OpenAI base URL is required")
	}
	if cfg.Model == "" {
		return nil, errors.New("embed: OpenAI model is required")
	}
	if cfg.Dim <= 0 {
		cfg.Dim = Dim
	}
	if cfg.Encoding == "" {
		cfg.Encoding = "float"
	}
	if cfg.Encoding != "float" && cfg.Encoding != "base64" {
		return nil, fmt.Errorf("embed: encoding %q: want float or base64", cfg.Encoding)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 64
	}
	cfg.BatchSize = min(cfg.BatchSize, 2048)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.sleep == nil {
		cfg.sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	u := strings.TrimRight(cfg.BaseURL, "/")
	if !strings.HasSuffix(u, "/embeddings") {
		if !strings.HasSuffix(u, "/v1") {
			u += "/v1"
		}
		u += "/embeddings"
	}
	return &OpenAI{cfg: cfg, url: u}, nil
}

// Info describes the client.
func (o *OpenAI) Info() Info {
	return Info{Name: "openai", Model: o.cfg.Model, Dim: o.cfg.Dim, Semantic: true}
}

// APIError is a non-retryable error answer from the embeddings API.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("embeddings API answered %d: %s", e.Status, e.Message)
}

// Embed embeds texts in batches of BatchSize. It returns ErrEmptyText
// without calling the API if any text is blank.
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for _, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, ErrEmptyText
		}
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += o.cfg.BatchSize {
		batch := texts[start:min(start+o.cfg.BatchSize, len(texts))]
		vecs, err := o.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

type embeddingsRequest struct {
	Model          string   `json:"model"`
	Input          []string `json:"input"`
	EncodingFormat string   `json:"encoding_format"`
	Dimensions     int      `json:"dimensions,omitempty"`
}

type embeddingsResponse struct {
	Data []struct {
		Index     int             `json:"index"`
		Embedding json.RawMessage `json:"embedding"`
	} `json:"data"`
}

func (o *OpenAI) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	req := embeddingsRequest{Model: o.cfg.Model, Input: texts, EncodingFormat: o.cfg.Encoding}
	if strings.HasPrefix(o.cfg.Model, "text-embedding-3") {
		req.Dimensions = o.cfg.Dim
	}
	body, _ := json.Marshal(req)
	var lastErr error
	for attempt := 0; attempt <= o.cfg.MaxRetries; attempt++ {
		if attempt > 0 {
			wait := time.Duration(1<<(attempt-1)) * 500 * time.Millisecond
			if ra, ok := lastErr.(*retryAfterError); ok && ra.after > 0 {
				wait = ra.after
			}
			o.cfg.Logger.Warn("retrying embeddings request", "attempt", attempt, "err", lastErr)
			if err := o.cfg.sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
		vecs, err := o.do(ctx, body, len(texts))
		if err == nil {
			return vecs, nil
		}
		var ra *retryAfterError
		if !errors.As(err, &ra) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("embed: giving up after %d attempts: %w", o.cfg.MaxRetries+1, lastErr)
}

// retryAfterError marks a retryable failure.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

func (o *OpenAI) do(ctx context.Context, body []byte, n int) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, o.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	if o.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.cfg.HTTPClient.Do(hreq)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return nil, err
		}
		return nil, &retryAfterError{err: fmt.Errorf("embeddings request: %w", err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, &retryAfterError{err: fmt.Errorf("read embeddings response: %w", err)}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		var after time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			after = time.Duration(s) * time.Second
		}
		return nil, &retryAfterError{err: &APIError{Status: resp.StatusCode, Message: apiMessage(raw)}, after: after}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &APIError{Status: resp.StatusCode, Message: apiMessage(raw)}
	}
	var er embeddingsResponse
	if err := json.Unmarshal(raw, &er); err != nil {
		return nil, fmt.Errorf("embed: decode response: %w", err)
	}
	if len(er.Data) != n {
		return nil, fmt.Errorf("embed: API returned %d embeddings for %d inputs", len(er.Data), n)
	}
	out := make([][]float32, n)
	for _, d := range er.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, fmt.Errorf("embed: API returned a bad or repeated index %d", d.Index)
		}
		v, err := decodeEmbedding(d.Embedding)
		if err != nil {
			return nil, err
		}
		if len(v) != o.cfg.Dim {
			return nil, fmt.Errorf("embed: model %s returned %d dimensions, want %d", o.cfg.Model, len(v), o.cfg.Dim)
		}
		out[d.Index] = normalize(v)
	}
	return out, nil
}

// decodeEmbedding accepts a JSON float array or a base64 string of
// little-endian float32s.
func decodeEmbedding(raw json.RawMessage) ([]float32, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("embed: bad base64 embedding: %w", err)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b)%4 != 0 {
			return nil, errors.New("embed: bad base64 embedding")
		}
		v := make([]float32, len(b)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return v, nil
	}
	var v []float32
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("embed: bad embedding array: %w", err)
	}
	return v, nil
}

func apiMessage(raw []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	if len(raw) > 200 {
		raw = raw[:200]
	}
	return strings.TrimSpace(string(raw))
}

func normalize(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return v
	}
	inv := 1 / math.Sqrt(n)
	for i, x := range v {
		v[i] = float32(float64(x) * inv)
	}
	return v
}
