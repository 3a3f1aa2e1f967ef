package minilm

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/x448/float16"
)

// tensor is one named array of a safetensors file, converted to float32.
type tensor struct {
	shape []int
	data  []float32
}

type tensorHeader struct {
	DType       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// parseSafetensors decodes a safetensors file:
//
//	u64 LE header length N | N bytes of JSON {name: {dtype, shape, data_offsets}, "__metadata__": {...}} | data
//
// F32, F16 and BF16 tensors are converted to float32. It validates every
// offset and shape against the file and never panics on hostile input.
func parseSafetensors(b []byte) (map[string]tensor, error) {
	if len(b) < 8 {
		return nil, errors.New("safetensors: file too short")
	}
	n := binary.LittleEndian.Uint64(b)
	if n > uint64(len(b)-8) || n > 100<<20 {
		return nil, errors.New("safetensors: header length out of range")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &raw); err != nil {
		return nil, fmt.Errorf("safetensors: header: %w", err)
	}
	data := b[8+n:]
	out := map[string]tensor{}
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		var h tensorHeader
		if err := json.Unmarshal(msg, &h); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %s: %w", name, err)
		}
		count := int64(1)
		for _, d := range h.Shape {
			if d < 0 || (d > 0 && count > math.MaxInt32/int64(d)) {
				return nil, fmt.Errorf("safetensors: tensor %s: bad shape %v", name, h.Shape)
			}
			count *= int64(d)
		}
		var width int64
		switch h.DType {
		case "F32":
			width = 4
		case "F16", "BF16":
			width = 2
		default:
			return nil, fmt.Errorf("safetensors: tensor %s: dtype %s not supported", name, h.DType)
		}
		lo, hi := h.DataOffsets[0], h.DataOffsets[1]
		if lo < 0 || hi < lo || hi > int64(len(data)) || hi-lo != count*width {
			return nil, fmt.Errorf("safetensors: tensor %s: offsets %v do not fit shape %v", name, h.DataOffsets, h.Shape)
		}
		buf := data[lo:hi]
		f := make([]float32, count)
		for i := range f {
			switch h.DType {
			case "F32":
				f[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
			case "F16":
				f[i] = float16.Frombits(binary.LittleEndian.Uint16(buf[2*i:])).Float32()
			case "BF16":
				f[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
			}
		}
		out[name] = tensor{shape: h.Shape, data: f}
	}
	return out, nil
}
