package miner

import (
	"sync"
	"time"
)

// limiter is a sliding-window rate limiter per key: a request is allowed
// iff fewer than max requests were allowed for the key within the window;
// refused requests are not counted.
type limiter struct {
	max    int
	window time.Duration

	mu    sync.Mutex
	hits  map[string][]time.Time
	calls int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string][]time.Time{}}
}

// allow records a request for key at now. When refused it returns how long
// until the oldest counted request leaves the window.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l.max < 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1024 == 0 {
		l.sweep(now)
	}
	cut := now.Add(-l.window)
	h := l.hits[key]
	i := 0
	for i < len(h) && !h[i].After(cut) {
		i++
	}
	h = h[i:]
	if len(h) >= l.max {
		l.hits[key] = h
		return false, h[0].Sub(cut)
	}
	l.hits[key] = append(h, now)
	return true, 0
}

// sweep drops keys idle for a whole window.
func (l *limiter) sweep(now time.Time) {
	cut := now.Add(-l.window)
	for k, h := range l.hits {
		if len(h) == 0 || !h[len(h)-1].After(cut) {
			delete(l.hits, k)
		}
	}
}

func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hits)
}
