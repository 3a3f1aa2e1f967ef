package cliflag

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestMetricsServe(t *testing.T) {
	m := Metrics{Listen: "127.0.0.1:0"}
	reg, stop, err := m.Start(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if reg == nil {
		t.Fatal("no registry")
	}
	none := Metrics{}
	if _, stop2, err := none.Start(slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	} else {
		stop2()
	}
	if _, _, err := (&Metrics{Listen: "256.0.0.1:x"}).Start(slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("bad address accepted")
	}
	resp, err := http.Get("http://" + m.Bound + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "go_goroutines") {
		t.Fatalf("/metrics lacks the Go collector:\n%.300s", b)
	}
}
