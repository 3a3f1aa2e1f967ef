package window

import (
	"errors"
	"math"
	"testing"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name            string
		now, genesis, d uint64
		want            uint64
		wantOK          bool
	}{
		{"before genesis", 999, 1000, 10, 0, false},
		{"at genesis", 1000, 1000, 10, 0, true},
		{"last ms of window 0", 1009, 1000, 10, 0, true},
		{"first ms of window 1", 1010, 1000, 10, 1, true},
		{"default length", 1_700_000_000_000 + 1042*600_000 + 5, 1_700_000_000_000, DefaultWindowMs, 1042, true},
		{"zero length", 5, 0, 0, 0, false},
		{"max time", math.MaxUint64, 0, 1, math.MaxUint64, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Of(tt.now, tt.genesis, tt.d)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Of(%d, %d, %d) = %d, %v, want %d, %v", tt.now, tt.genesis, tt.d, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestStartSaturates(t *testing.T) {
	if got := Start(3, 100, 10); got != 130 {
		t.Errorf("Start(3, 100, 10) = %d, want 130", got)
	}
	if got := Start(math.MaxUint64, 0, 2); got != math.MaxUint64 {
		t.Errorf("Start(max, 0, 2) = %d, want max", got)
	}
	if got := Start(1, math.MaxUint64, 1); got != math.MaxUint64 {
		t.Errorf("Start(1, max, 1) = %d, want max", got)
	}
}

func TestPhaseAt(t *testing.T) {
	p := Params{GenesisMs: 10_000, WindowMs: DemoWindowMs, PutWindowOpenMs: DemoPutWindowOpenMs}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		w, now uint64
		want   Phase
	}{
		{2, 15_999, NotOpen},
		{2, 16_000, Upload},
		{2, 17_499, Upload},
		{2, 17_500, Scoring},
		{2, 18_999, Scoring},
		{2, 19_000, Closed},
		{0, 9_000, NotOpen},
	}
	for _, tt := range tests {
		if got := p.PhaseAt(tt.w, tt.now); got != tt.want {
			t.Errorf("PhaseAt(%d, %d) = %v, want %v", tt.w, tt.now, got, tt.want)
		}
	}
	if got, want := p.End(2), p.Start(3); got != want {
		t.Errorf("End(2) = %d, want Start(3) = %d", got, want)
	}
	if w, ok := p.Of(17_500); !ok || w != 2 {
		t.Errorf("Of(17500) = %d, %v, want 2, true", w, ok)
	}
}

func TestValidate(t *testing.T) {
	bad := []Params{
		{WindowMs: 0, PutWindowOpenMs: 0},
		{WindowMs: 10, PutWindowOpenMs: 0},
		{WindowMs: 10, PutWindowOpenMs: 10},
		{WindowMs: 10, PutWindowOpenMs: 11},
	}
	for _, p := range bad {
		if err := p.Validate(); !errors.Is(err, ErrParams) {
			t.Errorf("Validate(%+v) = %v, want %v", p, err, ErrParams)
		}
	}
	good := Params{WindowMs: DefaultWindowMs, PutWindowOpenMs: DefaultPutWindowOpenMs}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v, want nil", good, err)
	}
}
