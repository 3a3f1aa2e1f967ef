// Package httpmetrics wraps an HTTP handler with Prometheus request
// metrics: <namespace>_http_requests_total{route,code} and
// <namespace>_http_request_duration_seconds{route}. Routes are the fixed
// paths a server knows, so label values stay bounded; any other path is
// counted as "other".
package httpmetrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Wrap returns h with request metrics registered on reg (nil: h as is).
// routes lists the paths counted under their own label.
func Wrap(h http.Handler, reg prometheus.Registerer, namespace string, routes ...string) http.Handler {
	if reg == nil {
		return h
	}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "http_request_duration_seconds",
		Help: "Request handling time by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18)}, []string{"route"})
	reg.MustRegister(requests, duration)
	known := make(map[string]bool, len(routes))
	for _, r := range routes {
		known[r] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.URL.Path
		if !known[route] {
			route = "other"
		}
		rec := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		requests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
		duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
