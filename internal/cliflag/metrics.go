package cliflag

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
)

// Metrics holds a daemon's --metrics-listen flag.
type Metrics struct {
	Listen string
	// Bound is the address Start listens on (Listen with its port resolved).
	Bound string
}

// Register adds --metrics-listen to cmd with the variable envName.
func (m *Metrics) Register(cmd *cobra.Command, envName string) {
	cmd.Flags().StringVar(&m.Listen, "metrics-listen", "", "address to serve Prometheus /metrics on (default: none)")
	Env(cmd, "metrics-listen", envName)
}

// Start returns a registry with the Go and process collectors and, when
// --metrics-listen is set, serves it there. stop closes the server.
func (m *Metrics) Start(logger *slog.Logger) (reg *prometheus.Registry, stop func(), err error) {
	reg = prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if m.Listen == "" {
		return reg, func() {}, nil
	}
	ln, err := net.Listen("tcp", m.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	m.Bound = ln.Addr().String()
	logger.Info("metrics serving", "addr", m.Bound)
	return reg, func() { _ = srv.Close() }, nil
}
