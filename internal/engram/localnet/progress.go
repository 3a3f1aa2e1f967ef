package localnet

import (
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressBar returns a Seed progress callback drawing a bar on w.
func progressBar(w io.Writer) func(done, total int) {
	var once sync.Once
	var bar *progressbar.ProgressBar
	var mu sync.Mutex
	return func(done, total int) {
		once.Do(func() {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("seeding corpus"), progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100*time.Millisecond))
		})
		mu.Lock()
		defer mu.Unlock()
		bar.Set(done)
		if done == total {
			bar.Finish()
			io.WriteString(w, "\n")
		}
	}
}
