package vecstore

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	vectors     prometheus.Gauge
	fsync       prometheus.Histogram
	batch       prometheus.Histogram
	walBytes    prometheus.Counter
	syncErrors  prometheus.Counter
	truncations prometheus.Counter
	snapshots   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		vectors: prometheus.NewGauge(prometheus.GaugeOpts{Name: "engram_store_vectors", Help: "Records held in the vector store."}),
		fsync: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "engram_wal_fsync_seconds", Help: "Time to write and sync one group commit.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "engram_wal_batch_records", Help: "Records per group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12)}),
		walBytes:    prometheus.NewCounter(prometheus.CounterOpts{Name: "engram_wal_bytes_total", Help: "Bytes appended to the write-ahead log."}),
		syncErrors:  prometheus.NewCounter(prometheus.CounterOpts{Name: "engram_wal_sync_errors_total", Help: "Group commits whose write or sync failed."}),
		truncations: prometheus.NewCounter(prometheus.CounterOpts{Name: "engram_store_recovery_truncations_total", Help: "Torn or damaged log tails cut at recovery."}),
		snapshots:   prometheus.NewCounter(prometheus.CounterOpts{Name: "engram_store_snapshots_total", Help: "Snapshots written."}),
	}
	if reg != nil {
		reg.MustRegister(m.vectors, m.fsync, m.batch, m.walBytes, m.syncErrors, m.truncations, m.snapshots)
	}
	return m
}

func (m *metrics) onSync(records, bytes int, seconds float64, err error) {
	if err != nil {
		m.syncErrors.Inc()
		return
	}
	m.fsync.Observe(seconds)
	m.batch.Observe(float64(records))
	m.walBytes.Add(float64(bytes))
}
