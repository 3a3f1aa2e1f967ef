package model

import (
	"errors"
	"math"
	"testing"
)

func TestAdamWConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  AdamWConfig
		want error
	}{
		{"defaults", AdamWConfig{}, nil},
		{"negative lr", AdamWConfig{LR: -1}, ErrConfig},
		{"beta1 one", AdamWConfig{Beta1: 1}, ErrConfig},
		{"beta2 nan", AdamWConfig{Beta2: math.NaN()}, ErrConfig},
		{"negative eps", AdamWConfig{Eps: -1}, ErrConfig},
		{"negative decay", AdamWConfig{WeightDecay: -0.1}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate(%+v) = %v, want %v", tt.cfg, err, tt.want)
			}
		})
	}
	if _, err := NewAdamW(0, AdamWConfig{}); !errors.Is(err, ErrConfig) {
		t.Errorf("NewAdamW(0) error = %v, want %v", err, ErrConfig)
	}
}

// TestAdamWStep checks two steps against the update written out by hand.
func TestAdamWStep(t *testing.T) {
	cfg := AdamWConfig{LR: 0.1, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8, WeightDecay: 0.5}
	o, err := NewAdamW(3, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := []float32{1, -2, 0.5}
	grads := [][]float32{{0.5, 0, -3}, {-1, 2, 4}}
	want := []float64{1, -2, 0.5}
	m, v := make([]float64, 3), make([]float64, 3)
	for step, g := range grads {
		if err := o.Step(p, g); err != nil {
			t.Fatal(err)
		}
		tt := float64(step + 1)
		for i := range want {
			want[i] *= 1 - 0.1*0.5
			m[i] = 0.9*m[i] + 0.1*float64(g[i])
			v[i] = 0.99*v[i] + 0.01*float64(g[i])*float64(g[i])
			mh := m[i] / (1 - math.Pow(0.9, tt))
			vh := v[i] / (1 - math.Pow(0.99, tt))
			want[i] -= 0.1 * mh / (math.Sqrt(vh) + 1e-8)
		}
		for i := range want {
			if math.Abs(float64(p[i])-want[i]) > 1e-6 {
				t.Errorf("step %d: params[%d] = %v, want %v", step+1, i, p[i], want[i])
			}
		}
	}
	if err := o.Step(p, []float32{1}); !errors.Is(err, ErrLength) {
		t.Errorf("Step(short grad) = %v, want %v", err, ErrLength)
	}
	o.Reset()
	if o.Steps() != 0 {
		t.Errorf("Steps() after Reset = %d, want 0", o.Steps())
	}
	if got := o.Config(); got != cfg {
		t.Errorf("Config() = %+v, want %+v", got, cfg)
	}
}
