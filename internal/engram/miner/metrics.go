package miner

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	ingests      *prometheus.CounterVec
	challenges   *prometheus.CounterVec
	authFailures *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_miner_requests_total",
			Help: "HTTP requests by route and status code."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "engram_miner_request_duration_seconds",
			Help: "Request handling time by route.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}, []string{"route"}),
		ingests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_miner_ingests_total",
			Help: "Ingest requests by outcome (stored, duplicate, rejected)."}, []string{"outcome"}),
		challenges: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_miner_challenges_total",
			Help: "Storage-proof challenges by result (proved, error)."}, []string{"result"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_miner_auth_failures_total",
			Help: "Requests refused by signature checks, by synapse."}, []string{"synapse"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_miner_rate_limited_total",
			Help: "Requests refused by the rate limiter, by bucket."}, []string{"bucket"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.ingests, m.challenges, m.authFailures, m.rateLimited)
	}
	return m
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}
