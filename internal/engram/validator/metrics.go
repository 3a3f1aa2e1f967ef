package validator

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the validator's Prometheus series. Miner series are
// labelled by UID, which is bounded by the subnet's size.
type metrics struct {
	rounds        *prometheus.CounterVec
	roundDuration prometheus.Histogram
	weights       *prometheus.CounterVec
	weightsBlock  prometheus.Gauge
	serving       prometheus.Gauge
	requests      *prometheus.CounterVec
	minerScore    *prometheus.GaugeVec
	minerWeight   *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_validator_rounds_total",
			Help: "Scoring rounds by result (ok, error)."}, []string{"result"}),
		roundDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "engram_validator_round_duration_seconds",
			Help: "Wall time of a scoring round.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 14)}),
		weights: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_validator_weights_total",
			Help: "Weight submissions by result (set, refused)."}, []string{"result"}),
		weightsBlock: prometheus.NewGauge(prometheus.GaugeOpts{Name: "engram_validator_weights_block",
			Help: "Metagraph block of the last weights the chain accepted."}),
		serving: prometheus.NewGauge(prometheus.GaugeOpts{Name: "engram_validator_miners_serving",
			Help: "Miners with a reachable axon in the last round."}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "engram_validator_requests_total",
			Help: "Requests to miners by synapse and result (ok, error)."}, []string{"synapse", "result"}),
		minerScore: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "engram_validator_miner_score",
			Help: "Each miner's moving-average composite score after the last round."}, []string{"uid"}),
		minerWeight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "engram_validator_miner_weight",
			Help: "Each miner's normalised weight after the last round."}, []string{"uid"}),
	}
	if reg != nil {
		reg.MustRegister(m.rounds, m.roundDuration, m.weights, m.weightsBlock, m.serving, m.requests, m.minerScore, m.minerWeight)
	}
	return m
}

func (m *metrics) request(synapse string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.requests.WithLabelValues(synapse, result).Inc()
}

func (m *metrics) round(rep Report, err error, d time.Duration) {
	if err != nil {
		m.rounds.WithLabelValues("error").Inc()
		return
	}
	m.rounds.WithLabelValues("ok").Inc()
	m.roundDuration.Observe(d.Seconds())
	m.minerScore.Reset()
	m.minerWeight.Reset()
	for _, s := range rep.Miners {
		uid := strconv.Itoa(int(s.UID))
		m.minerScore.WithLabelValues(uid).Set(s.Avg)
		m.minerWeight.WithLabelValues(uid).Set(s.Weight)
	}
	switch {
	case rep.WeightsSet:
		m.weights.WithLabelValues("set").Inc()
		m.weightsBlock.Set(float64(rep.WeightsBlock))
	case rep.WeightsError != "":
		m.weights.WithLabelValues("refused").Inc()
	}
}
