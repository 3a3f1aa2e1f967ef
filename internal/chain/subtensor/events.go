package subtensor

import (
	"fmt"

	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
)

// ExtrinsicResult is the outcome of one extrinsic, read from System.Events.
type ExtrinsicResult struct {
	// Success is true for ExtrinsicSuccess.
	Success bool
	// Pallet and Error name a failed extrinsic's error: a module error
	// ("SubtensorModule", "SettingWeightsTooFast") or a DispatchError
	// variant ("", "BadOrigin").
	Pallet string
	Error  string
}

// ExtrinsicResult decodes raw System.Events (a Vec<EventRecord> of type
// eventsType) and finds the ExtrinsicSuccess or ExtrinsicFailed event of
// the extrinsic at index idx.
func (m *Metadata) ExtrinsicResult(raw []byte, eventsType uint32, idx uint32) (ExtrinsicResult, error) {
	d := scale.NewDecoder(raw)
	events := m.DecodeValue(d, eventsType)
	if err := d.Finish(); err != nil {
		return ExtrinsicResult{}, fmt.Errorf("subtensor: decode events: %w", err)
	}
	for _, rec := range events.Fields {
		phase, ok1 := rec.Field("phase")
		ev, ok2 := rec.Field("event")
		if !ok1 || !ok2 || phase.Variant != "ApplyExtrinsic" || len(phase.Fields) != 1 || phase.Fields[0].Uint != uint64(idx) {
			continue
		}
		if ev.Variant != "System" || len(ev.Fields) != 1 {
			continue
		}
		inner := ev.Fields[0]
		switch inner.Variant {
		case "ExtrinsicSuccess":
			return ExtrinsicResult{Success: true}, nil
		case "ExtrinsicFailed":
			if len(inner.Fields) == 0 {
				return ExtrinsicResult{Error: "ExtrinsicFailed"}, nil
			}
			return m.dispatchError(inner.Fields[0]), nil
		}
	}
	return ExtrinsicResult{}, fmt.Errorf("subtensor: no outcome event for extrinsic %d", idx)
}

func (m *Metadata) dispatchError(de Value) ExtrinsicResult {
	if de.Variant != "Module" || len(de.Fields) != 1 {
		return ExtrinsicResult{Error: de.Variant}
	}
	me := de.Fields[0]
	index, ok1 := me.Field("index")
	errv, ok2 := me.Field("error")
	if !ok1 || !ok2 {
		return ExtrinsicResult{Error: "Module"}
	}
	e := uint8(errv.Uint)
	if len(errv.Bytes) > 0 { // [u8; 4] in current runtimes, u8 before
		e = errv.Bytes[0]
	}
	p, name := m.ModuleError(uint8(index.Uint), e)
	return ExtrinsicResult{Pallet: p, Error: name}
}
