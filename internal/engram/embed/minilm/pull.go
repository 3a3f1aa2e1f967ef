package minilm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// DefaultBaseURL is where the sentence-transformers repository of
// all-MiniLM-L6-v2 serves its files.
const DefaultBaseURL = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main"

// PullFiles are the files Load needs.
var PullFiles = []string{"config.json", "tokenizer.json", "model.safetensors"}

// PullConfig configures Pull.
type PullConfig struct {
	// BaseURL serves the files (default DefaultBaseURL).
	BaseURL string
	// Dir receives them.
	Dir string
	// HTTPClient is the client (default http.DefaultClient).
	HTTPClient *http.Client
	// Progress, if set, receives one line per file.
	Progress io.Writer
}

// Pull downloads the model files into cfg.Dir, each through a temporary
// file renamed into place, and then checks that the directory loads.
func Pull(ctx context.Context, cfg PullConfig) error {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("minilm: pull: %w", err)
	}
	for _, name := range PullFiles {
		url := strings.TrimRight(cfg.BaseURL, "/") + "/" + name
		n, err := download(ctx, cfg.HTTPClient, url, filepath.Join(cfg.Dir, name))
		if err != nil {
			return fmt.Errorf("minilm: pull %s: %w", name, err)
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "pulled %s (%d bytes)\n", name, n)
		}
	}
	if _, err := Load(cfg.Dir, Options{Workers: 1}); err != nil {
		return fmt.Errorf("minilm: pulled files do not load: %w", err)
	}
	return nil
}

func download(ctx context.Context, c *http.Client, url, dst string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".pull-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, resp.Body)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), dst)
}
