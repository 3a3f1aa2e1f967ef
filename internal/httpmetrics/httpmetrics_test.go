package httpmetrics

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestWrapCountsBoundedRoutes(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			http.Error(w, "no", http.StatusBadRequest)
		}
	}), reg, "x", "/ok")
	for _, p := range []string{"/ok", "/ok", "/bad", "/random/1", "/random/2"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	// Series: ok/200, other/400, other/200 — unknown paths never make new labels.
	n, err := testutil.GatherAndCount(reg, "x_http_requests_total")
	if err != nil || n != 3 {
		t.Fatalf("series = %d, %v; want 3", n, err)
	}
	if Wrap(http.NotFoundHandler(), nil, "x") == nil {
		t.Fatal("nil registerer")
	}
}
