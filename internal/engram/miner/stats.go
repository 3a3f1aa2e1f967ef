package miner

import (
	"math"
	"slices"
	"sync"
	"time"
)

// stats keeps the numbers GET /stats reports.
type stats struct {
	mu       sync.Mutex
	lat      []float64 // ring of the last 100 query handling times (ms)
	next     int
	day      string // UTC day of queriesToday
	today    int
	received int
	proved   int
}

func newStats() *stats { return &stats{} }

func (s *stats) query(now time.Time, ms float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lat) < 100 {
		s.lat = append(s.lat, ms)
	} else {
		s.lat[s.next] = ms
		s.next = (s.next + 1) % 100
	}
	if d := now.UTC().Format(time.DateOnly); d != s.day {
		s.day, s.today = d, 0
	}
	s.today++
}

func (s *stats) challenge(proved bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received++
	if proved {
		s.proved++
	}
}

type statsSnapshot struct {
	queriesToday     int
	p50, proofRate   *float64
	received, proved int
}

func (s *stats) snapshot(now time.Time) statsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := statsSnapshot{received: s.received, proved: s.proved}
	if s.day == now.UTC().Format(time.DateOnly) {
		out.queriesToday = s.today
	}
	if len(s.lat) > 0 {
		l := slices.Clone(s.lat)
		slices.Sort(l)
		var p float64
		if len(l)%2 == 1 {
			p = l[len(l)/2]
		} else {
			p = (l[len(l)/2-1] + l[len(l)/2]) / 2
		}
		p = round(p, 1)
		out.p50 = &p
	}
	if s.received > 0 {
		r := round(float64(s.proved)/float64(s.received), 4)
		out.proofRate = &r
	}
	return out
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
