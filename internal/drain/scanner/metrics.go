package scanner

import (
	"errors"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests  *prometheus.CounterVec
	rounds    *prometheus.CounterVec
	blocks    prometheus.Counter
	malformed prometheus.Counter
	cached    prometheus.Gauge
	scanned   prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "drain_scanner_rpc_requests_total",
			Help: "JSON-RPC requests by endpoint position, method and outcome.",
		}, []string{"endpoint", "method", "result"}),
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "drain_scanner_rounds_total",
			Help: "Scan rounds by outcome.",
		}, []string{"result"}),
		blocks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "drain_scanner_blocks_requested_total",
			Help: "Blocks covered by successful eth_getLogs requests.",
		}),
		malformed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "drain_scanner_malformed_logs_total",
			Help: "Responses rejected for a malformed, foreign or out-of-range log.",
		}),
		cached: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "drain_scanner_cached_logs",
			Help: "ChannelClaimed records held for the current window.",
		}),
		scanned: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "drain_scanner_scanned_block",
			Help: "Last block covered by a successful round.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.requests, m.rounds, m.blocks, m.malformed, m.cached, m.scanned} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) request(endpoint int, method string, err error) {
	res := "ok"
	switch {
	case errors.Is(err, ErrMalformedLog):
		res = "malformed"
		m.malformed.Inc()
	case err != nil:
		res = "error"
	}
	m.requests.WithLabelValues(strconv.Itoa(endpoint), method, res).Inc()
}
