package minilm

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPull(t *testing.T) {
	src := t.TempDir()
	newTiny(4).write(src)
	srv := httptest.NewServer(http.StripPrefix("/repo/resolve/main", http.FileServer(http.Dir(src))))
	defer srv.Close()
	dst := filepath.Join(t.TempDir(), "model")
	var progress strings.Builder
	if err := Pull(t.Context(), PullConfig{BaseURL: srv.URL + "/repo/resolve/main", Dir: dst, Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	for _, f := range PullFiles {
		if _, err := os.Stat(filepath.Join(dst, f)); err != nil {
			t.Errorf("%s not pulled: %v", f, err)
		}
	}
	if !strings.Contains(progress.String(), "model.safetensors") {
		t.Errorf("progress = %q", progress.String())
	}
	if err := Pull(t.Context(), PullConfig{BaseURL: srv.URL + "/missing", Dir: t.TempDir()}); err == nil {
		t.Error("pull from a missing repository succeeded")
	}
}
