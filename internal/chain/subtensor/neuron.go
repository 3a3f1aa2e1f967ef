package subtensor

import (
	"fmt"
	"net/netip"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// minNeuronLiteSize is the smallest encoding of one NeuronInfoLite: two
// account ids, the fixed axon (34) and prometheus (31) records, and one byte
// per compact, bool and empty vector.
const minNeuronLiteSize = 32 + 32 + 34 + 31 + 17

// AxonInfo is the chain's record of where a neuron serves.
type AxonInfo struct {
	Block    uint64
	Version  uint32
	IPLo     uint64 // low half of the u128 ip
	IPHi     uint64
	Port     uint16
	IPType   uint8
	Protocol uint8
}

// AddrPort converts the record to an address, the zero value when the
// neuron never served or the record is malformed.
func (a AxonInfo) AddrPort() netip.AddrPort {
	if a.Port == 0 || (a.IPLo == 0 && a.IPHi == 0) {
		return netip.AddrPort{}
	}
	switch a.IPType {
	case 4:
		if a.IPHi != 0 || a.IPLo >= 1<<32 {
			return netip.AddrPort{}
		}
		v := uint32(a.IPLo)
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), a.Port)
	case 6:
		var b [16]byte
		for i := range 8 {
			b[i] = byte(a.IPHi >> (56 - 8*i))
			b[8+i] = byte(a.IPLo >> (56 - 8*i))
		}
		return netip.AddrPortFrom(netip.AddrFrom16(b), a.Port)
	}
	return netip.AddrPort{}
}

// axonIP encodes an address as the chain's (ip u128, ip_type) pair.
func axonIP(addr netip.Addr) (lo, hi uint64, ipType uint8) {
	if addr.Is4() || addr.Is4In6() {
		b := addr.Unmap().As4()
		return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3]), 0, 4
	}
	b := addr.As16()
	for i := range 8 {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return lo, hi, 6
}

// DecodeNeuronsLite decodes the SCALE answer of
// NeuronInfoRuntimeApi_get_neurons_lite: Vec<NeuronInfoLite>.
func DecodeNeuronsLite(b []byte) ([]chain.Neuron, error) {
	d := scale.NewDecoder(b)
	n := d.Len(minNeuronLiteSize)
	out := make([]chain.Neuron, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, decodeNeuronLite(d))
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("subtensor: decode neurons: %w", err)
	}
	return out, nil
}

func decodeCompactU16(d *scale.Decoder) uint16 {
	v := d.Compact()
	if v > 0xffff {
		d.Fail(fmt.Errorf("subtensor: compact %d exceeds u16", v))
	}
	return uint16(v)
}

func decodeNeuronLite(d *scale.Decoder) chain.Neuron {
	var n chain.Neuron
	n.Hotkey = keys.PublicKey(d.Array32())
	n.Coldkey = keys.PublicKey(d.Array32())
	n.UID = decodeCompactU16(d)
	decodeCompactU16(d) // netuid
	n.Active = d.Bool()
	var ax AxonInfo
	ax.Block = d.U64()
	ax.Version = d.U32()
	ax.IPLo, ax.IPHi = d.U128()
	ax.Port = d.U16()
	ax.IPType = d.U8()
	ax.Protocol = d.U8()
	d.U8()
	d.U8()
	n.Axon = ax.AddrPort()
	d.Bytes(8 + 4 + 16 + 2 + 1) // prometheus_info
	stakes := d.Len(33)
	for j := 0; j < stakes && d.Err() == nil; j++ {
		d.Bytes(32)
		s := d.Compact()
		if n.Stake+s < n.Stake {
			d.Fail(fmt.Errorf("subtensor: stake overflow for uid %d", n.UID))
		}
		n.Stake += s
	}
	decodeCompactU16(d) // rank (deprecated)
	n.Emission = d.Compact()
	n.Incentive = decodeCompactU16(d)
	n.Consensus = decodeCompactU16(d)
	decodeCompactU16(d) // trust (deprecated)
	n.Trust = decodeCompactU16(d)
	n.Dividends = decodeCompactU16(d)
	n.LastUpdate = d.Compact()
	n.ValidatorPermit = d.Bool()
	decodeCompactU16(d) // pruning_score
	return n
}
