package vecstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
)

// WAL record types.
const (
	typePut    byte = 1
	typeDelete byte = 2
	typeEnd    byte = 'E' // snapshot trailer
)

const recordVersion = 1

var errShortRecord = errors.New("vecstore: truncated record payload")

// Record is one stored vector.
type Record struct {
	// Namespace is "__public__" or a private namespace name.
	Namespace string
	// CID is the record's content identifier.
	CID string
	// Vector is stored exactly as given (storage proofs hash these bytes).
	Vector []float32
	// Metadata is the compact JSON object the client stored.
	Metadata json.RawMessage
	// Ingester is the verified SS58 hotkey of the writer, "" if anonymous.
	Ingester string
	// Seq is the ingestion order, assigned by the store.
	Seq uint64
}

// encodePut lays out a put record's payload:
//
//	u8 version | u64 seq | u16 len | namespace | u16 len | cid |
//	u16 len | ingester | u32 len | metadata | u16 dim | dim × f32 LE
func encodePut(r *Record) []byte {
	n := 1 + 8 + 2 + len(r.Namespace) + 2 + len(r.CID) + 2 + len(r.Ingester) + 4 + len(r.Metadata) + 2 + 4*len(r.Vector)
	b := make([]byte, 0, n)
	b = append(b, recordVersion)
	b = binary.LittleEndian.AppendUint64(b, r.Seq)
	b = appendStr16(b, r.Namespace)
	b = appendStr16(b, r.CID)
	b = appendStr16(b, r.Ingester)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(r.Metadata)))
	b = append(b, r.Metadata...)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(r.Vector)))
	for _, f := range r.Vector {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

func appendStr16(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = errShortRecord
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u16() int {
	v := r.take(2)
	if v == nil {
		return 0
	}
	return int(binary.LittleEndian.Uint16(v))
}

func (r *reader) str16() string { return string(r.take(r.u16())) }

// decodePut parses a put payload. It never panics on hostile bytes.
func decodePut(b []byte) (*Record, error) {
	r := &reader{b: b}
	if v := r.take(1); v == nil || v[0] != recordVersion {
		return nil, errors.New("vecstore: unknown record version")
	}
	rec := &Record{}
	if v := r.take(8); v != nil {
		rec.Seq = binary.LittleEndian.Uint64(v)
	}
	rec.Namespace = r.str16()
	rec.CID = r.str16()
	rec.Ingester = r.str16()
	var mlen int
	if v := r.take(4); v != nil {
		mlen = int(binary.LittleEndian.Uint32(v))
	}
	if m := r.take(mlen); m != nil {
		rec.Metadata = append(json.RawMessage(nil), m...)
	}
	dim := r.u16()
	vb := r.take(4 * dim)
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errors.New("vecstore: trailing bytes in put record")
	}
	rec.Vector = make([]float32, dim)
	for i := range rec.Vector {
		rec.Vector[i] = math.Float32frombits(binary.LittleEndian.Uint32(vb[4*i:]))
	}
	return rec, nil
}

func encodeDelete(ns, cid string) []byte {
	return appendStr16(appendStr16(nil, ns), cid)
}

func decodeDelete(b []byte) (ns, cid string, err error) {
	r := &reader{b: b}
	ns, cid = r.str16(), r.str16()
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("vecstore: trailing bytes in delete record")
	}
	return ns, cid, r.err
}
